package org.fena.hierarchy;

import static org.fena.hierarchy.Elementary.C1;
import static org.fena.hierarchy.Elementary.C2;
import static org.fena.hierarchy.Elementary.EP0;
import static org.fena.hierarchy.Elementary.EP1;
import static org.fena.hierarchy.Elementary.EP2;
import static org.fena.hierarchy.Elementary.EQ0;
import static org.fena.hierarchy.Elementary.EQ1;
import static org.fena.hierarchy.Elementary.EQ2;
import static org.fena.hierarchy.Elementary.EQ3;
import static org.fena.hierarchy.Elementary.LOG2E;
import static org.fena.hierarchy.Elementary.MAGIC;
import static org.fena.hierarchy.Elementary.MAGIC_BITS;
import static org.fena.hierarchy.Elementary.TANH_LARGE;
import static org.fena.hierarchy.Elementary.TANH_SMALL;
import static org.fena.hierarchy.Elementary.TP0;
import static org.fena.hierarchy.Elementary.TP1;
import static org.fena.hierarchy.Elementary.TP2;
import static org.fena.hierarchy.Elementary.TQ0;
import static org.fena.hierarchy.Elementary.TQ1;
import static org.fena.hierarchy.Elementary.TQ2;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tanh error pass on the JDK Vector API: {@link Elementary#tanh}'s formulas, operation for
 * operation, in every lane, so the lanes hold the very bits the scalar code computes (IEEE
 * {@code +, -, *, /}, fused multiply-add, which is correctly rounded like {@code Math.fma}, and exact
 * bit manipulation only; no platform math library, whose vector and fallback forms round
 * differently). About three times faster per element than the scalar loop (2.8 vs 9.6 ns at 64
 * units before the fused multiply-adds, which took a fifth off the vector pass), which is most of
 * an evaluation's cost outside the dense products.
 *
 * <p>Why the structure: the energy's partial sums ride in one vector whose lanes are the scalar
 * kernel's four interleaved sums, so the energy is bit-identical to it (when a row is not whole
 * vectors the sum is left to the scalar pass in that order). That vector lives within one row's
 * loop and the sums cross rows as four scalars: a vector carried through the outer loop too was
 * boxed by C2 on JDK 17 (about 830 bytes allocated per batch-1 evaluation, caught by
 * {@code ZeroAllocationTest}), and one flat loop over all rows, which avoided that, lost the
 * range-check elimination of a counted loop (3.8 against 3.5 ns per element). Only called when
 * {@link FusedActivation#VECTOR}: a JVM started without {@code --add-modules jdk.incubator.vector}
 * never loads this class (its methods name the module's types) and runs the scalar loop.
 */
final class VectorKernels {

    /**
     * The one species of FENA's vector kernels (this class and {@link VectorProducts}): four doubles.
     * One shape for all, because mixing shapes makes the Vector API's shared call sites polymorphic
     * and C2 then boxes the vectors of whichever kernel it compiles next (measured: the tanh pass
     * eight times slower after a 256-bit product kernel had run beside a 512-bit one); and 256 bits
     * rather than the machine's widest, because at tens of units wider vectors leave more in scalar
     * tails and, on JDK 17, the 512-bit and "max" shapes compiled worse (measured on an AVX-512
     * EPYC: batch-1 settles about half as fast). {@link VectorGemm} takes it too, unless a JVM opts
     * into eight-lane batch products ({@code -Dfena.gemmBits=512}), which brings back the first
     * problem for the kernels here (see {@link VectorGemm#S}).
     */
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    private VectorKernels() {
    }

    /** Whether this machine runs 256-bit double vectors natively (without, the scalar loops are faster). */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    /**
     * {@code dst[di + j] = tanh(ae[i + j] + bias[j])} for the whole vectors {@code j < bound} of one
     * row: {@link Elementary#tanh} lane by lane, the same operations in the same order, so every lane
     * holds the bits the scalar code computes. Where all four lanes are below {@link
     * Elementary#TANH_SMALL} (most of them in the peer workloads: more than 99% of mnist-mlp's and
     * wide's vectors, 70% of small-batch1's) only Cephes' rational form is computed, which is what the
     * blend of the two forms would have kept in every lane; elsewhere both forms share one division.
     *
     * <p>Why a pass of its own, writing {@code tanh} to memory for the error pass to read back: each
     * branch ends in a store, so no vector is merged from the two branches (C2 on JDK 17 boxes a
     * vector merged from branches), and the two error passes share one copy of the formulas. It takes
     * no vector argument and returns none, so whether C2 inlines it or not nothing is boxed.
     */
    static void tanhRow(double[] ae, int i, double[] bias, int bound, double[] dst, int di) {
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector a = DoubleVector.fromArray(S, ae, i + j).add(DoubleVector.fromArray(S, bias, j));
            DoubleVector ax = a.abs();
            // |x| < 0.625: Cephes' odd rational form on |x|
            DoubleVector xx = ax.mul(ax);
            DoubleVector num = xx.fma(TP0, TP1).fma(xx, DoubleVector.broadcast(S, TP2));
            DoubleVector den = xx.add(TQ0).fma(xx, DoubleVector.broadcast(S, TQ1)).fma(xx, DoubleVector.broadcast(S, TQ2));
            VectorMask<Double> small = ax.compare(VectorOperators.LT, TANH_SMALL);
            DoubleVector mag;
            if (small.allTrue()) {
                mag = ax.mul(xx).mul(num).div(den).add(ax);
                // a's sign bit onto |tanh|, as Math.copySign does (two logic operations, not a compare and a blend)
                mag.reinterpretAsLongs().lanewise(VectorOperators.XOR, a.reinterpretAsLongs().and(Long.MIN_VALUE))
                        .reinterpretAsDoubles().intoArray(dst, di + j);
                continue;
            }
            // |x| >= 0.625: 1 - 2 (q-p) / (2^n (q+p) + (q-p)), with e^{2|x|} = 2^n (q+p)/(q-p)
            DoubleVector y2 = ax.add(ax);
            DoubleVector y = y2.blend(2 * TANH_LARGE, y2.compare(VectorOperators.GT, 2 * TANH_LARGE));
            DoubleVector tm = y.fma(LOG2E, MAGIC);
            DoubleVector n = tm.sub(MAGIC);
            LongVector bits = tm.reinterpretAsLongs().sub(MAGIC_BITS);
            DoubleVector rd = n.fma(DoubleVector.broadcast(S, -C2), n.fma(DoubleVector.broadcast(S, -C1), y));
            DoubleVector rr = rd.mul(rd);
            DoubleVector p = rd.mul(rr.fma(EP0, EP1).fma(rr, DoubleVector.broadcast(S, EP2)));
            DoubleVector q = rr.fma(EQ0, EQ1).fma(rr, DoubleVector.broadcast(S, EQ2)).fma(rr, DoubleVector.broadcast(S, EQ3));
            DoubleVector scale = bits.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector qmp = q.sub(p);
            // one division for both forms: each lane divides its own form's numerator and
            // denominator, the very operands the scalar code divides
            DoubleVector ratio = qmp.add(qmp).blend(ax.mul(xx).mul(num), small)
                    .div(scale.fma(q.add(p), qmp).blend(den, small));
            mag = DoubleVector.broadcast(S, 1.0).sub(ratio).blend(ratio.add(ax), small);
            mag.reinterpretAsLongs().lanewise(VectorOperators.XOR, a.reinterpretAsLongs().and(Long.MIN_VALUE))
                    .reinterpretAsDoubles().intoArray(dst, di + j);
        }
    }

    /**
     * {@link FusedActivation#errorPass} for {@code f = tanh}: writes {@code eps} into {@code ae},
     * {@code Pi eps} into {@code pieps}, {@code f'} into {@code fp}, {@code Pi eps f'} into {@code z}
     * and {@code c Pi eps} into {@code out} (when not null) for the units {@code j} below
     * {@link #bound(int) bound(d)} (whole vectors) of every row; the rest of each row is the caller's,
     * through the scalar formulas. When that bound is {@code d} (every unit covered), returns
     * {@code sum eps Pi eps} in the order of {@link Activations#errorEnergy} (lane {@code k} is its
     * partial sum {@code s_k}: with {@code d % 4 == 0} each vector starts at a multiple of four from
     * {@code i0}), so the energy needs no second pass over the arrays and has the same bits; else NaN.
     * Each row's {@code tanh} goes through {@code z} ({@link #tanhRow}), which then receives
     * {@code Pi eps f'}.
     */
    static double tanhErrorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff,
            double[] pi, double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
        int bound = S.loopBound(d);
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        for (int r = 0; r < rows; r++) {
            int base = i0 + r * d;
            tanhRow(ae, base, bias, bound, z, base);
            // the partial sums cross rows as scalars: a vector carried through the outer loop is
            // boxed by C2 on JDK 17 (allocating in the hot loop); moving lanes in and out is exact
            DoubleVector sum = DoubleVector.zero(S).withLane(0, s0).withLane(1, s1).withLane(2, s2).withLane(3, s3);
            for (int j = 0; j < bound; j += S.length()) {
                int i = base + j;
                DoubleVector t = DoubleVector.fromArray(S, z, i);
                DoubleVector f1 = DoubleVector.broadcast(S, 1.0).sub(t.mul(t));
                DoubleVector e = DoubleVector.fromArray(S, x, xOff + i).sub(t);
                DoubleVector pe = DoubleVector.fromArray(S, pi, j).mul(e);
                e.intoArray(ae, i);
                pe.intoArray(pieps, i);
                f1.intoArray(fp, i);
                pe.mul(f1).intoArray(z, i);
                if (out != null) {
                    pe.mul(c).intoArray(out, outOff + i);
                }
                sum = sum.add(e.mul(pe));
            }
            s0 = sum.lane(0);
            s1 = sum.lane(1);
            s2 = sum.lane(2);
            s3 = sum.lane(3);
        }
        return bound == d ? (s0 + s1) + (s2 + s3) : Double.NaN;
    }

    /**
     * {@link #tanhErrorPass} without storing {@code eps}, {@code Pi eps} and {@code f'} ({@code ae} keeps
     * the prediction), for {@link EnergyWorkspace#stepFlow}: the output, {@code z} and the sum are the
     * same bits, with two fewer streams to memory.
     *
     * <p>Why a second copy of the loop rather than a flag: with "store or not" as a run-time argument,
     * a JVM that ran both kinds of evaluation (a settle's steps, then the full evaluation a learning
     * rule reads) compiled the pass so that it boxed its vectors: a 256-sample mnist-mlp
     * evaluation allocated megabytes and ran some 1.5 times slower (63 collections against 7 in 2,000
     * evaluations, one full among every 25). Each copy now has its own profile.
     */
    static double tanhLeanErrorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff,
            double[] pi, double[] z, double[] out, int outOff, double c) {
        if (rows == 1) {
            return tanhLeanErrorRow(ae, bias, d, i0, x, xOff, pi, z, out, outOff, c);
        }
        int bound = S.loopBound(d);
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        for (int r = 0; r < rows; r++) {
            int base = i0 + r * d;
            tanhRow(ae, base, bias, bound, z, base);
            // the partial sums cross rows as scalars: a vector carried through the outer loop is
            // boxed by C2 on JDK 17 (allocating in the hot loop); moving lanes in and out is exact
            DoubleVector sum = DoubleVector.zero(S).withLane(0, s0).withLane(1, s1).withLane(2, s2).withLane(3, s3);
            for (int j = 0; j < bound; j += S.length()) {
                int i = base + j;
                DoubleVector t = DoubleVector.fromArray(S, z, i);
                DoubleVector f1 = DoubleVector.broadcast(S, 1.0).sub(t.mul(t));
                DoubleVector e = DoubleVector.fromArray(S, x, xOff + i).sub(t);
                DoubleVector pe = DoubleVector.fromArray(S, pi, j).mul(e);
                pe.mul(f1).intoArray(z, i);
                if (out != null) {
                    pe.mul(c).intoArray(out, outOff + i);
                }
                sum = sum.add(e.mul(pe));
            }
            s0 = sum.lane(0);
            s1 = sum.lane(1);
            s2 = sum.lane(2);
            s3 = sum.lane(3);
        }
        return bound == d ? (s0 + s1) + (s2 + s3) : Double.NaN;
    }

    /**
     * {@link #tanhLeanErrorPass} for one row (a one-sample stepFlow): the same operations in the same
     * order, so the same bits, with the energy's four partial sums in one vector from zero instead of
     * carried in and out of the rows loop as scalars. Those lane moves and the loop around them cost
     * a fifth of the pass at small-batch1's 64 and 32 units: 87 against 109-112 ns per step for its
     * two layers alone in a loop. A copy of the loop rather than one loop shared with the rows
     * version: sharing it would pass the partial sums across a call, as a vector (boxed by C2 on
     * JDK 17) or through a scratch array every caller would have to supply.
     */
    static double tanhLeanErrorRow(double[] ae, double[] bias, int d, int i0, double[] x, int xOff, double[] pi,
            double[] z, double[] out, int outOff, double c) {
        int bound = S.loopBound(d);
        tanhRow(ae, i0, bias, bound, z, i0);
        DoubleVector sum = DoubleVector.zero(S);
        for (int j = 0; j < bound; j += S.length()) {
            int i = i0 + j;
            DoubleVector t = DoubleVector.fromArray(S, z, i);
            DoubleVector f1 = DoubleVector.broadcast(S, 1.0).sub(t.mul(t));
            DoubleVector e = DoubleVector.fromArray(S, x, xOff + i).sub(t);
            DoubleVector pe = DoubleVector.fromArray(S, pi, j).mul(e);
            pe.mul(f1).intoArray(z, i);
            if (out != null) {
                pe.mul(c).intoArray(out, outOff + i);
            }
            sum = sum.add(e.mul(pe));
        }
        return bound == d ? (sum.lane(0) + sum.lane(1)) + (sum.lane(2) + sum.lane(3)) : Double.NaN;
    }

    /** The units of each row that {@link #tanhErrorPass} covers: {@code d} rounded down to whole vectors. */
    static int bound(int d) {
        return S.loopBound(d);
    }
}
