package org.fena.integrators;

/**
 * Euler–Maruyama, {@code y_{n+1} = y_n + h f(t_n, y_n) + g(t_n) ⊙ dW_n} with
 * {@code dW_n = sqrt(h) z_n}: weak order 1; on additive noise also strong order 1 (the Milstein
 * correction vanishes when {@code g} does not depend on the state). With {@code g = 0} it is
 * explicit Euler, bit for bit.
 */
public final class EulerMaruyama extends StochasticIntegrator {

    /** Euler–Maruyama at fixed step {@code step}. */
    public EulerMaruyama(double step) {
        super(step);
    }

    @Override
    public String name() {
        return "euler-maruyama";
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
        return 1;
    }

    @Override
    protected boolean advance(OdeSystem drift, SdeSystem sde, double t, double h, double[] y, double[] f,
                              double[] yNew, Workspace w) {
        final int n = y.length;
        boolean noisy = false;
        if (sde != null) {
            sde.diffusion(t, w.g0);
            noisy = anyNonZero(w.g0);
        }
        final double[] g = w.g0;
        final double[] dW = w.z;
        double poison = 0.0;
        if (noisy) {
            for (int m = 0; m < n; m++) {
                double v = y[m] + h * f[m] + g[m] * dW[m];
                yNew[m] = v;
                poison += v * 0.0;
            }
        } else {
            for (int m = 0; m < n; m++) {
                double v = y[m] + h * f[m];
                yNew[m] = v;
                poison += v * 0.0;
            }
        }
        return poison == 0.0;
    }
}
