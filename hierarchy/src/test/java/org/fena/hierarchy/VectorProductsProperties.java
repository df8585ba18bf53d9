package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The batch-1 vector products compute {@code W x} and {@code alpha W' z + beta out} for every shape
 * (whole vectors, ragged rows and columns, fewer columns than a vector, row counts that are not a
 * multiple of four) at any offsets, and touch nothing outside their output.
 */
class VectorProductsProperties {

    private static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() * 2 - 1;
        }
        return a;
    }

    @Property(tries = 400)
    void predictionIsTheMatrixVectorProduct(@ForAll @IntRange(min = 1, max = 40) int m,
            @ForAll @IntRange(min = 1, max = 40) int k, @ForAll @IntRange(min = 0, max = 5) int xOff,
            @ForAll @IntRange(min = 0, max = 5) int cOff, @ForAll long seed) {
        assertTrue(FusedActivation.VECTOR, "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = random(rng, m * k);
        double[] x = random(rng, xOff + k + 3);
        double[] c = random(rng, cOff + m + 3);
        double[] before = c.clone();
        VectorProducts.predict(w, m, k, x, xOff, c, cOff);
        assertPrediction(w, m, k, x, xOff, before, c, cOff);
    }

    /**
     * {@code c} holds {@code W x} ({@code W} row-major {@code m x k}) from {@code cOff} to within a few
     * ulps of each row's absolute sum, and {@code before}'s entries everywhere else.
     */
    private static void assertPrediction(double[] w, int m, int k, double[] x, int xOff, double[] before, double[] c,
            int cOff) {
        for (int i = 0; i < c.length; i++) {
            if (i < cOff || i >= cOff + m) {
                assertEquals(before[i], c[i], "entry " + i + " outside the output changed");
                continue;
            }
            double s = 0;
            double abs = 0;
            for (int j = 0; j < k; j++) {
                s += w[(i - cOff) * k + j] * x[xOff + j];
                abs += Math.abs(w[(i - cOff) * k + j] * x[xOff + j]);
            }
            assertEquals(s, c[i], 4 * k * Math.ulp(abs), "row " + (i - cOff) + " of " + m + "x" + k);
        }
    }

    @Property(tries = 400)
    void backProjectionIsTheTransposedProductPlusBetaOut(@ForAll @IntRange(min = 1, max = 40) int m,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 0, max = 5) int zOff,
            @ForAll @IntRange(min = 0, max = 5) int outOff, @ForAll @IntRange(min = 0, max = 2) int betaCase,
            @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = random(rng, m * n);
        double[] z = random(rng, zOff + m + 3);
        double[] out = random(rng, outOff + n + 3);
        double beta = betaCase == 0 ? 0.0 : betaCase == 1 ? 1.0 : -0.3;
        double alpha = -0.7;
        if (beta == 0.0) {
            for (int j = 0; j < n; j++) {
                out[outOff + j] = Double.NaN; // BLAS semantics: beta = 0 overwrites, NaN included
            }
        }
        double[] before = out.clone();
        VectorProducts.backProject(w, m, n, z, zOff, alpha, beta, out, outOff);
        assertBackProjection(w, m, n, z, zOff, alpha, beta, before, out, outOff);
    }

    /**
     * {@code out} holds {@code alpha W' z + beta before} ({@code W} row-major {@code m x n}; beta 0
     * ignores {@code before}, NaN included) from {@code outOff}, to within a few ulps of each column's
     * absolute sum, and {@code before}'s entries everywhere else.
     */
    private static void assertBackProjection(double[] w, int m, int n, double[] z, int zOff, double alpha, double beta,
            double[] before, double[] out, int outOff) {
        for (int i = 0; i < out.length; i++) {
            if (i < outOff || i >= outOff + n) {
                assertEquals(before[i], out[i], "entry " + i + " outside the output changed");
                continue;
            }
            int j = i - outOff;
            double s = 0;
            double abs = 0;
            for (int r = 0; r < m; r++) {
                s += z[zOff + r] * w[r * n + j];
                abs += Math.abs(z[zOff + r] * w[r * n + j]);
            }
            double expected = alpha * s + (beta == 0.0 ? 0.0 : beta * before[i]);
            double scale = Math.abs(alpha) * abs + Math.abs(beta == 0.0 ? 0.0 : beta * before[i]);
            assertEquals(expected, out[i], 4 * (m + 2) * Math.ulp(scale), "column " + j + " of " + m + "x" + n);
        }
    }

    /**
     * {@code W} read from {@code w[wOff ..)} (a copy placed on a 32-byte boundary, {@link Aligned})
     * gives the very bits of {@code W} from element 0, in both products and for every shape, and the
     * elements around it are never read.
     */
    @Property(tries = 300)
    void weightsAtAnOffsetGiveTheSameBits(@ForAll @IntRange(min = 1, max = 70) int m,
            @ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 0, max = 3) int wOff,
            @ForAll @IntRange(min = 0, max = 1) int beta, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = random(rng, m * n);
        double[] shifted = new double[wOff + m * n + Aligned.PAD];
        java.util.Arrays.fill(shifted, Double.NaN); // a read outside W would show as NaN
        System.arraycopy(w, 0, shifted, wOff, m * n);
        double[] x = random(rng, Math.max(m, n));
        double[] c1 = random(rng, Math.max(m, n));
        double[] c2 = c1.clone();
        VectorProducts.predict(w, m, n, x, 0, c1, 0);
        VectorProducts.predict(shifted, wOff, m, n, x, 0, c2, 0);
        assertBits(c1, c2, "W x, " + m + "x" + n + " from offset " + wOff);
        double[] o1 = random(rng, n);
        double[] o2 = o1.clone();
        VectorProducts.backProject(w, m, n, x, 0, -0.7, beta, o1, 0);
        VectorProducts.backProject(shifted, wOff, m, n, x, 0, -0.7, beta, o2, 0);
        assertBits(o1, o2, "W' z, " + m + "x" + n + " from offset " + wOff);
    }

    /**
     * One packed copy ({@link VectorProducts#packTransposed}) gives both of a step's products, {@code W x}
     * and {@code alpha W' z (+ out)}, for every row count (whole and ragged blocks of eight and groups of
     * four) and every width that is a multiple of four, at any offsets; nothing outside the copy is
     * read (NaN there would show) and nothing outside the output is written.
     */
    @Property(tries = 400)
    void packedCopyGivesBothProducts(@ForAll @IntRange(min = 1, max = 18) int m4,
            @ForAll @IntRange(min = 1, max = 40) int k, @ForAll @IntRange(min = 0, max = 3) int pOff,
            @ForAll @IntRange(min = 0, max = 5) int xOff, @ForAll @IntRange(min = 0, max = 5) int outOff,
            @ForAll boolean add, @ForAll long seed) {
        int m = 4 * m4;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = random(rng, m * k);
        double[] p = new double[pOff + VectorProducts.packedLength(m, k) + Aligned.PAD];
        java.util.Arrays.fill(p, Double.NaN);
        VectorProducts.packTransposed(w, m, k, p, pOff);
        double[] x = random(rng, xOff + k + 3);
        double[] c = random(rng, outOff + m + 3);
        double[] before = c.clone();
        VectorProducts.predictPacked(p, pOff, m, k, x, xOff, c, outOff, new double[VectorProducts.PACK_ROWS]);
        assertPrediction(w, m, k, x, xOff, before, c, outOff);
        double[] z = random(rng, xOff + m + 3);
        double[] out = random(rng, outOff + k + 3);
        if (!add) {
            java.util.Arrays.fill(out, outOff, outOff + k, Double.NaN); // overwritten, NaN included
        }
        double[] old = out.clone();
        VectorProducts.backPacked(p, pOff, m, k, z, xOff, -0.7, add, out, outOff, new double[VectorProducts.PACK_ROWS]);
        assertBackProjection(w, m, k, z, xOff, -0.7, add ? 1.0 : 0.0, old, out, outOff);
    }

    /**
     * The packed copy holds, entry for entry, what its layout's formula places there:
     * {@code W[4c + l][8b + 4g + (s + l) mod 4]} at {@code b 8m + 32c + 16g + 4s + l}, zeros for the rows
     * of a last block short of eight, and nothing written outside it (the reference scatters each entry
     * of {@code W} to its slot, as the copy was first written).
     */
    @Property(tries = 300)
    void packedCopyPutsEveryEntryWhereTheLayoutSays(@ForAll @IntRange(min = 1, max = 18) int m4,
            @ForAll @IntRange(min = 1, max = 40) int k, @ForAll @IntRange(min = 0, max = 3) int pOff,
            @ForAll long seed) {
        int m = 4 * m4;
        double[] w = random(new SplittableRandom(seed), m * k);
        int length = VectorProducts.packedLength(m, k);
        double[] expected = new double[pOff + length + Aligned.PAD];
        java.util.Arrays.fill(expected, Double.NaN);
        java.util.Arrays.fill(expected, pOff, pOff + length, 0.0);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                int slot = (i % 4 - j % 4 + 4) % 4;
                expected[pOff + i / 8 * 8 * m + j / 4 * 32 + i % 8 / 4 * 16 + slot * 4 + j % 4] = w[j * k + i];
            }
        }
        double[] p = new double[expected.length];
        java.util.Arrays.fill(p, Double.NaN);
        VectorProducts.packTransposed(w, m, k, p, pOff);
        assertBits(expected, p, "packed " + m + "x" + k + " at offset " + pOff);
    }

    private static void assertBits(double[] a, double[] b, String what) {
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]),
                    what + ": entry " + i + " is " + b[i] + ", not " + a[i]);
        }
    }
}
