package org.fena.dynamics.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.HebbianRule;
import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepSettings;
import org.fena.integrators.StepState;
import org.fena.integrators.StopRules;

class LearningProperties {

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    private static Settler settler(HierarchyCase c, Hierarchy h) {
        Settler.Builder b = Settler.builder(h).batch(c.batch())
                .initial(InitialState.explicit(freeLayers(c), InitialState.zeros()))
                .integrator(Integrators.create("dopri5", StepSettings.tolerances(1e-8, 1e-10)))
                .stop(StopCriteria.gradient(1e-7, 1e3, 100_000)).recordEvery(0);
        for (int l = 0; l < h.layers(); l++) {
            if (c.clamped()[l]) {
                b.clamp(l, c.clampValues()[l]);
            }
        }
        return b.build();
    }

    private static Map<Integer, double[]> freeLayers(HierarchyCase c) {
        double[][] s = c.layerStates(c.free());
        java.util.Map<Integer, double[]> m = new java.util.HashMap<>();
        for (int l = 0; l < s.length; l++) {
            if (!c.clamped()[l]) {
                m.put(l, s[l]);
            }
        }
        return m;
    }

    /**
     * Settle, take one Hebbian step of rate {@code eta} on every W_l and b_l, and re-evaluate the
     * energy of the same settled state: it must not rise. To first order it falls by
     * {@code eta B |g|^2}; eta is chosen so the second-order term is far below that.
     */
    @Property(tries = 150)
    void oneHebbianStepLowersTheEnergyOfTheSettledState(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy().copy();
        Assume.that(h.top() > 0);
        Settler s = settler(c, h);
        SettleResult r = s.run();
        Assume.that(!r.diverged());
        EnergyWorkspace ws = s.newWorkspace();
        double[] y = new double[ws.freeDimension()];
        for (int l = 0; l < h.layers(); l++) {
            if (ws.freeOffset(l) >= 0) {
                System.arraycopy(r.finalState(l), 0, y, ws.freeOffset(l), r.finalState(l).length);
            }
        }
        double before = ws.energy(y, null);
        double[][] slopes = derivatives(ws, h);
        HebbianRule rule = new HebbianRule(h);
        rule.compute(ws, y);
        double g2 = rule.squaredNorm();
        Assume.that(g2 > 1e-16);
        double eta = 1e-5 / (1 + Math.sqrt(g2));
        for (int l = 0; l < h.top(); l++) {
            double[] w = h.weights(l);
            double[] gw = rule.weightDirection(l);
            for (int i = 0; i < w.length; i++) {
                w[i] += eta * gw[i];
            }
            double[] b = h.bias(l);
            double[] gb = rule.biasDirection(l);
            for (int i = 0; i < b.length; i++) {
                b[i] += eta * gb[i];
            }
        }
        double after = ws.energy(y, null);
        // a relu unit whose slope changed crossed (or sat on) its kink, where the step's direction is
        // not a descent direction of the other side's energy: the law holds on a smooth piece only
        Assume.that(smooth(h) || Arrays.deepEquals(slopes, derivatives(ws, h)));
        double expectedDrop = eta * c.batch() * g2;
        assertTrue(after <= before + 1e-12 * Math.abs(before), "energy rose from " + before + " to " + after);
        // at a relu kink the energy has one-sided slopes only, so the first-order amount is checked
        // where the activations are smooth
        if (smooth(h)) {
            assertTrue(before - after >= 0.5 * expectedDrop - 1e-12 * Math.abs(before),
                    "energy fell by " + (before - after) + ", first order predicts " + expectedDrop);
        }
    }

    /**
     * With {@code tau_W} enormous the joint flow's state part is the settling flow: the same fixed-step
     * integrator gives the same states as the Settler, and the weights do not move.
     */
    @Property(tries = 60)
    void continuousLearningWithInfiniteTauWIsPureSettling(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy().copy();
        Assume.that(h.top() > 0);
        double[] w0 = h.weights(0).clone();
        Settler.Builder pb = Settler.builder(h).batch(c.batch())
                .initial(InitialState.explicit(freeLayers(c), InitialState.zeros()))
                .integrator(Integrators.create("rk4", StepSettings.fixed(0.01)))
                .stop(StopCriteria.finalTime(1.0)).recordEvery(0);
        for (int l = 0; l < h.layers(); l++) {
            if (c.clamped()[l]) {
                pb.clamp(l, c.clampValues()[l]);
            }
        }
        Settler pure = pb.build();
        SettleResult r = pure.run();
        Assume.that(!r.diverged());

        EnergyWorkspace ws2 = new EnergyWorkspace(h, c.batch(), c.clamped());
        for (int l = 0; l < h.layers(); l++) {
            if (c.clamped()[l]) {
                ws2.setClamped(l, c.clampValues()[l]);
            }
        }
        JointFlow joint = new JointFlow(ws2, 1e300);
        double[] y = new double[joint.dimension()];
        System.arraycopy(c.initialFree(), 0, y, 0, ws2.freeDimension());
        joint.readParameters(y);
        Integrators.create("rk4", StepSettings.fixed(0.01)).integrate(joint, 0.0, y, StopRules.finalTime(1.0));
        joint.writeBack(y);
        for (int l = 0; l < h.layers(); l++) {
            int off = ws2.freeOffset(l);
            if (off < 0) {
                continue;
            }
            double[] expected = r.finalState(l);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], y[off + i], 1e-12 * (1 + Math.abs(expected[i])), "layer " + l + " unit " + i);
            }
        }
        assertEquals(0.0, maxDiff(w0, h.weights(0)), 1e-250);
    }

    /** Copies of every layer's {@code f'} from the workspace's last evaluation. */
    private static double[][] derivatives(EnergyWorkspace ws, Hierarchy h) {
        double[][] d = new double[h.top()][];
        for (int l = 0; l < h.top(); l++) {
            d[l] = ws.activationDerivative(l).clone();
        }
        return d;
    }

    private static boolean smooth(Hierarchy h) {
        for (int l = 0; l < h.top(); l++) {
            String n = h.activation(l).name();
            if (n.startsWith("relu") || n.startsWith("leaky_relu")) {
                return false;
            }
        }
        return true;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /**
     * The joint state+weight flow is a gradient flow, so the energy never rises along it.
     * Dormand–Prince at a relative tolerance of 1e-11 stands in for exact integration; an allowance of
     * rounding plus that local error per step is all that is tolerated.
     */
    @Property(tries = 80)
    void jointFlowNeverRaisesTheEnergy(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy().copy();
        Assume.that(h.top() > 0);
        EnergyWorkspace ws = new EnergyWorkspace(h, c.batch(), c.clamped());
        for (int l = 0; l < h.layers(); l++) {
            if (c.clamped()[l]) {
                ws.setClamped(l, c.clampValues()[l]);
            }
        }
        JointFlow joint = new JointFlow(ws, 2.0);
        double[] y = new double[joint.dimension()];
        System.arraycopy(c.initialFree(), 0, y, 0, ws.freeDimension());
        joint.readParameters(y);
        double[] last = {joint.energy(y, null)};
        double start = last[0];
        StepObserver watch = new StepObserver() {
            @Override
            public void step(StepState s) {
                double e = joint.energy(s.y(), null);
                assertTrue(e <= last[0] + 1e-9 * (1 + Math.abs(start)), "energy rose from " + last[0] + " to " + e
                        + " at t = " + s.t());
                last[0] = e;
            }
        };
        try {
            // adaptive at a tight tolerance, not a fixed small step: random cases include stiff
            // ones (large Pi / tau ratios) where any fixed explicit step is unstable. A budget of
            // steps bounds the stiffest cases' cost; every step taken is checked all the same.
            Integrators.create("dopri5", StepSettings.tolerances(1e-11, 1e-13)).integrate(joint, 0.0, y,
                    StopRules.anyOf(StopRules.finalTime(0.5), StopRules.stepBudget(5_000)), watch);
        } catch (org.fena.integrators.IntegrationException e) {
            Assume.that(false);
        }
    }

    /**
     * {@link BatchSettler} steps lean ({@code stepFlow}) and then evaluates the settled state in full:
     * what a learning rule reads afterwards ({@code eps}, {@code Pi eps}, {@code f'},
     * {@code Pi eps ⊙ f'}) and the reported energy must be bit for bit what a fresh workspace's
     * {@code flow} gives at that state, whatever the integrator's last evaluation was.
     */
    @Property(tries = 60)
    void batchSettlerLeavesAFullEvaluationOfTheSettledState(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy();
        Assume.that(h.top() > 0);
        for (String method : new String[] {"euler", "rk4"}) {
            BatchSettler bs = settler(h, c, method);
            double[] y = c.initialFree();
            BatchSettler.Outcome o = bs.settle(y);
            Assume.that(!o.diverged());
            EnergyWorkspace fresh = c.workspace();
            double[] perLayer = new double[h.layers()];
            double e = fresh.flow(y, new double[y.length], perLayer);
            assertEquals(e, o.energy(), 0.0, method + ": energy");
            assertTrue(Arrays.equals(perLayer, o.perLayer()), method + ": per-layer energies");
            EnergyWorkspace ws = bs.workspace();
            for (int l = 0; l < h.layers(); l++) {
                assertTrue(Arrays.equals(fresh.errors(l), ws.errors(l)), method + ": eps of layer " + l);
                assertTrue(Arrays.equals(fresh.weightedErrors(l), ws.weightedErrors(l)), method + ": Pi eps of layer " + l);
                if (l < h.top()) {
                    assertTrue(Arrays.equals(fresh.activationDerivative(l), ws.activationDerivative(l)),
                            method + ": f' of layer " + l);
                    assertTrue(Arrays.equals(fresh.weightedErrorsTimesDerivative(l), ws.weightedErrorsTimesDerivative(l)),
                            method + ": Pi eps f' of layer " + l);
                }
            }
        }
    }

    /**
     * A settle starts from the weights as they are, even when the workspace's last evaluation was a
     * step (a settle that diverged leaves no full evaluation behind) and the weights changed since:
     * the same bits as a fresh settler's.
     */
    @Property(tries = 40)
    void batchSettlerSettlesWithTheCurrentWeights(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy();
        Assume.that(h.top() > 0);
        BatchSettler bs = settler(h, c, "euler");
        double[] y0 = c.initialFree();
        bs.workspace().stepFlow(y0.clone(), new double[y0.length], null); // a step, then no full evaluation
        for (int l = 0; l < h.top(); l++) {
            double[] w = h.weights(l);
            for (int i = 0; i < w.length; i++) {
                w[i] *= 1.25;
            }
        }
        double[] y = y0.clone();
        BatchSettler.Outcome o = bs.settle(y);
        double[] yFresh = y0.clone();
        BatchSettler.Outcome f = settler(h, c, "euler").settle(yFresh);
        Assume.that(!f.diverged());
        assertTrue(Arrays.equals(yFresh, y), "settled state");
        assertEquals(f.energy(), o.energy(), 0.0, "energy");
    }

    /**
     * {@code initialiseAndSettle}, which holds the weights and clamps so that a clamped layer's
     * prediction is computed once, gives the bits of {@code initialise} then {@code settle}: the start,
     * the settled state, the energy and every buffer a learning rule reads; and it releases them, so
     * weights changed afterwards are seen by the next settle.
     */
    @Property(tries = 150)
    void initialiseAndSettleGivesTheBitsOfInitialiseThenSettle(@ForAll("cases") HierarchyCase c,
            @ForAll InitMode init, @ForAll boolean energyStop) {
        Hierarchy h = c.hierarchy();
        // the energy-change stop rule evaluates the energy in full inside the held settle
        StopCriteria stop = energyStop ? new StopCriteria(Double.POSITIVE_INFINITY, 0, 0, 1e-6, 2, 25)
                : StopCriteria.steps(25);
        // an amortised start from maps that are not zero (zero maps would be the zero start)
        AmortisedGuess guess = new AmortisedGuess(h, 0);
        for (int l = 0; l < h.top(); l++) {
            double[] v = guess.map(l);
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.05 * ((i * 7 + l) % 11 - 5);
            }
        }
        BatchSettler apart = settler(h, c, "euler", stop);
        BatchSettler held = settler(h, c, "euler", stop);
        double[] y1 = apart.newState();
        double[] y2 = held.newState();
        apart.initialise(y1, init, guess);
        BatchSettler.Outcome a = apart.settle(y1);
        BatchSettler.Outcome b = held.initialiseAndSettle(y2, init, guess);
        assertEquals(a.diverged(), b.diverged(), "diverged");
        Assume.that(!a.diverged());
        assertTrue(Arrays.equals(y1, y2), "settled state");
        assertEquals(Double.doubleToRawLongBits(a.energy()), Double.doubleToRawLongBits(b.energy()),
                "energy " + a.energy() + " vs " + b.energy());
        assertTrue(Arrays.equals(a.perLayer(), b.perLayer()), "per-layer energies");
        for (int l = 0; l < h.top(); l++) {
            assertTrue(Arrays.equals(apart.workspace().weightedErrorsTimesDerivative(l),
                    held.workspace().weightedErrorsTimesDerivative(l)), "Pi eps f' of layer " + l);
            assertTrue(Arrays.equals(apart.workspace().errors(l), held.workspace().errors(l)), "eps of layer " + l);
        }
        for (int l = 0; l < h.top(); l++) {
            double[] w = h.weights(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = 0.5 * w[i] + 0.01;
            }
        }
        apart.initialise(y1, init, guess);
        a = apart.settle(y1);
        b = held.initialiseAndSettle(y2, init, guess);
        assertEquals(a.diverged(), b.diverged(), "diverged after the weights changed");
        Assume.that(!a.diverged());
        assertTrue(Arrays.equals(y1, y2), "settled state after the weights changed");
        assertEquals(Double.doubleToRawLongBits(a.energy()), Double.doubleToRawLongBits(b.energy()),
                "energy after the weights changed");
    }

    /** A settler for the case's batch and clamps: 25 fixed steps of 0.02 with {@code method}. */
    private static BatchSettler settler(Hierarchy h, HierarchyCase c, String method) {
        return settler(h, c, method, StopCriteria.steps(25));
    }

    /** As {@link #settler(Hierarchy, HierarchyCase, String)}, stopping by {@code stop}. */
    private static BatchSettler settler(Hierarchy h, HierarchyCase c, String method, StopCriteria stop) {
        BatchSettler bs = new BatchSettler(h, c.batch(), c.clamped(), Integrators.create(method, StepSettings.fixed(0.02)),
                stop);
        for (int l = 0; l < h.layers(); l++) {
            if (c.clamped()[l]) {
                bs.clamp(l, c.clampValues()[l], 0);
            }
        }
        return bs;
    }
}
