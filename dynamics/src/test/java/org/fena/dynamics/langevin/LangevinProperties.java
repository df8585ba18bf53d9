package org.fena.dynamics.langevin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.fena.integrators.StochasticIntegrator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Laws of Langevin settling on hierarchies: with {@code T = 0} it is the deterministic method's
 * path bit for bit; at constant {@code T} on a quadratic energy the stationary covariance of the
 * free states is {@code T H^{-1}}, whatever the layers' time constants.
 */
class LangevinProperties {

    /** Relative agreement of two evaluations of the same path (see the comment in the T = 0 law). */
    private static final double ULPS = 1e-12;

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    private static Map<Integer, double[]> split(HierarchyCase c, Settler.Builder b) {
        Map<Integer, double[]> init = new HashMap<>();
        double[][] states = c.layerStates(c.free());
        for (int l = 0; l < c.clamped().length; l++) {
            if (c.clamped()[l]) {
                b.clamp(l, c.clampValues()[l]);
            } else {
                init.put(l, states[l]);
            }
        }
        return init;
    }

    @Property(tries = 40)
    void zeroTemperatureGivesExactlyTheDeterministicPath(@ForAll("cases") HierarchyCase c,
                                                         @ForAll boolean heun) {
        double h = 0.01;
        Settler.Builder det = Settler.builder(c.hierarchy()).batch(c.batch());
        det.initial(InitialState.explicit(split(c, det), InitialState.zeros()));
        SettleResult d = det.integrator(Integrators.create(heun ? "heun" : "euler", StepSettings.fixed(h)))
                .stop(new StopCriteria(0.5, 0, 0, 0, 1, Long.MAX_VALUE)).build().run();
        Settler.Builder base = Settler.builder(c.hierarchy()).batch(c.batch());
        base.initial(InitialState.explicit(split(c, base), InitialState.zeros()));
        LangevinResult r = LangevinSettler.builder(base.integrator(Integrators.create("euler", StepSettings.fixed(h)))
                        .build())
                .schedule(NoiseSchedule.noiseFree())
                .integrator(StochasticIntegrator.create(heun ? "stochastic-heun" : "euler-maruyama", h))
                .tEnd(0.5).seed(9).build().run();
        Assume.that(!d.diverged());
        assertFalse(r.diverged());
        assertEquals(d.trace().size(), r.trace().size());
        // Bit-for-bit identity of the stepping is checked on a plain vector field in the integrators'
        // tests; here the energy evaluation itself (Vector API kernels) may round differently in
        // its last bit from one JIT tier to the next, so two evaluations of one state agree to ulps.
        for (int i = 0; i < r.trace().size(); i++) {
            assertEquals(d.trace().energy(i), r.trace().energy(i), ULPS * Math.abs(d.trace().energy(i)),
                    "energy at row " + i);
            assertEquals(d.trace().t(i), r.trace().t(i), 0.0, "time at row " + i);
        }
        for (int l = 0; l < c.hierarchy().layers(); l++) {
            assertArrayEquals(d.finalState(l), r.finalState(l), ULPS * (1 + maxAbs(d.finalState(l))), "layer " + l);
        }
    }

    /** A linear hierarchy with a clamped bottom and two free layers, so H couples layers of different tau. */
    record Quadratic(Hierarchy h, double[] clamp, double temperature) {
    }

    @Provide
    Arbitrary<Quadratic> quadratics() {
        Arbitrary<double[]> w0 = Arbitraries.doubles().between(-0.8, 0.8).array(double[].class).ofSize(6);
        Arbitrary<double[]> w1 = Arbitraries.doubles().between(-0.8, 0.8).array(double[].class).ofSize(4);
        Arbitrary<Precision> p0 = RandomHierarchies.precisions(3);
        Arbitrary<double[]> taus = Arbitraries.doubles().between(0.5, 3.0).array(double[].class).ofSize(2);
        Arbitrary<Double> prior = Arbitraries.doubles().between(0.5, 2.0);
        Arbitrary<Double> temp = Arbitraries.doubles().between(0.05, 1.0);
        return Combinators.combine(w0, w1, p0, taus, prior, temp).as((a, b, p, tau, pr, t) -> new Quadratic(
                Hierarchy.builder().layer(3, 1.0).layer(2, tau[0]).layer(2, tau[1])
                        .weights(0, a).weights(1, b).precision(0, p)
                        .prior(new double[] {0.3, -0.2}, Precisions.scalar(2, pr)).build(),
                new double[] {0.5, -1.0, 0.25}, t));
    }

    /** The Hessian over the 4 free units of one sample: exact columns of a quadratic's gradient. */
    private static DMatrixRMaj hessian(Quadratic q) {
        EnergyWorkspace ws = new EnergyWorkspace(q.h(), 1, new boolean[] {true, false, false});
        ws.setClamped(0, q.clamp());
        double[] g0 = new double[4];
        double[] g = new double[4];
        ws.gradient(new double[4], g0, null);
        DMatrixRMaj hm = new DMatrixRMaj(4, 4);
        for (int j = 0; j < 4; j++) {
            double[] e = new double[4];
            e[j] = 1.0;
            ws.gradient(e, g, null);
            for (int i = 0; i < 4; i++) {
                hm.set(i, j, g[i] - g0[i]);
            }
        }
        return hm;
    }

    @Property(tries = 6)
    void stationaryCovarianceIsTemperatureTimesInverseHessian(@ForAll("quadratics") Quadratic q) {
        DMatrixRMaj hm = hessian(q);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(4, false, true);
        eig.decompose(hm.copy());
        double lmin = Double.POSITIVE_INFINITY;
        double lmax = 0;
        for (int i = 0; i < 4; i++) {
            double v = eig.getEigenvalue(i).getReal();
            lmin = Math.min(lmin, v);
            lmax = Math.max(lmax, v);
        }
        double tauMin = Math.min(q.h().tau(1), q.h().tau(2));
        double tauMax = Math.max(q.h().tau(1), q.h().tau(2));
        Assume.that(lmin > 0.05 && lmax * tauMax / (lmin * tauMin) < 60);
        int n = 3000;
        double h = 0.02 * tauMin / lmax;
        double tEnd = 6 * tauMax / lmin;
        LangevinResult r = LangevinSettler.builder(q.h()).batch(n).clamp(0, q.clamp())
                .schedule(NoiseSchedule.constant(q.temperature()))
                .integrator(StochasticIntegrator.create("euler-maruyama", h))
                .tEnd(tEnd).seed(17).recordEvery(0).build().run();
        // sample covariance of the n stationary states (x_1, x_2)
        double[][] xs = new double[n][4];
        for (int s = 0; s < n; s++) {
            xs[s][0] = r.finalState(1)[2 * s];
            xs[s][1] = r.finalState(1)[2 * s + 1];
            xs[s][2] = r.finalState(2)[2 * s];
            xs[s][3] = r.finalState(2)[2 * s + 1];
        }
        double[] mean = new double[4];
        for (double[] x : xs) {
            for (int i = 0; i < 4; i++) {
                mean[i] += x[i] / n;
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(4, 4);
        for (double[] x : xs) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    cov.add(i, j, (x[i] - mean[i]) * (x[j] - mean[j]) / (n - 1));
                }
            }
        }
        // whiten by the theory: H^{1/2} S H^{1/2} / T should be the identity. With whitened
        // entries' standard error ~ sqrt(2/n) (diagonal) the tolerance is 5 of those plus the
        // Euler-Maruyama bias, O(h lambda_max / tau_min) = 2%.
        DMatrixRMaj sqrtH = symmetricSqrt(hm);
        DMatrixRMaj tmp = new DMatrixRMaj(4, 4);
        DMatrixRMaj white = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.mult(sqrtH, cov, tmp);
        CommonOps_DDRM.mult(tmp, sqrtH, white);
        CommonOps_DDRM.scale(1.0 / q.temperature(), white);
        double tol = 5 * Math.sqrt(2.0 / n) + 0.03;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1.0 : 0.0, white.get(i, j), tol,
                        "H^1/2 S H^1/2 / T at (" + i + "," + j + "); H = " + hm + ", S = " + cov);
            }
        }
    }

    private static DMatrixRMaj symmetricSqrt(DMatrixRMaj a) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(4, true, true);
        DMatrixRMaj sym = a.copy();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (sym.get(i, j) + sym.get(j, i));
                sym.set(i, j, m);
                sym.set(j, i, m);
            }
        }
        eig.decompose(sym);
        DMatrixRMaj out = new DMatrixRMaj(4, 4);
        for (int k = 0; k < 4; k++) {
            double s = Math.sqrt(eig.getEigenvalue(k).getReal());
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    out.add(i, j, s * v.get(i) * v.get(j));
                }
            }
        }
        return out;
    }
}
