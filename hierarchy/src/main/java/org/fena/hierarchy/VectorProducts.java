package org.fena.hierarchy;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * One sample's dense products on the JDK Vector API: the prediction {@code c = W x} and the
 * bottom-up term {@code out = alpha W' z + beta out} of a batch-1 evaluation. At batch 1 and tens of
 * units a BLAS call costs more in argument checks and dispatch than the arithmetic, and plain loops
 * wait on one chain of adds; these kernels keep several independent fused multiply-add chains in
 * vector registers instead.
 *
 * <p>Only called when {@link FusedActivation#VECTOR}: a JVM started without the module never loads
 * this class. Sums are taken in a fixed order, so a given machine gives the same bits at every call;
 * they differ from the BLAS's in the last bits, as the BLAS backends differ from one another.
 */
final class VectorProducts {

    private static final VectorSpecies<Double> S = VectorKernels.S;
    private static final int N = S.length();
    /** Lane {@code i} to lane {@code i ^ 1}, {@code i ^ 2}; and the lanes with that bit set. */
    private static final VectorShuffle<Double> X1 = VectorShuffle.fromValues(S, 1, 0, 3, 2);
    private static final VectorShuffle<Double> X2 = VectorShuffle.fromValues(S, 2, 3, 0, 1);
    private static final VectorMask<Double> M1 = VectorMask.fromValues(S, false, true, false, true);
    private static final VectorMask<Double> M2 = VectorMask.fromValues(S, false, false, true, true);
    /** The lane numbers, for masks of the lanes past a point (one compare; {@code indexInRange} is not an intrinsic). */
    private static final DoubleVector IOTA = DoubleVector.fromArray(S, new double[] {0, 1, 2, 3}, 0);

    private VectorProducts() {
    }

    /**
     * Lane {@code i} of the result is {@code a[i] + a[i ^ s]} where lane {@code i} has bit {@code s}
     * clear and {@code b[i] + b[i ^ s]} where it is set: one level of a transposing sum tree, which
     * turns four row accumulators into one vector of the four row sums in two levels, without a
     * horizontal reduction per row.
     */
    private static DoubleVector fold(DoubleVector a, DoubleVector b, VectorShuffle<Double> xs, VectorMask<Double> ms) {
        return a.add(a.rearrange(xs)).blend(b.add(b.rearrange(xs)), ms);
    }

    /**
     * {@code c[cOff + i] = sum_j w[i k + j] x[xOff + j]} for {@code i < m}: row-major {@code W}
     * ({@code m x k}) times one sample.
     */
    static void predict(double[] w, int m, int k, double[] x, int xOff, double[] c, int cOff) {
        predict(w, 0, m, k, x, xOff, c, cOff);
    }

    /**
     * {@link #predict(double[], int, int, double[], int, double[], int)} with {@code W} starting at
     * {@code w[wOff]}: a copy placed on a 32-byte boundary ({@link Aligned}).
     */
    static void predict(double[] w, int wOff, int m, int k, double[] x, int xOff, double[] c, int cOff) {
        int i = k >= N ? predictBlocks(w, wOff, m, k, x, xOff, c, cOff) : 0;
        int kb = S.loopBound(k);
        for (; i < m; i++) {
            int o = wOff + i * k;
            double s = 0.0;
            if (kb > 0) {
                DoubleVector a = DoubleVector.zero(S);
                for (int j = 0; j < kb; j += N) {
                    a = DoubleVector.fromArray(S, w, o + j).fma(DoubleVector.fromArray(S, x, xOff + j), a);
                }
                // lanes added in a fixed order: reduceLanes leaves the order to the platform, so its
                // compiled and interpreted forms need not give the same bits
                s = (a.lane(0) + a.lane(1)) + (a.lane(2) + a.lane(3));
            }
            for (int j = kb; j < k; j++) {
                s = Math.fma(w[o + j], x[xOff + j], s);
            }
            c[cOff + i] = s;
        }
    }

    /**
     * Rows in blocks of four ({@code k >= 4}): four accumulators share each load of x. A row length
     * that is not a whole number of vectors ends with one vector over its last four columns, whose
     * lanes already counted meet zeros in {@code x}, so no column is taken one at a time. Returns the
     * rows done.
     */
    private static int predictBlocks(double[] w, int wOff, int m, int k, double[] x, int xOff, double[] c, int cOff) {
        int kb = S.loopBound(k);
        boolean ragged = kb < k;
        DoubleVector xt = DoubleVector.fromArray(S, x, xOff + k - N)
                .blend(DoubleVector.zero(S), IOTA.compare(VectorOperators.LT, N - (k - kb)));
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int o0 = wOff + i * k;
            int o1 = o0 + k;
            int o2 = o1 + k;
            int o3 = o2 + k;
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int j = 0; j < kb; j += N) {
                DoubleVector xv = DoubleVector.fromArray(S, x, xOff + j);
                a0 = DoubleVector.fromArray(S, w, o0 + j).fma(xv, a0);
                a1 = DoubleVector.fromArray(S, w, o1 + j).fma(xv, a1);
                a2 = DoubleVector.fromArray(S, w, o2 + j).fma(xv, a2);
                a3 = DoubleVector.fromArray(S, w, o3 + j).fma(xv, a3);
            }
            if (ragged) {
                int t = k - N;
                a0 = DoubleVector.fromArray(S, w, o0 + t).fma(xt, a0);
                a1 = DoubleVector.fromArray(S, w, o1 + t).fma(xt, a1);
                a2 = DoubleVector.fromArray(S, w, o2 + t).fma(xt, a2);
                a3 = DoubleVector.fromArray(S, w, o3 + t).fma(xt, a3);
            }
            fold(fold(a0, a1, X1, M1), fold(a2, a3, X1, M1), X2, M2).intoArray(c, cOff + i);
        }
        return i;
    }

    /**
     * {@code out[outOff + j] = beta out[outOff + j] + alpha sum_i z[zOff + i] w[i n + j]} for
     * {@code j < n}: one sample's row {@code z} times row-major {@code W} ({@code m x n}). Output
     * columns are taken four vectors at a time, each a register accumulator over the rows of W;
     * {@code beta = 0} overwrites whatever {@code out} held, as in BLAS.
     */
    static void backProject(double[] w, int m, int n, double[] z, int zOff, double alpha, double beta,
            double[] out, int outOff) {
        backProject(w, 0, m, n, z, zOff, alpha, beta, out, outOff);
    }

    /**
     * {@link #backProject(double[], int, int, double[], int, double, double, double[], int)} with
     * {@code W} starting at {@code w[wOff]}: a copy placed on a 32-byte boundary ({@link Aligned}).
     */
    static void backProject(double[] w, int wOff, int m, int n, double[] z, int zOff, double alpha, double beta,
            double[] out, int outOff) {
        int nb = S.loopBound(n);
        int j = nb >= 8 * N && (beta == 0.0 || beta == 1.0)
                ? backColumns8(w, wOff, m, n, z, zOff, alpha, beta != 0.0, out, outOff) : 0;
        for (; j + 4 * N <= nb; j += 4 * N) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int i = 0, o = wOff + j; i < m; i++, o += n) {
                DoubleVector zi = DoubleVector.broadcast(S, z[zOff + i]);
                a0 = DoubleVector.fromArray(S, w, o).fma(zi, a0);
                a1 = DoubleVector.fromArray(S, w, o + N).fma(zi, a1);
                a2 = DoubleVector.fromArray(S, w, o + 2 * N).fma(zi, a2);
                a3 = DoubleVector.fromArray(S, w, o + 3 * N).fma(zi, a3);
            }
            store(a0, alpha, beta, out, outOff + j);
            store(a1, alpha, beta, out, outOff + j + N);
            store(a2, alpha, beta, out, outOff + j + 2 * N);
            store(a3, alpha, beta, out, outOff + j + 3 * N);
        }
        if (n >= N && j < n) {
            backRest(w, wOff, m, n, j, z, zOff, alpha, beta, out, outOff);
            return;
        }
        for (; j < n; j++) {
            // fewer columns than a vector: four interleaved partial sums per column
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            int i = 0;
            int o = wOff + j;
            for (; i + 3 < m; i += 4, o += 4 * n) {
                s0 = Math.fma(w[o], z[zOff + i], s0);
                s1 = Math.fma(w[o + n], z[zOff + i + 1], s1);
                s2 = Math.fma(w[o + 2 * n], z[zOff + i + 2], s2);
                s3 = Math.fma(w[o + 3 * n], z[zOff + i + 3], s3);
            }
            for (; i < m; i++, o += n) {
                s0 = Math.fma(w[o], z[zOff + i], s0);
            }
            double s = (s0 + s1) + (s2 + s3);
            out[outOff + j] = beta == 0.0 ? alpha * s : Math.fma(beta, out[outOff + j], alpha * s);
        }
    }

    /**
     * {@link #backProject}'s columns from {@code j} on, fewer than four vectors' worth ({@code n >= N}):
     * the whole vectors left and, when {@code n} is not a whole number of vectors, one last vector
     * ending at column {@code n}, all in one pass over the rows, so their multiply-add chains run side
     * by side instead of one after another (small-batch1's 32 x 10 back-projection is three such
     * vectors: 80 ns as three chains in turn). Each column's sum is still one chain in row order, the
     * bits of the one-vector loop it replaces. Four accumulators always, so no vector is chosen at run
     * time (C2 on JDK 17 boxes a vector merged from branches): slots without a vector of their own
     * repeat the first offset and are dropped; the last vector, if any, is slot 3, and its lanes left of
     * column {@code j + whole vectors} keep what {@code out} holds.
     */
    private static void backRest(double[] w, int wOff, int m, int n, int j, double[] z, int zOff, double alpha,
            double beta, double[] out, int outOff) {
        int nb = S.loopBound(n);
        int v = (nb - j) / N;
        boolean ragged = nb < n;
        int t = n - N;
        int c0 = v > 0 ? j : t;
        int c1 = v > 1 ? j + N : c0;
        int c2 = v > 2 ? j + 2 * N : c0;
        int c3 = ragged ? t : c0;
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        for (int i = 0, o = wOff; i < m; i++, o += n) {
            DoubleVector zi = DoubleVector.broadcast(S, z[zOff + i]);
            a0 = DoubleVector.fromArray(S, w, o + c0).fma(zi, a0);
            a1 = DoubleVector.fromArray(S, w, o + c1).fma(zi, a1);
            a2 = DoubleVector.fromArray(S, w, o + c2).fma(zi, a2);
            a3 = DoubleVector.fromArray(S, w, o + c3).fma(zi, a3);
        }
        if (v > 0) {
            store(a0, alpha, beta, out, outOff + c0);
        }
        if (v > 1) {
            store(a1, alpha, beta, out, outOff + c1);
        }
        if (v > 2) {
            store(a2, alpha, beta, out, outOff + c2);
        }
        if (ragged) {
            DoubleVector old = DoubleVector.fromArray(S, out, outOff + t);
            DoubleVector r = a3.mul(alpha);
            if (beta != 0.0) {
                r = old.fma(DoubleVector.broadcast(S, beta), r);
            }
            old.blend(r, IOTA.compare(VectorOperators.GE, j + v * N - t)).intoArray(out, outOff + t);
        }
    }

    /**
     * {@link #backProject}'s columns in blocks of eight vectors: eight independent multiply-add
     * chains keep both FMA pipes busy where four chains of four-cycle latency fill about one
     * (measured on the 64 x 32 product of {@code small-batch1}: 92–133 ns against 136–190 ns). Only
     * for {@code beta} 0 ({@code add} false) or 1 ({@code add} true), the two the energy's
     * evaluation uses; {@code old + r} is {@code fma(old, 1, r)} to the bit, so the columns come out
     * as the four-vector loop would write them. A method of its own with the lightest store, to stay
     * under C2's node-count cutoff (past it C2 stops inlining the Vector API calls and boxes the
     * vectors: 64 bytes allocated per product when the stores were {@link #store}). Returns the
     * columns done.
     */
    private static int backColumns8(double[] w, int wOff, int m, int n, double[] z, int zOff, double alpha,
            boolean add, double[] out, int outOff) {
        int nb = S.loopBound(n);
        int j = 0;
        for (; j + 8 * N <= nb; j += 8 * N) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            DoubleVector a4 = a0;
            DoubleVector a5 = a0;
            DoubleVector a6 = a0;
            DoubleVector a7 = a0;
            for (int i = 0, o = wOff + j; i < m; i++, o += n) {
                DoubleVector zi = DoubleVector.broadcast(S, z[zOff + i]);
                a0 = DoubleVector.fromArray(S, w, o).fma(zi, a0);
                a1 = DoubleVector.fromArray(S, w, o + N).fma(zi, a1);
                a2 = DoubleVector.fromArray(S, w, o + 2 * N).fma(zi, a2);
                a3 = DoubleVector.fromArray(S, w, o + 3 * N).fma(zi, a3);
                a4 = DoubleVector.fromArray(S, w, o + 4 * N).fma(zi, a4);
                a5 = DoubleVector.fromArray(S, w, o + 5 * N).fma(zi, a5);
                a6 = DoubleVector.fromArray(S, w, o + 6 * N).fma(zi, a6);
                a7 = DoubleVector.fromArray(S, w, o + 7 * N).fma(zi, a7);
            }
            put(a0, alpha, add, out, outOff + j);
            put(a1, alpha, add, out, outOff + j + N);
            put(a2, alpha, add, out, outOff + j + 2 * N);
            put(a3, alpha, add, out, outOff + j + 3 * N);
            put(a4, alpha, add, out, outOff + j + 4 * N);
            put(a5, alpha, add, out, outOff + j + 5 * N);
            put(a6, alpha, add, out, outOff + j + 6 * N);
            put(a7, alpha, add, out, outOff + j + 7 * N);
        }
        return j;
    }

    /**
     * Rows of {@code W'} per block of {@link #packTransposed}'s layout (the kernels' shifts and
     * displacements are written for 8 rows of four-lane vectors, in two groups of four).
     */
    static final int PACK_ROWS = 8;
    /** {@code v} turned by one, two, three lanes: lane {@code q} of the result is {@code v[(q - r) mod 4]}. */
    private static final VectorShuffle<Double> R1 = VectorShuffle.fromValues(S, 3, 0, 1, 2);
    private static final VectorShuffle<Double> R2 = VectorShuffle.fromValues(S, 2, 3, 0, 1);
    private static final VectorShuffle<Double> R3 = VectorShuffle.fromValues(S, 1, 2, 3, 0);

    /**
     * Doubles that {@link #packTransposed} writes for a row-major {@code W} ({@code m x k}): {@code W'}'s
     * {@code k} rows rounded up to whole blocks of {@link #PACK_ROWS}.
     */
    static int packedLength(int m, int k) {
        return (k + PACK_ROWS - 1) / PACK_ROWS * PACK_ROWS * m;
    }

    /**
     * One copy of a row-major {@code W} ({@code m x k}, {@code m} a multiple of four) that serves both of
     * one sample's products at a step, {@link #predictPacked} ({@code W x}) and {@link #backPacked}
     * ({@code W' z}), where two copies (row-major and transposed) would not fit in L1 beside each other:
     * on small-batch1's 64 x 32 layer the two took 32 KB, all of a Zen 4 core's L1 data cache, and the
     * step's four products ran at 376 ns against 268 ns from one copy (scratch loop, aligned arrays).
     *
     * <p>{@code W'}'s rows are taken in groups of four, two groups to a block of {@link #PACK_ROWS}.
     * For column vector {@code c} (columns {@code 4c..4c+3} of {@code W'}) a group's four rows lie
     * in one run of 16 doubles, turned: slot {@code s}, lane {@code l} holds row {@code (s + l) mod 4}
     * of the group. So {@code W' z} is a dot product per slot with no lane sums per row (the four
     * slots of a group are added after turning slot {@code s} by {@code s} lanes, which puts each
     * row's partial sums in that row's lane), and {@code W x} multiplies each slot by {@code x}'s
     * group turned the same way. Both kernels read their vectors at constant displacements. The rows
     * of a last block short of eight are zeros. {@code p[off + b 8m + 32c + 16g + 4s + l] =
     * W[4c + l][8b + 4g + (s + l) mod 4]}. An {@code m} that is not a multiple of four is refused.
     */
    static void packTransposed(double[] w, int m, int k, double[] p, int off) {
        if (m % N != 0) {
            throw new IllegalArgumentException("packTransposed needs a row count that is a multiple of " + N + ", got " + m);
        }
        // written in the copy's own order, each entry once: one sample's settle takes its copies at its
        // first step, and scattering W's entries to their slots (a division and three remainders per
        // entry, and a fill first) took 4.7 us for small-batch1's 64 x 32, ten of its steps; a whole
        // group of four rows of W' is its 16 entries written out (slot s, lane l: column g + (s + l) mod 4
        // of row c + l of W)
        int o = off;
        for (int i0 = 0; i0 < k; i0 += PACK_ROWS) {
            for (int c = 0; c < m; c += N) {
                int r0 = c * k;
                int r1 = r0 + k;
                int r2 = r1 + k;
                int r3 = r2 + k;
                for (int g = i0; g < i0 + PACK_ROWS; g += N, o += N * N) {
                    if (g + N <= k) {
                        p[o] = w[r0 + g];
                        p[o + 1] = w[r1 + g + 1];
                        p[o + 2] = w[r2 + g + 2];
                        p[o + 3] = w[r3 + g + 3];
                        p[o + 4] = w[r0 + g + 1];
                        p[o + 5] = w[r1 + g + 2];
                        p[o + 6] = w[r2 + g + 3];
                        p[o + 7] = w[r3 + g];
                        p[o + 8] = w[r0 + g + 2];
                        p[o + 9] = w[r1 + g + 3];
                        p[o + 10] = w[r2 + g];
                        p[o + 11] = w[r3 + g + 1];
                        p[o + 12] = w[r0 + g + 3];
                        p[o + 13] = w[r1 + g];
                        p[o + 14] = w[r2 + g + 1];
                        p[o + 15] = w[r3 + g + 2];
                        continue;
                    }
                    for (int s = 0, q = o; s < N; s++) {
                        for (int l = 0; l < N; l++, q++) {
                            int i = g + ((s + l) & (N - 1));
                            p[q] = i < k ? w[(c + l) * k + i] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code c[cOff + j] = sum_i W[j][i] x[xOff + i]} for {@code j < m}, from {@link #packTransposed}'s
     * copy: the output columns in register accumulators (eight, four, then one vector at a time) over
     * groups of four rows, each accumulator a chain of multiply-adds in a fixed order (within a group,
     * lane {@code l} takes rows {@code l, l+1, l+2, l+3 mod 4}). {@code tail} (four doubles) holds the
     * last group of {@code x} padded with zeros when {@code k} is not a multiple of four.
     */
    static void predictPacked(double[] p, int off, int m, int k, double[] x, int xOff, double[] c, int cOff,
            double[] tail) {
        int groups = (k + N - 1) / N;
        int full = k / N;
        if (full < groups) {
            for (int r = 0, i = full * N; r < N; r++, i++) {
                tail[r] = i < k ? x[xOff + i] : 0.0;
            }
        }
        int vectors = m / N;
        int block = PACK_ROWS * m;
        int g = 0;
        for (; g + 8 <= vectors; g += 8) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            DoubleVector a4 = a0;
            DoubleVector a5 = a0;
            DoubleVector a6 = a0;
            DoubleVector a7 = a0;
            int base = off + g * PACK_ROWS * N;
            for (int t = 0; t < groups; t++) {
                // t >> 1 blocks in, and the second group of a block 16 doubles on
                int o = base + (t >> 1) * block + ((t & 1) << 4);
                DoubleVector x0 = t < full ? DoubleVector.fromArray(S, x, xOff + t * N) : DoubleVector.fromArray(S, tail, 0);
                DoubleVector x1 = x0.rearrange(R3);
                DoubleVector x2 = x0.rearrange(R2);
                DoubleVector x3 = x0.rearrange(R1);
                a0 = x0.fma(DoubleVector.fromArray(S, p, o), a0);
                a1 = x0.fma(DoubleVector.fromArray(S, p, o + 32), a1);
                a2 = x0.fma(DoubleVector.fromArray(S, p, o + 64), a2);
                a3 = x0.fma(DoubleVector.fromArray(S, p, o + 96), a3);
                a4 = x0.fma(DoubleVector.fromArray(S, p, o + 128), a4);
                a5 = x0.fma(DoubleVector.fromArray(S, p, o + 160), a5);
                a6 = x0.fma(DoubleVector.fromArray(S, p, o + 192), a6);
                a7 = x0.fma(DoubleVector.fromArray(S, p, o + 224), a7);
                a0 = x1.fma(DoubleVector.fromArray(S, p, o + 4), a0);
                a1 = x1.fma(DoubleVector.fromArray(S, p, o + 36), a1);
                a2 = x1.fma(DoubleVector.fromArray(S, p, o + 68), a2);
                a3 = x1.fma(DoubleVector.fromArray(S, p, o + 100), a3);
                a4 = x1.fma(DoubleVector.fromArray(S, p, o + 132), a4);
                a5 = x1.fma(DoubleVector.fromArray(S, p, o + 164), a5);
                a6 = x1.fma(DoubleVector.fromArray(S, p, o + 196), a6);
                a7 = x1.fma(DoubleVector.fromArray(S, p, o + 228), a7);
                a0 = x2.fma(DoubleVector.fromArray(S, p, o + 8), a0);
                a1 = x2.fma(DoubleVector.fromArray(S, p, o + 40), a1);
                a2 = x2.fma(DoubleVector.fromArray(S, p, o + 72), a2);
                a3 = x2.fma(DoubleVector.fromArray(S, p, o + 104), a3);
                a4 = x2.fma(DoubleVector.fromArray(S, p, o + 136), a4);
                a5 = x2.fma(DoubleVector.fromArray(S, p, o + 168), a5);
                a6 = x2.fma(DoubleVector.fromArray(S, p, o + 200), a6);
                a7 = x2.fma(DoubleVector.fromArray(S, p, o + 232), a7);
                a0 = x3.fma(DoubleVector.fromArray(S, p, o + 12), a0);
                a1 = x3.fma(DoubleVector.fromArray(S, p, o + 44), a1);
                a2 = x3.fma(DoubleVector.fromArray(S, p, o + 76), a2);
                a3 = x3.fma(DoubleVector.fromArray(S, p, o + 108), a3);
                a4 = x3.fma(DoubleVector.fromArray(S, p, o + 140), a4);
                a5 = x3.fma(DoubleVector.fromArray(S, p, o + 172), a5);
                a6 = x3.fma(DoubleVector.fromArray(S, p, o + 204), a6);
                a7 = x3.fma(DoubleVector.fromArray(S, p, o + 236), a7);
            }
            int q = cOff + g * N;
            a0.intoArray(c, q);
            a1.intoArray(c, q + N);
            a2.intoArray(c, q + 2 * N);
            a3.intoArray(c, q + 3 * N);
            a4.intoArray(c, q + 4 * N);
            a5.intoArray(c, q + 5 * N);
            a6.intoArray(c, q + 6 * N);
            a7.intoArray(c, q + 7 * N);
        }
        for (; g + 4 <= vectors; g += 4) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            int base = off + g * PACK_ROWS * N;
            for (int t = 0; t < groups; t++) {
                int o = base + (t >> 1) * block + ((t & 1) << 4);
                DoubleVector x0 = t < full ? DoubleVector.fromArray(S, x, xOff + t * N) : DoubleVector.fromArray(S, tail, 0);
                DoubleVector x1 = x0.rearrange(R3);
                DoubleVector x2 = x0.rearrange(R2);
                DoubleVector x3 = x0.rearrange(R1);
                a0 = x0.fma(DoubleVector.fromArray(S, p, o), a0);
                a1 = x0.fma(DoubleVector.fromArray(S, p, o + 32), a1);
                a2 = x0.fma(DoubleVector.fromArray(S, p, o + 64), a2);
                a3 = x0.fma(DoubleVector.fromArray(S, p, o + 96), a3);
                a0 = x1.fma(DoubleVector.fromArray(S, p, o + 4), a0);
                a1 = x1.fma(DoubleVector.fromArray(S, p, o + 36), a1);
                a2 = x1.fma(DoubleVector.fromArray(S, p, o + 68), a2);
                a3 = x1.fma(DoubleVector.fromArray(S, p, o + 100), a3);
                a0 = x2.fma(DoubleVector.fromArray(S, p, o + 8), a0);
                a1 = x2.fma(DoubleVector.fromArray(S, p, o + 40), a1);
                a2 = x2.fma(DoubleVector.fromArray(S, p, o + 72), a2);
                a3 = x2.fma(DoubleVector.fromArray(S, p, o + 104), a3);
                a0 = x3.fma(DoubleVector.fromArray(S, p, o + 12), a0);
                a1 = x3.fma(DoubleVector.fromArray(S, p, o + 44), a1);
                a2 = x3.fma(DoubleVector.fromArray(S, p, o + 76), a2);
                a3 = x3.fma(DoubleVector.fromArray(S, p, o + 108), a3);
            }
            int q = cOff + g * N;
            a0.intoArray(c, q);
            a1.intoArray(c, q + N);
            a2.intoArray(c, q + 2 * N);
            a3.intoArray(c, q + 3 * N);
        }
        for (; g < vectors; g++) {
            DoubleVector a0 = DoubleVector.zero(S);
            int base = off + g * PACK_ROWS * N;
            for (int t = 0; t < groups; t++) {
                int o = base + (t >> 1) * block + ((t & 1) << 4);
                DoubleVector x0 = t < full ? DoubleVector.fromArray(S, x, xOff + t * N) : DoubleVector.fromArray(S, tail, 0);
                a0 = x0.fma(DoubleVector.fromArray(S, p, o), a0);
                a0 = x0.rearrange(R3).fma(DoubleVector.fromArray(S, p, o + 4), a0);
                a0 = x0.rearrange(R2).fma(DoubleVector.fromArray(S, p, o + 8), a0);
                a0 = x0.rearrange(R1).fma(DoubleVector.fromArray(S, p, o + 12), a0);
            }
            a0.intoArray(c, cOff + g * N);
        }
    }

    /**
     * {@code out[outOff + i] = alpha sum_j W[j][i] z[zOff + j] (+ out[outOff + i] when add)} for
     * {@code i < k}, from {@link #packTransposed}'s copy: each block's eight slots as dot products,
     * eight accumulators sharing each load of {@code z}; a group's four slots, turned by 0 to 3 lanes,
     * add up to its four rows' sums in a fixed order. {@code scratch} (eight doubles) takes a last
     * block short of eight rows.
     */
    static void backPacked(double[] p, int off, int m, int k, double[] z, int zOff, double alpha, boolean add,
            double[] out, int outOff, double[] scratch) {
        int vectors = m / N;
        int block = PACK_ROWS * m;
        for (int i0 = 0, base = off; i0 < k; i0 += PACK_ROWS, base += block) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            DoubleVector a4 = a0;
            DoubleVector a5 = a0;
            DoubleVector a6 = a0;
            DoubleVector a7 = a0;
            for (int v = 0, o = base; v < vectors; v++, o += PACK_ROWS * N) {
                DoubleVector zv = DoubleVector.fromArray(S, z, zOff + v * N);
                a0 = zv.fma(DoubleVector.fromArray(S, p, o), a0);
                a1 = zv.fma(DoubleVector.fromArray(S, p, o + 4), a1);
                a2 = zv.fma(DoubleVector.fromArray(S, p, o + 8), a2);
                a3 = zv.fma(DoubleVector.fromArray(S, p, o + 12), a3);
                a4 = zv.fma(DoubleVector.fromArray(S, p, o + 16), a4);
                a5 = zv.fma(DoubleVector.fromArray(S, p, o + 20), a5);
                a6 = zv.fma(DoubleVector.fromArray(S, p, o + 24), a6);
                a7 = zv.fma(DoubleVector.fromArray(S, p, o + 28), a7);
            }
            DoubleVector lo = a0.add(a1.rearrange(R1)).add(a2.rearrange(R2)).add(a3.rearrange(R3));
            DoubleVector hi = a4.add(a5.rearrange(R1)).add(a6.rearrange(R2)).add(a7.rearrange(R3));
            int q = outOff + i0;
            if (i0 + PACK_ROWS <= k) {
                put(lo, alpha, add, out, q);
                put(hi, alpha, add, out, q + N);
            } else {
                lo.mul(alpha).intoArray(scratch, 0);
                hi.mul(alpha).intoArray(scratch, N);
                for (int r = 0; r < k - i0; r++) {
                    out[q + r] = add ? out[q + r] + scratch[r] : scratch[r];
                }
            }
        }
    }

    /** {@code out = alpha acc (+ out when add)}: {@link #store} for beta 0 or 1, with fewer nodes. */
    private static void put(DoubleVector acc, double alpha, boolean add, double[] out, int off) {
        DoubleVector r = acc.mul(alpha);
        if (add) {
            r = DoubleVector.fromArray(S, out, off).add(r);
        }
        r.intoArray(out, off);
    }

    private static void store(DoubleVector acc, double alpha, double beta, double[] out, int off) {
        DoubleVector r = acc.mul(alpha);
        if (beta != 0.0) {
            r = DoubleVector.fromArray(S, out, off).fma(DoubleVector.broadcast(S, beta), r);
        }
        r.intoArray(out, off);
    }
}
