package org.fena.dynamics.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fena.hierarchy.EnergyWorkspace;

/**
 * A fixed point {@code x*} of the flow, {@code g(x*) = 0} with {@code g = -T dx/dt} ({@code = dE/dx}
 * for the gradient flow), found by Newton's method {@code G dx = -g} from a settled state (EJML LU
 * solve; a pseudo-inverse where {@code G} is singular, as on a line of minima), with a backtracking
 * step that never lets {@code |g|} grow.
 *
 * @param state      {@code x*} in the free layout
 * @param residual   {@code |g(x*)|}, the Euclidean norm over every free unit
 * @param iterations Newton steps taken
 * @param converged  whether {@code residual <= tol}
 */
public record FixedPoint(double[] state, double residual, int iterations, boolean converged) {

    /** Default absolute tolerance on {@code |g|}. */
    public static final double TOLERANCE = 1e-11;

    /**
     * Polishes {@code x0} into a fixed point of the flow with {@code feedback} on {@code ws} (clamps
     * set): at most {@code maxIterations} Newton steps, stopping at {@code |g| <= tol}. Newton
     * converges to whichever fixed point is near, saddles and unstable ones included, which is what a
     * continuation along a parameter needs.
     */
    public static FixedPoint polish(EnergyWorkspace ws, Feedback feedback, double[] x0, double tol, int maxIterations) {
        FeedbackFlow flow = new FeedbackFlow(ws, feedback);
        int n = ws.freeDimension();
        double[] tau = flow.tauPerComponent();
        double[] x = x0.clone();
        double[] g = residual(flow, tau, x);
        double norm = norm(g);
        int it = 0;
        DMatrixRMaj rhs = new DMatrixRMaj(n, 1);
        DMatrixRMaj dx = new DMatrixRMaj(n, 1);
        while (it < maxIterations && norm > tol && Double.isFinite(norm)) {
            it++;
            DMatrixRMaj gm = Linearization.at(ws, feedback, x).g();
            for (int i = 0; i < n; i++) {
                rhs.data[i] = -g[i];
            }
            if (!CommonOps_DDRM.solve(gm.copy(), rhs, dx) || !finite(dx.data)) {
                DMatrixRMaj pinv = new DMatrixRMaj(n, n);
                CommonOps_DDRM.pinv(gm, pinv);
                CommonOps_DDRM.mult(pinv, rhs, dx);
            }
            double alpha = 1.0;
            boolean accepted = false;
            double[] trial = new double[n];
            for (int k = 0; k < 40; k++) {
                for (int i = 0; i < n; i++) {
                    trial[i] = x[i] + alpha * dx.data[i];
                }
                double[] gt = residual(flow, tau, trial);
                double nt = norm(gt);
                if (nt < norm || (nt <= norm && nt <= tol)) {
                    System.arraycopy(trial, 0, x, 0, n);
                    g = gt;
                    norm = nt;
                    accepted = true;
                    break;
                }
                alpha *= 0.5;
            }
            if (!accepted) {
                break; // a local minimum of |g| that is not a zero, or rounding: stop where we are
            }
        }
        return new FixedPoint(x, norm, it, norm <= tol);
    }

    /** {@code g(x) = -T f(x)} for the flow {@code f}; equals {@code dE/dx} for the gradient flow. */
    static double[] residual(FeedbackFlow flow, double[] tau, double[] x) {
        double[] f = new double[x.length];
        flow.derivative(0, x, f);
        for (int i = 0; i < f.length; i++) {
            f[i] *= -tau[i];
        }
        return f;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
