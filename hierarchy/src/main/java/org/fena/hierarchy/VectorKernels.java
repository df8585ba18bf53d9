package org.fena.hierarchy;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The error passes of the transcendental activations on the JDK Vector API, with {@code exp} and
 * {@code tanh} computed lane-wise from IEEE arithmetic exactly as {@link Elementary} computes them
 * in scalar code (several times faster than {@code Math.tanh} per element, within 2 ulp), which is
 * what a batch-1 settle of a small network spends most of its time on. The Vector API's own
 * {@code TANH}/{@code EXP} are not used: they round differently before and after JIT compilation.
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

    /** {@link Elementary#exp} lane by lane, the same operations in the same order. */
    static DoubleVector exp(DoubleVector x) {
        x = x.max(-Elementary.EXP_LIMIT).min(Elementary.EXP_LIMIT);
        DoubleVector t = x.mul(Elementary.LOG2E).add(Elementary.MAGIC);
        DoubleVector n = t.sub(Elementary.MAGIC);
        LongVector bits = t.reinterpretAsLongs().sub(Elementary.MAGIC_BITS);
        DoubleVector r = x.sub(n.mul(Elementary.C1));
        r = r.sub(n.mul(Elementary.C2));
        DoubleVector rr = r.mul(r);
        DoubleVector p = r.mul(rr.mul(Elementary.EP0).add(Elementary.EP1).mul(rr).add(Elementary.EP2));
        DoubleVector q = rr.mul(Elementary.EQ0).add(Elementary.EQ1).mul(rr).add(Elementary.EQ2).mul(rr)
                .add(Elementary.EQ3);
        DoubleVector e = ONE.add(p.div(q.sub(p)).mul(2.0));
        return e.mul(bits.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
    }

    /** {@link Elementary#tanh} lane by lane. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector ax = x.abs().min(Elementary.TANH_LARGE);
        DoubleVector s = exp(ax.add(ax));
        DoubleVector big = ONE.sub(DoubleVector.broadcast(S, 2.0).div(s.add(1.0)));
        VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
        big = big.blend(big.neg(), negative);
        DoubleVector xx = x.mul(x);
        DoubleVector num = xx.mul(Elementary.TP0).add(Elementary.TP1).mul(xx).add(Elementary.TP2);
        DoubleVector den = xx.add(Elementary.TQ0).mul(xx).add(Elementary.TQ1).mul(xx).add(Elementary.TQ2);
        DoubleVector small = x.mul(xx).mul(num.div(den)).add(x);
        return big.blend(small, ax.compare(VectorOperators.LT, Elementary.TANH_SMALL));
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
                DoubleVector t = tanh(DoubleVector.fromArray(S, ae, i).add(DoubleVector.fromArray(S, bias, j)));
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
                double t = Elementary.tanh(ae[i] + bias[j]);
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
                DoubleVector s = ONE.div(ONE.add(exp(a.neg())));
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
                double s = Elementary.logistic(ae[i] + bias[j]);
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
