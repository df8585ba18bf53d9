package org.fena.hierarchy;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The error passes of the transcendental activations on the JDK Vector API: {@code tanh} and
 * {@code exp} map to the platform's vectorised math library (SVML on x86), about ten times faster
 * than {@code Math.tanh} per element at the same accuracy (within an ulp or two), which is what a
 * batch-1 settle of a small network spends most of its time on.
 *
 * <p>Only referenced when {@link #AVAILABLE}: a JVM started without
 * {@code --add-modules jdk.incubator.vector} never loads this class and runs the scalar loops.
 * The energy's sum is reduced lane-wise per vector (no vector is carried across iterations: C2
 * on JDK 17 would box it), so it may differ from the scalar order in the last bits.
 */
final class VectorKernels {

    /** Whether the Vector API module is present (and not switched off with {@code -Dfena.vector=false}). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("fena.vector"));

    /**
     * Four lanes: every layer width of the peer workloads is a multiple of 4, and full vectors with a
     * scalar tail stay allocation-free once compiled (masked tails do not, on JDK 17).
     */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    /** Held as a constant: a per-call broadcast is not always scalar-replaced by C2 and would allocate. */
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);

    private VectorKernels() {
    }

    /** {@link FusedActivation#errorPass} for {@code f = tanh}, {@code f' = 1 - f^2}. */
    static double tanhErrorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
            double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
        int bound = S.loopBound(d);
        double tail = 0;
        for (int r = 0, base = i0; r < rows; r++, base += d) {
            int j = 0;
            for (; j < bound; j += S.length()) {
                int i = base + j;
                DoubleVector t = DoubleVector.fromArray(S, ae, i).add(DoubleVector.fromArray(S, bias, j))
                        .lanewise(VectorOperators.TANH);
                DoubleVector f1 = ONE.sub(t.mul(t));
                DoubleVector e = DoubleVector.fromArray(S, x, xOff + i).sub(t);
                DoubleVector pe = DoubleVector.fromArray(S, pi, j).mul(e);
                e.intoArray(ae, i);
                pe.intoArray(pieps, i);
                f1.intoArray(fp, i);
                pe.mul(f1).intoArray(z, i);
                tail += e.mul(pe).reduceLanes(VectorOperators.ADD);
                if (out != null) {
                    pe.mul(c).intoArray(out, outOff + i);
                }
            }
            for (; j < d; j++) {
                int i = base + j;
                double t = Math.tanh(ae[i] + bias[j]);
                double f1 = 1.0 - t * t;
                double e = x[xOff + i] - t;
                double pe = pi[j] * e;
                ae[i] = e;
                pieps[i] = pe;
                fp[i] = f1;
                z[i] = pe * f1;
                tail += e * pe;
                if (out != null) {
                    out[outOff + i] = c * pe;
                }
            }
        }
        return tail;
    }

    /** {@link FusedActivation#errorPass} for the logistic {@code s = 1 / (1 + e^{-a})}, {@code s' = s (1 - s)}. */
    static double logisticErrorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
            double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
        int bound = S.loopBound(d);
        double tail = 0;
        for (int r = 0, base = i0; r < rows; r++, base += d) {
            int j = 0;
            for (; j < bound; j += S.length()) {
                int i = base + j;
                DoubleVector a = DoubleVector.fromArray(S, ae, i).add(DoubleVector.fromArray(S, bias, j));
                DoubleVector s = ONE.div(ONE.add(a.neg().lanewise(VectorOperators.EXP)));
                DoubleVector f1 = s.mul(ONE.sub(s));
                DoubleVector e = DoubleVector.fromArray(S, x, xOff + i).sub(s);
                DoubleVector pe = DoubleVector.fromArray(S, pi, j).mul(e);
                e.intoArray(ae, i);
                pe.intoArray(pieps, i);
                f1.intoArray(fp, i);
                pe.mul(f1).intoArray(z, i);
                tail += e.mul(pe).reduceLanes(VectorOperators.ADD);
                if (out != null) {
                    pe.mul(c).intoArray(out, outOff + i);
                }
            }
            for (; j < d; j++) {
                int i = base + j;
                double s = Activations.logistic(ae[i] + bias[j]);
                double f1 = s * (1.0 - s);
                double e = x[xOff + i] - s;
                double pe = pi[j] * e;
                ae[i] = e;
                pieps[i] = pe;
                fp[i] = f1;
                z[i] = pe * f1;
                tail += e * pe;
                if (out != null) {
                    out[outOff + i] = c * pe;
                }
            }
        }
        return tail;
    }
}
