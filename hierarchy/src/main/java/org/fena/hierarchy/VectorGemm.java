package org.fena.hierarchy;

import static jdk.incubator.vector.VectorOperators.FMA;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A batch's dense products on the pure-Java path: row-major {@code C (rows x n) = beta C + alpha A B}
 * with {@code A (rows x k)} a block of states or errors and {@code B (k x n)} a weight matrix
 * {@code W} or its transpose {@code W'}, on the JDK Vector API, allocating nothing once its buffers
 * have grown to the largest product seen.
 *
 * <p>Arranged as GotoBLAS arranges a GEMM, because that is what keeps the two FMA pipes fed rather
 * than waiting on memory: {@code B} is copied block by block ({@link #KC} rows of it at a time) into
 * panels of {@link #NR} columns, contiguous in the order the kernel reads them (this copy also
 * absorbs the transpose of {@code W'}); then each tile of {@link #MR} rows of {@code A}, copied
 * interleaved for the block ({@link #packRows}; small enough to stay in L1), passes over every panel
 * (the block, in L2), and a register tile of {@code MR x NR} sums (24 four-lane or 16 eight-lane
 * vectors, as many independent multiply-add chains: at least twice what the FMA latency times the
 * two pipes needs) takes one broadcast of {@code A} per row and one load of {@code B} per vector at
 * each step, then spills to a tile that {@link #apply} adds into {@code C}. Rows a full tile leaves
 * take two-row and one-row kernels.
 *
 * <p>Each entry of {@code C} is, per block, one chain of fused multiply-adds over its terms in order
 * from zero, then added to {@code C} as {@code fma(alpha, s, C)}: the very operations whichever
 * kernel and tile computes it, so an entry's bits depend only on its row of {@code A} and its column
 * of {@code B}, not on how the batch is split over threads. They differ from another BLAS's in the
 * last bits, as the backends differ among themselves.
 *
 * <p>Only called when {@link FusedActivation#VECTOR}. Each kernel is a method of its own whose
 * vectors never cross a call: C2 compiles it whole, and a vector passed to or returned from a
 * method it did not inline would be boxed.
 */
final class VectorGemm {

    /**
     * The products' own species: four doubles ({@link VectorKernels#S}) unless the JVM runs with
     * {@code -Dfena.gemmBits=512} on a machine whose widest vectors are 512 bits; then eight. Every
     * entry of {@code C} is one lane's chain of multiply-adds whatever the width, so both give the
     * same bits. On a CPU whose AVX-512 units are full width (this machine's AMD EPYC, Zen 5: 8.2 G
     * multiply-add instructions per second and core at either width) eight lanes double the
     * arithmetic: the register-tile kernel alone ran at 99 against 51-61 GFLOP/s, and whole
     * mnist-mlp settles at 155-168 against 94-101 GFLOP/s.
     *
     * <p>Why eight lanes are not the default. On JDK 17 the Vector API's shared methods
     * ({@code DoubleVector.intoArray}, the template behind {@code fma}, ...) are one piece of bytecode
     * each, with one type profile that every caller feeds; once they have seen two shapes, C2 may
     * compile the four-lane kernels' calls to them (the one-sample products and the tanh pass,
     * whose tens of units would leave eight lanes half empty) without the intrinsic, and their
     * vectors are then boxed. With the kernels below storing through their own {@code intoByteArray}
     * and multiplying through their own {@code lanewise(FMA, ..)} call sites, some sequences run
     * clean (mnist-mlp, then small-batch1 at 2.5-2.8 M steps/s, as in a fresh JVM), but not all:
     * after mnist-mlp, its learning variant and wide (the harness's order) small-batch1 ran at
     * 0.43-0.54 M steps/s, and a batch-8 then a one-sample evaluation of a 48-32-24-16 hierarchy
     * left one 64-byte vector box per one-sample evaluation ({@code ZeroAllocationTest}'s sequence),
     * which four lanes throughout do not. So eight lanes are for JVMs that run batched work (sweeps
     * of batched settles, training), chosen per JVM.
     */
    static final VectorSpecies<Double> S = species();
    /** The byte order of the register-tile spill ({@code byte[]}): the machine's own, so no lane is swapped. */
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Doubles read from the spill one at a time (a ragged panel's last columns). */
    private static final VarHandle SPILL = MethodHandles.byteArrayViewVarHandle(double[].class, NATIVE);
    /** Lanes per vector. */
    private static final int V = S.length();
    /** Columns per packed panel of {@code B}: four vectors. */
    static final int NR = 4 * V;
    /**
     * Rows per register tile of {@code A}: six with four lanes (24 chains: twice what the FMA latency
     * times the two pipes needs), four with eight (16 chains of twice the width; six rows left too few
     * registers: 88 against 99 GFLOP/s for the kernel alone).
     */
    static final int MR = V == 8 ? 4 : 6;
    /**
     * Rows of {@code B} per block: a six-row tile of {@code A} over a block is 6 KB (L1) and a block
     * of {@code B} up to 784 columns wide 0.8 MB (the core's 1 MB L2). The same at either width, so
     * that the two give the same bits.
     */
    static final int KC = 128;

    /**
     * One thread's packed panels and register-tile spill; grows to the largest product it has seen,
     * then is reused. Never shared between threads.
     */
    static final class Buffers {
        private double[] pack = new double[0];
        private double[] transposed = new double[0];
        private final byte[] tile = new byte[MR * NR * Double.BYTES];
        /** One register tile's rows of {@code A} over a block, interleaved ({@link #packRows}). */
        private final double[] rowsA = new double[MR * KC];

        double[] pack(int size) {
            if (pack.length < size) {
                pack = new double[size];
            }
            return pack;
        }

        /** Room for a transposed copy of {@code A} ({@link Blas#gemmTN}'s contraction over rows). */
        double[] transposed(int size) {
            if (transposed.length < size) {
                transposed = new double[size];
            }
            return transposed;
        }
    }

    private VectorGemm() {
    }

    /** {@link #S}: eight lanes when {@code -Dfena.gemmBits=512} asks for them and the machine has them. */
    private static VectorSpecies<Double> species() {
        int bits = Integer.getInteger("fena.gemmBits", 256);
        return bits >= 512 && DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512
                ? DoubleVector.SPECIES_512 : VectorKernels.S;
    }

    /** Bits per vector of the batch products, for run manifests. */
    static int bits() {
        return S.vectorBitSize();
    }

    /**
     * {@code c[cOff + r n + j] = beta c[...] + alpha sum_i a[aOff + r k + i] B[i][j]} for
     * {@code r < rows}, {@code j < n}, where {@code B = W} ({@code w} row-major {@code k x n}) or,
     * with {@code transposed}, {@code B = W'} ({@code w} row-major {@code n x k}). {@code beta = 0}
     * overwrites whatever {@code c} held, NaN included, as in BLAS. Packs {@code B} block by block
     * into {@code buf}.
     */
    static void gemm(double[] a, int aOff, int rows, int k, double[] w, boolean transposed, int n, double alpha,
            double beta, double[] c, int cOff, Buffers buf) {
        gemm(a, aOff, rows, k, w, 0, transposed, n, alpha, beta, c, cOff, buf);
    }

    /** As {@link #gemm(double[], int, int, int, double[], boolean, int, double, double, double[], int, Buffers)}, {@code B} from {@code w[wOff]}. */
    static void gemm(double[] a, int aOff, int rows, int k, double[] w, int wOff, boolean transposed, int n,
            double alpha, double beta, double[] c, int cOff, Buffers buf) {
        if (scale(rows, k, n, alpha, beta, c, cOff)) {
            return;
        }
        int npad = padded(n);
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            double[] pk = buf.pack(kc * npad);
            packBlock(w, wOff, transposed, k, n, k0, kc, pk, 0);
            block(a, aOff, rows, k, k0, kc, pk, 0, n, alpha, c, cOff, buf);
        }
    }

    /**
     * As {@link #gemm}, with {@code B} already packed by {@link #pack} (a settle's weights do not
     * change between its steps, so they are packed once rather than at every product).
     */
    static void gemmPacked(double[] a, int aOff, int rows, int k, double[] packed, int n, double alpha, double beta,
            double[] c, int cOff, Buffers buf) {
        if (scale(rows, k, n, alpha, beta, c, cOff)) {
            return;
        }
        int npad = padded(n);
        for (int k0 = 0; k0 < k; k0 += KC) {
            block(a, aOff, rows, k, k0, Math.min(KC, k - k0), packed, k0 * npad, n, alpha, c, cOff, buf);
        }
    }

    /** Doubles {@link #pack} writes for a {@code k x n} {@code B}: {@code n} padded to whole panels. */
    static int packedSize(int k, int n) {
        return Math.multiplyExact(k, padded(n));
    }

    /** {@code B} ({@code W}, or {@code W'} with {@code transposed}; see {@link #gemm}) into {@code dst}, every block. */
    static void pack(double[] w, boolean transposed, int k, int n, double[] dst) {
        int npad = padded(n);
        for (int k0 = 0; k0 < k; k0 += KC) {
            packBlock(w, 0, transposed, k, n, k0, Math.min(KC, k - k0), dst, k0 * npad);
        }
    }

    private static int padded(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /** {@code c = beta c}, BLAS-style; true when nothing more is to be added. */
    private static boolean scale(int rows, int k, int n, double alpha, double beta, double[] c, int cOff) {
        int end = cOff + rows * n;
        if (beta == 0.0) {
            java.util.Arrays.fill(c, cOff, end, 0.0);
        } else if (beta != 1.0) {
            for (int i = cOff; i < end; i++) {
                c[i] *= beta;
            }
        }
        return k == 0 || alpha == 0.0;
    }

    /** Adds {@code alpha A[:, k0 .. k0 + kc) B[k0 .. k0 + kc, :]} to {@code c}, the block packed at {@code pk[pOff ..)}. */
    private static void block(double[] a, int aOff, int rows, int k, int k0, int kc, double[] pk, int pOff, int n,
            double alpha, double[] c, int cOff, Buffers buf) {
        byte[] tile = buf.tile;
        double[] ra = buf.rowsA;
        int panels = (n + NR - 1) / NR;
        int r = 0;
        for (; r + MR <= rows; r += MR) {
            int a0 = aOff + r * k + k0;
            packRows(a, a0, k, kc, ra);
            for (int p = 0, j = 0; p < panels; p++, j += NR) {
                if (MR == 4) {
                    kernel4(ra, pk, pOff + p * kc * NR, kc, tile);
                } else {
                    kernel6(ra, pk, pOff + p * kc * NR, kc, tile);
                }
                apply(tile, MR, Math.min(NR, n - j), alpha, c, cOff + r * n + j, n);
            }
        }
        for (; r + 2 <= rows; r += 2) {
            int a0 = aOff + r * k + k0;
            for (int p = 0, j = 0; p < panels; p++, j += NR) {
                kernel2(a, a0, k, pk, pOff + p * kc * NR, kc, tile);
                apply(tile, 2, Math.min(NR, n - j), alpha, c, cOff + r * n + j, n);
            }
        }
        if (r < rows) {
            int a0 = aOff + r * k + k0;
            for (int p = 0, j = 0; p < panels; p++, j += NR) {
                kernel1(a, a0, pk, pOff + p * kc * NR, kc, tile);
                apply(tile, 1, Math.min(NR, n - j), alpha, c, cOff + r * n + j, n);
            }
        }
    }

    /**
     * The {@link #MR} rows of {@code A} from {@code a0} (row stride {@code k}), columns {@code [0, kc)}
     * of the block, into {@code ra} column by column: {@code ra[i MR + r] = A[r][i]}. Why: read in
     * place, the six rows were six base registers and six index sums per step of the kernel, and C2,
     * short of integer registers, parked some in vector registers; that integer work, not the
     * multiply-adds, set the kernel's pace (42 against OpenBLAS's 51 GFLOP/s on one core, 128 x 256 x
     * 784). Read from here every broadcast is one base plus a constant. The copy is {@code MR kc}
     * doubles, reused by every panel of the block.
     */
    private static void packRows(double[] a, int a0, int k, int kc, double[] ra) {
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        if (MR == 4) {
            for (int i = 0, q = 0; i < kc; i++, q += 4) {
                ra[q] = a[a0 + i];
                ra[q + 1] = a[a1 + i];
                ra[q + 2] = a[a2 + i];
                ra[q + 3] = a[a3 + i];
            }
            return;
        }
        int a4 = a3 + k;
        int a5 = a4 + k;
        for (int i = 0, q = 0; i < kc; i++, q += 6) {
            ra[q] = a[a0 + i];
            ra[q + 1] = a[a1 + i];
            ra[q + 2] = a[a2 + i];
            ra[q + 3] = a[a3 + i];
            ra[q + 4] = a[a4 + i];
            ra[q + 5] = a[a5 + i];
        }
    }

    /**
     * Rows {@code [k0, k0 + kc)} of {@code B} into panels at {@code pk[off ..)}: panel {@code p} holds
     * columns {@code [p NR, p NR + NR)} row after row, a ragged last panel zero-padded. For
     * {@code B = W'} each row of {@code w} is read in order and written down its panel column.
     */
    private static void packBlock(double[] w, int wOff, boolean transposed, int k, int n, int k0, int kc, double[] pk,
            int off) {
        int full = n / NR;
        int rest = n - full * NR;
        if (!transposed) {
            for (int i = 0; i < kc; i++) {
                int src = wOff + (k0 + i) * n;
                for (int p = 0; p < full; p++) {
                    System.arraycopy(w, src + p * NR, pk, off + (p * kc + i) * NR, NR);
                }
                if (rest > 0) {
                    int dst = off + (full * kc + i) * NR;
                    System.arraycopy(w, src + full * NR, pk, dst, rest);
                    java.util.Arrays.fill(pk, dst + rest, dst + NR, 0.0);
                }
            }
            return;
        }
        for (int j = 0; j < n; j++) {
            int dst = off + (j / NR) * kc * NR + j % NR;
            for (int i = 0, src = wOff + j * k + k0; i < kc; i++, src++, dst += NR) {
                pk[dst] = w[src];
            }
        }
        if (rest > 0) {
            for (int j = n; j < (full + 1) * NR; j++) {
                for (int i = 0, dst = off + full * kc * NR + j % NR; i < kc; i++, dst += NR) {
                    pk[dst] = 0.0;
                }
            }
        }
    }

    /**
     * {@code c[r][j] = fma(alpha, tile[r][j], c[r][j])} for the tile's first {@code rows x cols}, the
     * tile holding the sums as the kernels spilled them. On four lanes when {@link #S} has four, a
     * whole panel's four vectors per row written out: C2 compiled the loop over them with pre-, main
     * and post-loops and range checks around every row, and with that form {@link #block} took 15-16%
     * of a mnist-mlp settle whose products all ran here ({@code perf}); written out, it and this
     * method took 10-11% together. With eight
     * lanes, one column at a time: a four-lane update here, inlined into {@link #block} beside the
     * eight-lane kernels, left a batch-8 evaluation of a 48-32-24-16 hierarchy boxing its vectors
     * (672 bytes per evaluation), and an eight-lane one would store through the shared
     * {@code DoubleVector.intoArray} (see {@link #S}).
     */
    private static void apply(byte[] tile, int rows, int cols, double alpha, double[] c, int c0, int n) {
        boolean whole = V == 4 && cols == NR;
        int cb = V == 4 ? cols & -4 : 0;
        for (int r = 0; r < rows; r++) {
            int t = r * NR;
            int o = c0 + r * n;
            if (whole) {
                int b = t * Double.BYTES;
                DoubleVector al = DoubleVector.broadcast(S, alpha);
                al.fma(DoubleVector.fromByteArray(S, tile, b, NATIVE), DoubleVector.fromArray(S, c, o)).intoArray(c, o);
                al.fma(DoubleVector.fromByteArray(S, tile, b + 32, NATIVE), DoubleVector.fromArray(S, c, o + 4))
                        .intoArray(c, o + 4);
                al.fma(DoubleVector.fromByteArray(S, tile, b + 64, NATIVE), DoubleVector.fromArray(S, c, o + 8))
                        .intoArray(c, o + 8);
                al.fma(DoubleVector.fromByteArray(S, tile, b + 96, NATIVE), DoubleVector.fromArray(S, c, o + 12))
                        .intoArray(c, o + 12);
                continue;
            }
            if (cb > 0) {
                DoubleVector al = DoubleVector.broadcast(S, alpha);
                for (int j = 0; j < cb; j += 4) {
                    al.fma(DoubleVector.fromByteArray(S, tile, (t + j) * Double.BYTES, NATIVE),
                            DoubleVector.fromArray(S, c, o + j)).intoArray(c, o + j);
                }
            }
            for (int j = cb; j < cols; j++) {
                c[o + j] = Math.fma(alpha, (double) SPILL.get(tile, (t + j) * Double.BYTES), c[o + j]);
            }
        }
    }

    /** Four rows of {@code A} ({@link #packRows}) against one panel of eight-lane vectors: 16 chains. */
    private static void kernel4(double[] ra, double[] pk, int p0, int kc, byte[] tile) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c03 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c13 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c23 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        DoubleVector c33 = c00;
        for (int i = 0, po = p0, q = 0; i < kc; i++, po += NR, q += 4) {
            DoubleVector b0 = DoubleVector.fromArray(S, pk, po);
            DoubleVector b1 = DoubleVector.fromArray(S, pk, po + V);
            DoubleVector b2 = DoubleVector.fromArray(S, pk, po + 2 * V);
            DoubleVector b3 = DoubleVector.fromArray(S, pk, po + 3 * V);
            DoubleVector x = DoubleVector.broadcast(S, ra[q]);
            c00 = x.lanewise(FMA, b0, c00);
            c01 = x.lanewise(FMA, b1, c01);
            c02 = x.lanewise(FMA, b2, c02);
            c03 = x.lanewise(FMA, b3, c03);
            x = DoubleVector.broadcast(S, ra[q + 1]);
            c10 = x.lanewise(FMA, b0, c10);
            c11 = x.lanewise(FMA, b1, c11);
            c12 = x.lanewise(FMA, b2, c12);
            c13 = x.lanewise(FMA, b3, c13);
            x = DoubleVector.broadcast(S, ra[q + 2]);
            c20 = x.lanewise(FMA, b0, c20);
            c21 = x.lanewise(FMA, b1, c21);
            c22 = x.lanewise(FMA, b2, c22);
            c23 = x.lanewise(FMA, b3, c23);
            x = DoubleVector.broadcast(S, ra[q + 3]);
            c30 = x.lanewise(FMA, b0, c30);
            c31 = x.lanewise(FMA, b1, c31);
            c32 = x.lanewise(FMA, b2, c32);
            c33 = x.lanewise(FMA, b3, c33);
        }
        c00.intoByteArray(tile, 0, NATIVE);
        c01.intoByteArray(tile, V * Double.BYTES, NATIVE);
        c02.intoByteArray(tile, (2 * V) * Double.BYTES, NATIVE);
        c03.intoByteArray(tile, (3 * V) * Double.BYTES, NATIVE);
        c10.intoByteArray(tile, NR * Double.BYTES, NATIVE);
        c11.intoByteArray(tile, (NR + V) * Double.BYTES, NATIVE);
        c12.intoByteArray(tile, (NR + 2 * V) * Double.BYTES, NATIVE);
        c13.intoByteArray(tile, (NR + 3 * V) * Double.BYTES, NATIVE);
        c20.intoByteArray(tile, (2 * NR) * Double.BYTES, NATIVE);
        c21.intoByteArray(tile, (2 * NR + V) * Double.BYTES, NATIVE);
        c22.intoByteArray(tile, (2 * NR + 2 * V) * Double.BYTES, NATIVE);
        c23.intoByteArray(tile, (2 * NR + 3 * V) * Double.BYTES, NATIVE);
        c30.intoByteArray(tile, (3 * NR) * Double.BYTES, NATIVE);
        c31.intoByteArray(tile, (3 * NR + V) * Double.BYTES, NATIVE);
        c32.intoByteArray(tile, (3 * NR + 2 * V) * Double.BYTES, NATIVE);
        c33.intoByteArray(tile, (3 * NR + 3 * V) * Double.BYTES, NATIVE);
    }

    /** Six rows of {@code A} ({@link #packRows}) against one panel: 24 chains. */
    private static void kernel6(double[] ra, double[] pk, int p0, int kc, byte[] tile) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c03 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c13 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c23 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        DoubleVector c33 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c42 = c00;
        DoubleVector c43 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        DoubleVector c52 = c00;
        DoubleVector c53 = c00;
        for (int i = 0, po = p0, q = 0; i < kc; i++, po += NR, q += 6) {
            DoubleVector b0 = DoubleVector.fromArray(S, pk, po);
            DoubleVector b1 = DoubleVector.fromArray(S, pk, po + V);
            DoubleVector b2 = DoubleVector.fromArray(S, pk, po + 2 * V);
            DoubleVector b3 = DoubleVector.fromArray(S, pk, po + 3 * V);
            DoubleVector x = DoubleVector.broadcast(S, ra[q]);
            c00 = x.lanewise(FMA, b0, c00);
            c01 = x.lanewise(FMA, b1, c01);
            c02 = x.lanewise(FMA, b2, c02);
            c03 = x.lanewise(FMA, b3, c03);
            x = DoubleVector.broadcast(S, ra[q + 1]);
            c10 = x.lanewise(FMA, b0, c10);
            c11 = x.lanewise(FMA, b1, c11);
            c12 = x.lanewise(FMA, b2, c12);
            c13 = x.lanewise(FMA, b3, c13);
            x = DoubleVector.broadcast(S, ra[q + 2]);
            c20 = x.lanewise(FMA, b0, c20);
            c21 = x.lanewise(FMA, b1, c21);
            c22 = x.lanewise(FMA, b2, c22);
            c23 = x.lanewise(FMA, b3, c23);
            x = DoubleVector.broadcast(S, ra[q + 3]);
            c30 = x.lanewise(FMA, b0, c30);
            c31 = x.lanewise(FMA, b1, c31);
            c32 = x.lanewise(FMA, b2, c32);
            c33 = x.lanewise(FMA, b3, c33);
            x = DoubleVector.broadcast(S, ra[q + 4]);
            c40 = x.lanewise(FMA, b0, c40);
            c41 = x.lanewise(FMA, b1, c41);
            c42 = x.lanewise(FMA, b2, c42);
            c43 = x.lanewise(FMA, b3, c43);
            x = DoubleVector.broadcast(S, ra[q + 5]);
            c50 = x.lanewise(FMA, b0, c50);
            c51 = x.lanewise(FMA, b1, c51);
            c52 = x.lanewise(FMA, b2, c52);
            c53 = x.lanewise(FMA, b3, c53);
        }
        c00.intoByteArray(tile, 0, NATIVE);
        c01.intoByteArray(tile, V * Double.BYTES, NATIVE);
        c02.intoByteArray(tile, (2 * V) * Double.BYTES, NATIVE);
        c03.intoByteArray(tile, (3 * V) * Double.BYTES, NATIVE);
        c10.intoByteArray(tile, NR * Double.BYTES, NATIVE);
        c11.intoByteArray(tile, (NR + V) * Double.BYTES, NATIVE);
        c12.intoByteArray(tile, (NR + 2 * V) * Double.BYTES, NATIVE);
        c13.intoByteArray(tile, (NR + 3 * V) * Double.BYTES, NATIVE);
        c20.intoByteArray(tile, (2 * NR) * Double.BYTES, NATIVE);
        c21.intoByteArray(tile, (2 * NR + V) * Double.BYTES, NATIVE);
        c22.intoByteArray(tile, (2 * NR + 2 * V) * Double.BYTES, NATIVE);
        c23.intoByteArray(tile, (2 * NR + 3 * V) * Double.BYTES, NATIVE);
        c30.intoByteArray(tile, (3 * NR) * Double.BYTES, NATIVE);
        c31.intoByteArray(tile, (3 * NR + V) * Double.BYTES, NATIVE);
        c32.intoByteArray(tile, (3 * NR + 2 * V) * Double.BYTES, NATIVE);
        c33.intoByteArray(tile, (3 * NR + 3 * V) * Double.BYTES, NATIVE);
        c40.intoByteArray(tile, (4 * NR) * Double.BYTES, NATIVE);
        c41.intoByteArray(tile, (4 * NR + V) * Double.BYTES, NATIVE);
        c42.intoByteArray(tile, (4 * NR + 2 * V) * Double.BYTES, NATIVE);
        c43.intoByteArray(tile, (4 * NR + 3 * V) * Double.BYTES, NATIVE);
        c50.intoByteArray(tile, (5 * NR) * Double.BYTES, NATIVE);
        c51.intoByteArray(tile, (5 * NR + V) * Double.BYTES, NATIVE);
        c52.intoByteArray(tile, (5 * NR + 2 * V) * Double.BYTES, NATIVE);
        c53.intoByteArray(tile, (5 * NR + 3 * V) * Double.BYTES, NATIVE);
    }

    /** Two rows against one panel: eight chains, enough for both pipes. */
    private static void kernel2(double[] a, int a0, int k, double[] pk, int p0, int kc, byte[] tile) {
        int a1 = a0 + k;
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c03 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c13 = c00;
        for (int i = 0, po = p0; i < kc; i++, po += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, pk, po);
            DoubleVector b1 = DoubleVector.fromArray(S, pk, po + V);
            DoubleVector b2 = DoubleVector.fromArray(S, pk, po + 2 * V);
            DoubleVector b3 = DoubleVector.fromArray(S, pk, po + 3 * V);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + i]);
            c00 = x.lanewise(FMA, b0, c00);
            c01 = x.lanewise(FMA, b1, c01);
            c02 = x.lanewise(FMA, b2, c02);
            c03 = x.lanewise(FMA, b3, c03);
            x = DoubleVector.broadcast(S, a[a1 + i]);
            c10 = x.lanewise(FMA, b0, c10);
            c11 = x.lanewise(FMA, b1, c11);
            c12 = x.lanewise(FMA, b2, c12);
            c13 = x.lanewise(FMA, b3, c13);
        }
        c00.intoByteArray(tile, 0, NATIVE);
        c01.intoByteArray(tile, V * Double.BYTES, NATIVE);
        c02.intoByteArray(tile, (2 * V) * Double.BYTES, NATIVE);
        c03.intoByteArray(tile, (3 * V) * Double.BYTES, NATIVE);
        c10.intoByteArray(tile, NR * Double.BYTES, NATIVE);
        c11.intoByteArray(tile, (NR + V) * Double.BYTES, NATIVE);
        c12.intoByteArray(tile, (NR + 2 * V) * Double.BYTES, NATIVE);
        c13.intoByteArray(tile, (NR + 3 * V) * Double.BYTES, NATIVE);
    }

    /** The last odd row against one panel. */
    private static void kernel1(double[] a, int a0, double[] pk, int p0, int kc, byte[] tile) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        for (int i = 0, po = p0; i < kc; i++, po += NR) {
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + i]);
            c0 = x.lanewise(FMA, DoubleVector.fromArray(S, pk, po), c0);
            c1 = x.lanewise(FMA, DoubleVector.fromArray(S, pk, po + V), c1);
            c2 = x.lanewise(FMA, DoubleVector.fromArray(S, pk, po + 2 * V), c2);
            c3 = x.lanewise(FMA, DoubleVector.fromArray(S, pk, po + 3 * V), c3);
        }
        c0.intoByteArray(tile, 0, NATIVE);
        c1.intoByteArray(tile, V * Double.BYTES, NATIVE);
        c2.intoByteArray(tile, (2 * V) * Double.BYTES, NATIVE);
        c3.intoByteArray(tile, (3 * V) * Double.BYTES, NATIVE);
    }
}
