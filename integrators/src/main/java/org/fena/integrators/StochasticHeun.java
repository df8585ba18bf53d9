package org.fena.integrators;

/**
 * Stochastic Heun for additive noise: an Euler–Maruyama predictor, then the trapezoidal corrector
 * <pre>
 *   y* = y + h f(t, y) + g(t) ⊙ dW
 *   y_{n+1} = y + h/2 [f(t, y) + f(t + h, y*)] + 1/2 [g(t) + g(t + h)] ⊙ dW,   dW = sqrt(h) z
 * </pre>
 * Strong order 1 on additive noise (Kloeden &amp; Platen), with a second-order drift, so it tracks
 * a path more closely than Euler–Maruyama at the same step when the drift dominates. Two drift
 * evaluations per step. With {@code g = 0} it is the deterministic Heun method, bit for bit.
 */
public final class StochasticHeun extends StochasticIntegrator {

    /** Stochastic Heun at fixed step {@code step}. */
    public StochasticHeun(double step) {
        super(step);
    }

    @Override
    public String name() {
        return "stochastic-heun";
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public double strongOrder() {
        return 1.0;
    }

    @Override
    public double weakOrder() {
        return 1.0;
    }

    @Override
    protected int evaluationsPerStep() {
        return 2;
    }

    @Override
    protected boolean advance(OdeSystem drift, SdeSystem sde, double t, double h, double[] y, double[] f,
                              double[] yNew, Workspace w) {
        final int n = y.length;
        final double tNew = t + h;
        boolean noisy = false;
        if (sde != null) {
            sde.diffusion(t, w.g0);
            sde.diffusion(tNew, w.g1);
            noisy = anyNonZero(w.g0) || anyNonZero(w.g1);
        }
        final double[] g0 = w.g0;
        final double[] g1 = w.g1;
        final double[] dW = w.z;
        final double[] stage = w.stage;
        final double[] k2 = w.stageDrift;
        double poison = 0.0;
        for (int m = 0; m < n; m++) {
            double v = y[m] + h * f[m];
            if (noisy) {
                v += g0[m] * dW[m];
            }
            stage[m] = v;
            poison += v * 0.0;
        }
        if (poison != 0.0) {
            // do not feed a non-finite predictor to the drift; report the divergence through yNew
            System.arraycopy(stage, 0, yNew, 0, n);
            return false;
        }
        drift.derivative(tNew, stage, k2);
        for (int m = 0; m < n; m++) {
            double v = y[m] + h * (0.5 * f[m] + 0.5 * k2[m]);
            if (noisy) {
                v += 0.5 * (g0[m] + g1[m]) * dW[m];
            }
            yNew[m] = v;
            poison += v * 0.0;
        }
        return poison == 0.0;
    }
}
