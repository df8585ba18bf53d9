package org.fena.dynamics.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.PcFlow;
import org.fena.dynamics.langevin.LangevinSystem;
import org.fena.dynamics.stability.Problem;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.integrators.DivergenceException;
import org.fena.integrators.IntegrationResult;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepState;
import org.fena.integrators.StochasticIntegrator;
import org.fena.integrators.StopRule;
import org.fena.integrators.StopRules;
import org.fena.integrators.Termination;

/**
 * An ensemble of seeded Langevin settles of one problem (one sample of a hierarchy with its clamps):
 * {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t)/tau_l) dW_l} from {@code t = 0} to {@code tEnd}, one
 * run per task, recording the final energy and whether and when the run first entered a target
 * region. With several temperatures the tasks are {@code temperatures x runs} (temperature slowest),
 * each at the constant temperature; without, every run follows {@code schedule}.
 *
 * <p>Run {@code r}'s randomness comes from {@link TaskSeeds#stream(long, long) stream(seed, r)}: its
 * first split draws the start (when a start rule is given), its second the noise. Runs with the same
 * {@code r} at different temperatures share their streams (common random numbers), so differences
 * between temperatures are not blurred by different noise.
 */
public final class LangevinEnsemble {

    /**
     * Where a run counts as arrived: within {@code radius} (Euclidean) of {@code center} on layer
     * {@code layer}'s units, or (layer {@code -1}) at energy {@code <= energyBelow}.
     *
     * @param layer       the layer whose state is compared, or -1 for the energy test
     * @param center      the region's centre ({@code d_layer} values)
     * @param radius      its radius
     * @param energyBelow the energy threshold (layer -1)
     */
    public record Target(int layer, double[] center, double radius, double energyBelow) {

        /** A ball around {@code center} on layer {@code layer}. */
        public static Target ball(int layer, double[] center, double radius) {
            if (!(radius > 0)) {
                throw new IllegalArgumentException("target radius must be > 0, got " + radius);
            }
            return new Target(layer, center.clone(), radius, Double.NaN);
        }

        /** Energy at most {@code e}. */
        public static Target energyBelow(double e) {
            return new Target(-1, null, Double.NaN, e);
        }
    }

    /**
     * Per-run random start of the free units: {@code uniform} in {@code [a, b)} or {@code normal}
     * with mean {@code a}, standard deviation {@code b}.
     *
     * @param rule {@code uniform} or {@code normal}
     * @param a    low or mean
     * @param b    high or standard deviation
     */
    public record Start(String rule, double a, double b) {
    }

    private final Problem problem;
    private final double[] x0;
    private final Start start;
    private final NoiseSchedule schedule;
    private final double[] temperatures;
    private final StochasticIntegrator integrator;
    private final double tEnd;
    private final Target target;
    private final boolean stopOnHit;
    private final int runs;
    private final int targetOffset;

    /**
     * @param problem      the settle (batch 1, clamps set)
     * @param x0           its initial free state (used when {@code start} is null)
     * @param start        per-run random start, or null
     * @param schedule     {@code T(t)} (used when {@code temperatures} is null)
     * @param temperatures constant temperatures, one block of {@code runs} tasks each, or null
     * @param integrator   fixed-step stochastic integrator
     * @param tEnd         final time
     * @param target       the target region, or null
     * @param stopOnHit    end a run when it reaches the target (its final energy is then the hit's)
     * @param runs         runs per temperature
     */
    public LangevinEnsemble(Problem problem, double[] x0, Start start, NoiseSchedule schedule, double[] temperatures,
            StochasticIntegrator integrator, double tEnd, Target target, boolean stopOnHit, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("an ensemble needs at least one run, got " + runs);
        }
        if (temperatures != null && temperatures.length == 0) {
            throw new IllegalArgumentException("temperatures: give at least one, or leave it out");
        }
        this.problem = problem;
        this.x0 = x0.clone();
        this.start = start;
        this.schedule = schedule;
        this.temperatures = temperatures == null ? null : temperatures.clone();
        this.integrator = integrator;
        this.tEnd = tEnd;
        this.target = target;
        this.stopOnHit = stopOnHit;
        this.runs = runs;
        int off = -1;
        if (target != null && target.layer() >= 0) {
            var h = problem.hierarchy();
            if (target.layer() >= h.layers() || problem.clamped()[target.layer()]) {
                throw new IllegalArgumentException("target layer " + target.layer() + " is not a free layer");
            }
            if (target.center().length != h.dim(target.layer())) {
                throw new IllegalArgumentException("target center needs " + h.dim(target.layer()) + " values (layer "
                        + target.layer() + "'s dim), got " + target.center().length);
            }
            off = 0;
            for (int l = 0; l < target.layer(); l++) {
                off += problem.clamped()[l] ? 0 : h.dim(l);
            }
        }
        this.targetOffset = off;
    }

    /** Number of tasks: runs times temperatures. */
    public int size() {
        long n = (long) runs * (temperatures == null ? 1 : temperatures.length);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an ensemble of " + n + " runs is more than one job can hold");
        }
        return (int) n;
    }

    /** The row's columns. */
    public static List<String> columns() {
        return new ArrayList<>(List.of("run", "temperature", "diverged", "hit", "hit_time", "energy_start",
                "energy_final", "steps"));
    }

    /** Task {@code index} in words. */
    public String describe(int index) {
        return String.format(Locale.ROOT, "run %d%s", index % runs,
                temperatures == null ? "" : ", T = " + temperatures[index / runs]);
    }

    /** Runs task {@code index} of the ensemble seeded with {@code jobSeed}. */
    public double[] evaluate(int index, long jobSeed) {
        int run = index % runs;
        NoiseSchedule s = temperatures == null ? schedule : NoiseSchedule.constant(temperatures[index / runs]);
        SplittableRandom root = TaskSeeds.stream(jobSeed, run);
        SplittableRandom startRng = root.split();
        SplittableRandom noiseRng = root.split();
        double[] y = x0.clone();
        if (start != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] = start.rule().equals("normal") ? start.a() + start.b() * startRng.nextGaussian()
                        : start.a() + (start.b() - start.a()) * startRng.nextDouble();
            }
        }
        EnergyWorkspace ws = problem.workspace();
        PcFlow flow = new PcFlow(ws, problem.feedback());
        double eStart = ws.energy(y, null);
        LangevinSystem system = new LangevinSystem(flow, flow.tauPerComponent(), s, z -> {
            for (int i = 0; i < z.length; i++) {
                z[i] = noiseRng.nextGaussian();
            }
        });
        HitWatch watch = new HitWatch(flow);
        StopRule rule = StopRules.finalTime(tEnd);
        if (stopOnHit && target != null) {
            rule = StopRules.anyOf(rule, watch);
        }
        double[] row = new double[columns().size()];
        row[0] = run;
        row[1] = temperatures == null ? Double.NaN : temperatures[index / runs];
        row[5] = eStart;
        try {
            IntegrationResult r = integrator.integrate(system, 0.0, y, rule, watch);
            row[2] = 0;
            row[6] = ws.energy(y, null);
            row[7] = r.steps();
        } catch (DivergenceException e) {
            row[2] = 1;
            row[6] = Double.NaN;
            row[7] = e.step();
        }
        row[3] = watch.hit ? 1 : 0;
        row[4] = watch.hit ? watch.time : Double.NaN;
        return row;
    }

    /** Notes the first accepted step inside the target; as a stop rule, ends the run there. */
    private final class HitWatch implements StepObserver, StopRule {
        private final PcFlow flow;
        boolean hit;
        double time = Double.NaN;

        HitWatch(PcFlow flow) {
            this.flow = flow;
        }

        @Override
        public void start(StepState s) {
            check(s.t(), s.y());
        }

        @Override
        public void step(StepState s) {
            if (!hit) {
                check(s.t(), s.y());
            }
        }

        private void check(double t, double[] y) {
            if (target == null || hit) {
                return;
            }
            boolean in;
            if (target.layer() < 0) {
                in = flow.energy(t, y, null) <= target.energyBelow();
            } else {
                double d2 = 0;
                double[] c = target.center();
                for (int i = 0; i < c.length; i++) {
                    double d = y[targetOffset + i] - c[i];
                    d2 += d * d;
                }
                in = d2 <= target.radius() * target.radius();
            }
            if (in) {
                hit = true;
                time = t;
            }
        }

        @Override
        public Termination check(StepState s) {
            check(s.t(), s.y());
            return hit ? new Termination("target", false, "reached the target at t = " + time) : null;
        }
    }
}
