package org.fena.hierarchy.learning;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.fena.hierarchy.Blas;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;

/**
 * Precision learning by the covariance rule of DESIGN.md §1,
 *
 * <pre>
 *   tau_S dSigma_l/dt = C_l - Sigma_l,     C_l = (1/B) sum_b eps_l eps_l',     Pi_l = Sigma_l^{-1},
 * </pre>
 *
 * discretised as {@code Sigma <- Sigma + r (C - Sigma)} with {@code r = dt / tau_S} in (0, 1], and
 * projected after every step onto {@code floor <= Pi <= ceiling} (eigenvalues of {@code Pi} for a
 * full precision, entries for a diagonal one, the value for a scalar). The rule is the gradient
 * flow of the free energy {@code F = E - 1/2 sum_l log det Pi_l} in {@code Sigma}; its fixed point is
 * the error covariance. The {@code -1/2 log det Pi} term is what stops {@code Pi} collapsing to 0
 * (a layer silencing its own errors, which lowers {@code E} for free), and the ceiling is what
 * stops {@code Pi} exploding when a layer's errors vanish.
 *
 * <p>{@link #energyOnly} is the ablation without the log-det term: gradient descent on {@code E}
 * alone, {@code Pi <- Pi - r C}, which drives every precision down to its floor (or to nothing
 * without one); the tests show the collapse.
 *
 * <p>The kind of each layer's precision (scalar, diagonal, full) is kept. An
 * {@link EnergyWorkspace} reads each {@code Pi_l} from the hierarchy at every evaluation, so the
 * workspace that {@link #step} read its errors from serves on (StepFlowProperties'
 * {@code aKeptWorkspaceSeesReplacedPrecisionsAsAFreshOneDoes}).
 */
public final class PrecisionRule {

    private final double rate;
    private final double floor;
    private final double ceiling;
    private final boolean logDet;

    private PrecisionRule(double rate, double floor, double ceiling, boolean logDet) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("precision rate dt/tau_S must be in (0, 1], got " + rate);
        }
        if (!(floor >= 0) || !(ceiling > floor)) {
            throw new IllegalArgumentException("precision bounds need 0 <= floor < ceiling, got floor " + floor
                    + ", ceiling " + ceiling);
        }
        this.rate = rate;
        this.floor = floor;
        this.ceiling = ceiling;
        this.logDet = logDet;
    }

    /**
     * The covariance rule with rate {@code r = dt/tau_S}, precisions kept within
     * {@code [floor, ceiling]} ({@code floor > 0}, finite ceiling).
     */
    public static PrecisionRule covariance(double rate, double floor, double ceiling) {
        if (!(floor > 0) || !Double.isFinite(ceiling)) {
            throw new IllegalArgumentException("the covariance rule needs a floor > 0 and a finite ceiling, got " + floor
                    + ", " + ceiling);
        }
        return new PrecisionRule(rate, floor, ceiling, true);
    }

    /**
     * The ablation: descent on the energy alone, {@code Pi <- Pi - r C}, without the log-det term.
     * With {@code floor = 0} nothing stops the collapse; precisions that would reach 0 are held at the
     * smallest positive double, so the collapse is visible rather than an error.
     */
    public static PrecisionRule energyOnly(double rate, double floor) {
        return new PrecisionRule(rate, floor, Double.POSITIVE_INFINITY, false);
    }

    /** The lowest precision allowed. */
    public double floor() {
        return floor;
    }

    /** The highest precision allowed. */
    public double ceiling() {
        return ceiling;
    }

    /**
     * One step for every layer {@code l} in {@code layers} that has errors, from the errors the
     * workspace's last evaluation left ({@code eps_l}, {@code B x d_l}): replaces {@code Pi_l} in the
     * hierarchy by the updated one of the same kind.
     */
    public void step(EnergyWorkspace ws, int... layers) {
        Hierarchy h = ws.hierarchy();
        for (int l : layers) {
            double[] eps = ws.errors(l);
            if (eps == null) {
                continue;
            }
            h.setPrecision(l, update(h.precision(l), eps, ws.batch()));
        }
    }

    /** The precision after one step from {@code pi} given {@code batch} error rows {@code eps}. */
    public Precision update(Precision pi, double[] eps, int batch) {
        int d = pi.dimension();
        double[] dense = pi.toDense();
        switch (pi.kind()) {
            case "scalar": {
                double c = 0;
                for (int i = 0, n = batch * d; i < n; i++) {
                    c += eps[i] * eps[i];
                }
                c /= (double) batch * d;
                return Precisions.scalar(d, next(dense[0], c));
            }
            case "diagonal": {
                double[] p = new double[d];
                for (int j = 0; j < d; j++) {
                    double c = 0;
                    for (int r = 0; r < batch; r++) {
                        double e = eps[r * d + j];
                        c += e * e;
                    }
                    p[j] = next(dense[j * d + j], c / batch);
                }
                return Precisions.diagonal(p);
            }
            default:
                return Precisions.full(d, nextFull(dense, eps, batch, d));
        }
    }

    /** One scalar step from precision {@code p} with error second moment {@code c}. */
    private double next(double p, double c) {
        double q;
        if (logDet) {
            double sigma = 1.0 / p;
            sigma += rate * (c - sigma);
            q = 1.0 / sigma;
        } else {
            q = p - rate * c;
        }
        return clip(q);
    }

    private double clip(double q) {
        if (!(q > floor)) {
            q = Math.max(floor, Double.MIN_NORMAL);
        }
        return Math.min(q, ceiling);
    }

    private double[] nextFull(double[] pi, double[] eps, int batch, int d) {
        // C = (1/B) eps' eps: column-major (d x d) = eps'(d x B) times its transpose
        double[] c = new double[d * d];
        Blas.gemmTN(d, d, batch, 1.0 / batch, eps, 0, eps, 0, 0.0, c, 0);
        DMatrixRMaj m;
        if (logDet) {
            DMatrixRMaj sigma = DMatrixRMaj.wrap(d, d, pi.clone());
            if (!CommonOps_DDRM.invert(sigma)) {
                throw new IllegalStateException("precision is singular");
            }
            for (int i = 0; i < d * d; i++) {
                sigma.data[i] += rate * (c[i] - sigma.data[i]);
            }
            m = sigma;
        } else {
            m = DMatrixRMaj.wrap(d, d, pi.clone());
            for (int i = 0; i < d * d; i++) {
                m.data[i] -= rate * c[i];
            }
        }
        symmetrise(m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(m.copy())) {
            throw new IllegalStateException("eigen-decomposition of the precision update failed");
        }
        // rebuild Pi = V diag(clip(lambda)) V', lambda the precision's eigenvalues
        double[] out = new double[d * d];
        for (int k = 0; k < d; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            double p = clip(logDet ? 1.0 / lambda : lambda);
            if (logDet && !(lambda > 0)) {
                p = ceiling;
            }
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                double vi = v.get(i, 0) * p;
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += vi * v.get(j, 0);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double a = 0.5 * (out[i * d + j] + out[j * d + i]);
                out[i * d + j] = a;
                out[j * d + i] = a;
            }
        }
        return out;
    }

    private static void symmetrise(DMatrixRMaj m) {
        int d = m.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double a = 0.5 * (m.get(i, j) + m.get(j, i));
                m.set(i, j, a);
                m.set(j, i, a);
            }
        }
    }
}
