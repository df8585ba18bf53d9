package org.fena.dynamics.stability;

import java.util.Arrays;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.fena.hierarchy.Hierarchy;

/**
 * The eigenvalues of the flow's Jacobian {@code A = -T^{-1} G} at a state, sorted slowest first
 * (descending real part), with what a researcher asks of them: the type of the fixed point, the
 * slowest and fastest time constants {@code 1/|Re lambda|}, the stiffness ratio, how much of each
 * mode lives in each layer, and which layer's {@code tau} or {@code Pi} moves a mode most.
 *
 * <p>For the gradient flow {@code A} is similar to the symmetric {@code S = -T^{-1/2} H T^{-1/2}},
 * whose symmetric eigen-decomposition gives a real spectrum and orthonormal modes {@code u}; then a
 * mode's layer mass {@code m_l = sum_{i in l} u_i^2} is exactly its sensitivity to that layer's time
 * constant, {@code d lambda / d log tau_l = -lambda m_l}, and
 * {@code d lambda / d log s_l = -u' T^{-1/2} G_l T^{-1/2} u} for {@code Pi_l -> s_l Pi_l}. Other
 * feedback uses EJML's general eigen-decomposition and central differences for the sensitivities.
 */
public final class Spectrum {

    /** Below this many free units every mode's layer mass is computed; above, only the slowest and fastest. */
    public static final int ALL_MODES_LIMIT = 160;

    private final Linearization lin;
    private final double[] re;
    private final double[] im;
    /** Symmetric case: the modes u (columns), else null. */
    private final DMatrixRMaj modes;
    private final double[][] layerMass;
    private final double zeroTol;
    private final int[] layerOf;
    private final int layers;

    private Spectrum(Linearization lin) {
        this.lin = lin;
        this.layerOf = lin.layerOfComponent();
        this.layers = lin.workspace().hierarchy().layers();
        int n = layerOf.length;
        double[] tau = lin.tau();
        double[] r = new double[n];
        double[] c = new double[n];
        DMatrixRMaj u = null;
        DMatrixRMaj a = lin.jacobian();
        if (lin.feedback().isGradientFlow()) {
            DMatrixRMaj s = lin.g();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s.data[i * n + j] *= -1.0 / Math.sqrt(tau[i] * tau[j]);
                }
            }
            DMatrixRMaj st = new DMatrixRMaj(n, n);
            CommonOps_DDRM.transpose(s, st);
            CommonOps_DDRM.add(0.5, s, 0.5, st, s);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            if (!eig.decompose(s)) {
                throw new IllegalStateException("symmetric eigen-decomposition failed");
            }
            u = new DMatrixRMaj(n, n);
            Integer[] order = new Integer[n];
            double[] tmp = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                tmp[i] = eig.getEigenvalue(i).getReal();
            }
            Arrays.sort(order, (p, q) -> Double.compare(tmp[q], tmp[p]));
            for (int k = 0; k < n; k++) {
                r[k] = tmp[order[k]];
                DMatrixRMaj v = eig.getEigenVector(order[k]);
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += v.data[i] * v.data[i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    u.set(i, k, v.data[i] / norm);
                }
            }
        } else {
            Complex_F64[] ev = eigenvalues(a);
            Arrays.sort(ev, (p, q) -> p.real != q.real ? Double.compare(q.real, p.real) : Double.compare(q.imaginary, p.imaginary));
            for (int k = 0; k < n; k++) {
                r[k] = ev[k].real;
                c[k] = ev[k].imaginary;
            }
        }
        this.re = r;
        this.im = c;
        this.modes = u;
        double max = 0;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, Math.hypot(r[k], c[k]));
        }
        this.zeroTol = Math.max(1e-9 * max, 1e-300);
        this.layerMass = new double[n][];
        for (int k = 0; k < n; k++) {
            if (u != null || n <= ALL_MODES_LIMIT || k == 0 || k == fastest()) {
                layerMass[k] = u != null ? massOfColumn(u, k) : massOfMode(a, r[k], c[k]);
            }
        }
    }

    /** The spectrum of the linearisation {@code lin}. */
    public static Spectrum of(Linearization lin) {
        return new Spectrum(lin);
    }

    /** The eigenvalues of a general square matrix (EJML), unsorted. */
    public static Complex_F64[] eigenvalues(DMatrixRMaj a) {
        int n = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, false);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("eigen-decomposition failed");
        }
        Complex_F64[] out = new Complex_F64[n];
        for (int i = 0; i < n; i++) {
            Complex_F64 e = eig.getEigenvalue(i);
            out[i] = new Complex_F64(e.real, e.imaginary);
        }
        return out;
    }

    /** The linearisation this is the spectrum of. */
    public Linearization linearization() {
        return lin;
    }

    /** Number of eigenvalues (free units). */
    public int size() {
        return re.length;
    }

    /** Real parts, slowest first (a copy). */
    public double[] real() {
        return re.clone();
    }

    /** Imaginary parts, in the order of {@link #real()} (a copy). */
    public double[] imaginary() {
        return im.clone();
    }

    /** {@code Re lambda_k}. */
    public double real(int k) {
        return re[k];
    }

    /** {@code Im lambda_k}. */
    public double imaginary(int k) {
        return im[k];
    }

    /** Below this, a real or imaginary part counts as zero: {@code 1e-9 max |lambda|}. */
    public double zeroTolerance() {
        return zeroTol;
    }

    /** The fixed point's type, if the state is one. */
    public FixedPointType type() {
        return FixedPointType.classify(re, im, zeroTol);
    }

    /** Whether any eigenvalue is complex (the linearised flow rotates). */
    public boolean isComplex() {
        for (double v : im) {
            if (Math.abs(v) > zeroTol) {
                return true;
            }
        }
        return false;
    }

    /** Index of the slowest mode: the largest real part (0, by the sort). */
    public int slowest() {
        return 0;
    }

    /** Index of the fastest mode: the most negative real part. */
    public int fastest() {
        int k = 0;
        for (int i = 1; i < re.length; i++) {
            if (re[i] < re[k]) {
                k = i;
            }
        }
        return k;
    }

    /** Time constant {@code 1/|Re lambda_k|} of mode {@code k} ({@code +inf} when {@code Re lambda} is zero). */
    public double timeConstant(int k) {
        return Math.abs(re[k]) <= zeroTol ? Double.POSITIVE_INFINITY : 1.0 / Math.abs(re[k]);
    }

    /** The predicted asymptotic convergence rate {@code -max Re lambda} (negative: divergence). */
    public double predictedRate() {
        return -re[0];
    }

    /**
     * {@code max |Re lambda| / min |Re lambda|} over the decaying modes: how many of the fastest time
     * constants an explicit method must resolve to see the slowest one settle. NaN without decaying modes.
     */
    public double stiffnessRatio() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double v : re) {
            if (v < -zeroTol) {
                lo = Math.min(lo, -v);
                hi = Math.max(hi, -v);
            }
        }
        return hi == 0 ? Double.NaN : hi / lo;
    }

    /** Mode {@code k}'s share in each layer (sums to 1; clamped layers 0), or null when not computed. */
    public double[] layerMass(int k) {
        return layerMass[k] == null ? null : layerMass[k].clone();
    }

    /** The layer holding most of mode {@code k}, or -1 when its mass was not computed. */
    public int dominantLayer(int k) {
        return argMaxAbs(layerMass[k]);
    }

    /**
     * {@code d Re lambda_k / d log tau_l} for every layer {@code l}: which layer's time constant moves
     * mode {@code k}. Sums to {@code -Re lambda_k} (scaling every tau scales A by its inverse).
     */
    public double[] tauSensitivity(int k) {
        int n = re.length;
        double[] out = new double[layers];
        if (modes != null) {
            double[] m = massOfColumn(modes, k);
            for (int l = 0; l < layers; l++) {
                out[l] = -re[k] * m[l];
            }
            return out;
        }
        DMatrixRMaj a = lin.jacobian();
        double delta = 1e-6;
        for (int l = 0; l < layers; l++) {
            if (!hasComponents(l)) {
                continue;
            }
            double[] vals = new double[2];
            for (int sgn = 0; sgn < 2; sgn++) {
                double f = Math.exp(sgn == 0 ? -delta : delta);
                DMatrixRMaj ap = a.copy();
                for (int i = 0; i < n; i++) {
                    if (layerOf[i] == l) {
                        for (int j = 0; j < n; j++) {
                            ap.data[i * n + j] /= f;
                        }
                    }
                }
                vals[sgn] = nearest(eigenvalues(ap), re[k], im[k]).real;
            }
            out[l] = (vals[1] - vals[0]) / (2 * delta);
        }
        return out;
    }

    /**
     * {@code d Re lambda_k / d log s_l} when {@code Pi_l} is scaled by {@code s_l} at the fixed state
     * (entry L: the prior's precision): which layer's precision moves mode {@code k}. Sums to
     * {@code Re lambda_k} (every term of G is linear in one precision).
     */
    public double[] precisionSensitivity(int k) {
        int n = re.length;
        double[] out = new double[layers];
        double[] tau = lin.tau();
        if (modes != null) {
            for (int l = 0; l < layers; l++) {
                DMatrixRMaj gl = lin.term(l);
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double ui = modes.get(i, k) / Math.sqrt(tau[i]);
                    if (ui == 0) {
                        continue;
                    }
                    for (int j = 0; j < n; j++) {
                        s += ui * gl.data[i * n + j] * modes.get(j, k) / Math.sqrt(tau[j]);
                    }
                }
                out[l] = -s;
            }
            return out;
        }
        DMatrixRMaj g = lin.g();
        double delta = 1e-6;
        for (int l = 0; l < layers; l++) {
            DMatrixRMaj gl = lin.term(l);
            double[] vals = new double[2];
            for (int sgn = 0; sgn < 2; sgn++) {
                DMatrixRMaj gp = g.copy();
                CommonOps_DDRM.addEquals(gp, sgn == 0 ? -delta : delta, gl);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        gp.data[i * n + j] *= -1.0 / tau[i];
                    }
                }
                vals[sgn] = nearest(eigenvalues(gp), re[k], im[k]).real;
            }
            out[l] = (vals[1] - vals[0]) / (2 * delta);
        }
        return out;
    }

    /**
     * How much of an offset {@code dx = x - x*} lies along mode {@code k}, for the gradient flow:
     * {@code |u_k' T^{1/2} dx| / |T^{1/2} dx|} in the metric where the modes are orthonormal (NaN for
     * other feedback). A trajectory shows mode k's rate only once the faster modes have died, and
     * only if its start holds some of mode k.
     */
    public double share(int k, double[] dx) {
        if (modes == null) {
            return Double.NaN;
        }
        double[] tau = lin.tau();
        double c = 0;
        double norm = 0;
        for (int i = 0; i < dx.length; i++) {
            double w = Math.sqrt(tau[i]) * dx[i];
            c += modes.get(i, k) * w;
            norm += w * w;
        }
        return norm == 0 ? 0 : Math.abs(c) / Math.sqrt(norm);
    }

    /** The index of the largest magnitude in {@code v} (-1 for null). */
    public static int argMaxAbs(double[] v) {
        if (v == null) {
            return -1;
        }
        int k = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[k])) {
                k = i;
            }
        }
        return k;
    }

    private boolean hasComponents(int l) {
        for (int v : layerOf) {
            if (v == l) {
                return true;
            }
        }
        return false;
    }

    private static Complex_F64 nearest(Complex_F64[] ev, double r, double i) {
        Complex_F64 best = ev[0];
        double d = Double.POSITIVE_INFINITY;
        for (Complex_F64 e : ev) {
            double dd = Math.hypot(e.real - r, e.imaginary - i);
            if (dd < d) {
                d = dd;
                best = e;
            }
        }
        return best;
    }

    private double[] massOfColumn(DMatrixRMaj u, int k) {
        double[] m = new double[layers];
        double total = 0;
        for (int i = 0; i < u.numRows; i++) {
            double v = u.get(i, k);
            m[layerOf[i]] += v * v;
            total += v * v;
        }
        for (int l = 0; l < layers; l++) {
            m[l] /= total;
        }
        return m;
    }

    /**
     * A mode's layer mass for a general A: the null space of {@code A - lambda I} (real lambda) or of
     * {@code (A - a I)^2 + b^2 I} (lambda = a + ib, spanned by the real and imaginary parts of its
     * eigenvector), from the right singular vectors of the smallest singular values.
     */
    private double[] massOfMode(DMatrixRMaj a, double r, double i) {
        int n = a.numRows;
        DMatrixRMaj m = a.copy();
        for (int d = 0; d < n; d++) {
            m.add(d, d, -r);
        }
        int vectors = 1;
        if (Math.abs(i) > zeroTol) {
            DMatrixRMaj sq = new DMatrixRMaj(n, n);
            CommonOps_DDRM.mult(m, m, sq);
            for (int d = 0; d < n; d++) {
                sq.add(d, d, i * i);
            }
            m = sq;
            vectors = 2;
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, false, true, false);
        if (!svd.decompose(m)) {
            return null;
        }
        double[] sv = svd.getSingularValues();
        DMatrixRMaj vt = svd.getV(null, true);
        Integer[] order = new Integer[sv.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (p, q) -> Double.compare(sv[p], sv[q]));
        double[] mass = new double[layers];
        double total = 0;
        for (int v = 0; v < vectors && v < order.length; v++) {
            int row = order[v];
            for (int c = 0; c < n; c++) {
                double x = vt.get(row, c);
                mass[layerOf[c]] += x * x;
                total += x * x;
            }
        }
        for (int l = 0; l < layers; l++) {
            mass[l] /= total;
        }
        return mass;
    }

    /** Which layers of {@code h} the modes can live in (free ones), for labelling. */
    static boolean[] freeLayers(Linearization lin) {
        Hierarchy h = lin.workspace().hierarchy();
        boolean[] f = new boolean[h.layers()];
        for (int l = 0; l < f.length; l++) {
            f[l] = !lin.workspace().isClamped(l);
        }
        return f;
    }
}
