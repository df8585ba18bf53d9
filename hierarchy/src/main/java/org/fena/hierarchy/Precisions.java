package org.fena.hierarchy;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The three kinds of precision {@code Pi} that weigh a layer's error {@code eps} in the energy
 * {@code 1/2 eps' Pi eps}: scalar {@code pi I}, diagonal, and full symmetric positive definite.
 *
 * <p>Every factory validates its input and refuses, with an {@link IllegalArgumentException} that
 * says what is wrong, anything that is not a valid precision: the energy of a precision that is not
 * positive definite has no minimum, so no simulation of it means anything. The returned objects are
 * immutable.
 */
public final class Precisions {

    /** Symmetry tolerance relative to the largest entry: an SPD matrix typed in by hand or computed as Q'Q + cI passes. */
    static final double SYMMETRY_TOLERANCE = 1e-12;

    private Precisions() {
    }

    /** {@code Pi = pi I} on {@code d} units; {@code d >= 1}, {@code pi > 0} finite. */
    public static Precision scalar(int d, double pi) {
        if (d < 1) {
            throw new IllegalArgumentException("scalar precision: dimension must be >= 1, got " + d);
        }
        if (!(pi > 0) || !Double.isFinite(pi)) {
            throw new IllegalArgumentException("scalar precision must be a finite number > 0, got " + pi);
        }
        return new Scalar(d, pi);
    }

    /** {@code Pi = diag(pi)}; every entry {@code > 0} and finite. The array is copied. */
    public static Precision diagonal(double[] pi) {
        if (pi == null || pi.length < 1) {
            throw new IllegalArgumentException("diagonal precision: expected at least one entry");
        }
        for (int i = 0; i < pi.length; i++) {
            if (!(pi[i] > 0) || !Double.isFinite(pi[i])) {
                throw new IllegalArgumentException("diagonal precision: entry " + i
                        + " must be a finite number > 0, got " + pi[i]);
            }
        }
        return new Diagonal(pi.clone());
    }

    /**
     * A full precision from a row-major {@code d x d} matrix, which must be symmetric (to
     * {@code 1e-12} relative to its largest entry; it is then symmetrised exactly) and positive
     * definite (an EJML Cholesky factorisation succeeds). The array is copied.
     *
     * @throws IllegalArgumentException "wrong size", "not symmetric at (i, j)", or "not positive definite"
     */
    public static Precision full(int d, double[] rowMajor) {
        if (d < 1) {
            throw new IllegalArgumentException("full precision: dimension must be >= 1, got " + d);
        }
        if (rowMajor == null || rowMajor.length != d * d) {
            throw new IllegalArgumentException("full precision: wrong size, expected d*d = " + d * d
                    + " row-major values for d = " + d + ", got " + (rowMajor == null ? "none" : rowMajor.length));
        }
        double max = 0;
        for (int i = 0; i < rowMajor.length; i++) {
            double v = rowMajor[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("full precision: entry (" + i / d + ", " + i % d
                        + ") is not finite: " + v);
            }
            max = Math.max(max, Math.abs(v));
        }
        double[] p = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double a = rowMajor[i * d + j];
                double b = rowMajor[j * d + i];
                if (Math.abs(a - b) > SYMMETRY_TOLERANCE * max) {
                    throw new IllegalArgumentException("full precision: not symmetric at (" + i + ", " + j
                            + "): " + a + " vs (" + j + ", " + i + "): " + b);
                }
                p[i * d + j] = i == j ? a : 0.5 * (a + b);
            }
        }
        DMatrixRMaj m = DMatrixRMaj.wrap(d, d, p.clone());
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(m)) {
            throw new IllegalArgumentException("full precision: not positive definite (Cholesky factorisation failed)");
        }
        DMatrixRMaj lower = chol.getT(null);
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double lii = lower.get(i, i);
            if (!(lii > 0) || !Double.isFinite(lii)) {
                throw new IllegalArgumentException("full precision: not positive definite (Cholesky pivot " + i
                        + " is " + lii + ")");
            }
            logDet += 2 * Math.log(lii);
        }
        if (!Double.isFinite(logDet)) {
            throw new IllegalArgumentException("full precision: not positive definite (log det = " + logDet + ")");
        }
        return new Full(d, p, logDet);
    }

    /**
     * A precision with one weight per unit (scalar or diagonal): the workspace fuses it into its
     * elementwise pass instead of calling {@link Precision#apply}.
     */
    abstract static class PerUnit implements Precision {
        /** {@code pi_j} for each unit j; never modified, never handed out. */
        abstract double[] unitWeights();

        @Override
        public double apply(double[] eps, int off, double[] out, int outOff, int batch) {
            double[] pi = unitWeights();
            int d = pi.length;
            double sum = 0;
            for (int r = 0, i = 0; r < batch; r++) {
                for (int j = 0; j < d; j++, i++) {
                    double e = eps[off + i];
                    double pe = pi[j] * e;
                    out[outOff + i] = pe;
                    sum += e * pe;
                }
            }
            return 0.5 * sum;
        }

        @Override
        public int dimension() {
            return unitWeights().length;
        }
    }

    static final class Scalar extends PerUnit {
        private final double pi;
        private final double[] weights;

        Scalar(int d, double pi) {
            this.pi = pi;
            this.weights = new double[d];
            Arrays.fill(weights, pi);
        }

        /** {@code pi}. */
        double value() {
            return pi;
        }

        @Override double[] unitWeights() { return weights; }
        @Override public String kind() { return "scalar"; }
        @Override public double logDet() { return weights.length * Math.log(pi); }

        @Override
        public double[] toDense() {
            int d = weights.length;
            double[] m = new double[d * d];
            for (int i = 0; i < d; i++) {
                m[i * d + i] = pi;
            }
            return m;
        }

        @Override
        public String toString() {
            return "scalar(" + weights.length + ", " + pi + ")";
        }
    }

    static final class Diagonal extends PerUnit {
        private final double[] pi;

        Diagonal(double[] pi) {
            this.pi = pi;
        }

        @Override double[] unitWeights() { return pi; }
        @Override public String kind() { return "diagonal"; }

        @Override
        public double logDet() {
            double s = 0;
            for (double v : pi) {
                s += Math.log(v);
            }
            return s;
        }

        @Override
        public double[] toDense() {
            int d = pi.length;
            double[] m = new double[d * d];
            for (int i = 0; i < d; i++) {
                m[i * d + i] = pi[i];
            }
            return m;
        }

        @Override
        public String toString() {
            return "diagonal" + Arrays.toString(pi);
        }
    }

    static final class Full implements Precision {
        private final int d;
        private final double[] p;
        private final double logDet;

        Full(int d, double[] p, double logDet) {
            this.d = d;
            this.p = p;
            this.logDet = logDet;
        }

        @Override public int dimension() { return d; }
        @Override public String kind() { return "full"; }
        @Override public double logDet() { return logDet; }
        @Override public double[] toDense() { return p.clone(); }

        @Override
        public double apply(double[] eps, int off, double[] out, int outOff, int batch) {
            // rows of (Pi eps) = rows of eps times Pi (Pi symmetric)
            Blas.gemm(batch, d, d, 1.0, eps, off, p, 0, false, 0.0, out, outOff);
            double sum = 0;
            for (int i = 0, n = batch * d; i < n; i++) {
                sum += eps[off + i] * out[outOff + i];
            }
            return 0.5 * sum;
        }

        @Override
        public String toString() {
            return "full(" + d + ")";
        }
    }
}
