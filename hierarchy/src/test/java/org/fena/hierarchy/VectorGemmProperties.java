package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * FENA's batch product computes {@code beta C + alpha A W} and {@code beta C + alpha A W'} for every
 * shape (full register tiles, six rows at four lanes and four at eight, and the two- and one-row
 * rests, ragged last panels, inner dimensions across several blocks), touches nothing outside its
 * output, and gives each entry the same bits whichever rows are computed with it, which is what
 * lets an evaluation be split over threads by samples; and every entry is, to the bit, the scalar
 * chain of fused multiply-adds its documentation names, whatever the vector width (the build runs
 * these properties again with {@code -Dfena.gemmBits=512}).
 */
class VectorGemmProperties {

    private static double[] random(SplittableRandom rng, int n) {
        return EnergyWorkspaceTest.random(rng, n);
    }

    @Property(tries = 300)
    void productIsBetaCPlusAlphaAB(@ForAll @IntRange(min = 1, max = 15) int rows,
            @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll boolean transposed, @ForAll @IntRange(min = 0, max = 2) int betaCase,
            @ForAll @IntRange(min = 0, max = 5) int aOff, @ForAll @IntRange(min = 0, max = 5) int cOff,
            @ForAll long seed) {
        assertTrue(FusedActivation.VECTOR, "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = random(rng, aOff + rows * k + 2);
        double[] w = random(rng, k * n);
        double[] c = random(rng, cOff + rows * n + 3);
        double beta = betaCase == 0 ? 0.0 : betaCase == 1 ? 1.0 : -0.3;
        double alpha = -0.7;
        if (beta == 0.0) {
            Arrays.fill(c, cOff, cOff + rows * n, Double.NaN); // BLAS semantics: beta = 0 overwrites, NaN included
        }
        double[] before = c.clone();
        VectorGemm.gemm(a, aOff, rows, k, w, transposed, n, alpha, beta, c, cOff, new VectorGemm.Buffers());
        assertProduct(before, c, cOff, rows, n, k, alpha, beta, (r, q) -> a[aOff + r * k + q],
                (q, j) -> transposed ? w[j * k + q] : w[q * n + j], "");
    }

    /** An entry {@code (i, j)} of a matrix given by its storage. */
    interface Entry {
        double at(int i, int j);
    }

    /**
     * {@code c} holds {@code beta before + alpha A B} ({@code rows x n}, row-major from {@code cOff},
     * inner dimension {@code k}) to within {@code 4 k} ulps of the sum of the terms' magnitudes, and
     * {@code before} everywhere else.
     */
    static void assertProduct(double[] before, double[] c, int cOff, int rows, int n, int k, double alpha,
            double beta, Entry a, Entry b, String what) {
        for (int i = 0; i < c.length; i++) {
            if (i < cOff || i >= cOff + rows * n) {
                assertEquals(before[i], c[i], "entry " + i + " outside the output changed");
                continue;
            }
            int r = (i - cOff) / n;
            int j = (i - cOff) % n;
            double s = 0;
            double abs = 0;
            for (int q = 0; q < k; q++) {
                double t = a.at(r, q) * b.at(q, j);
                s += t;
                abs += Math.abs(t);
            }
            double old = beta == 0.0 ? 0.0 : before[i];
            assertEquals(beta * old + alpha * s, c[i], 4 * k * Math.ulp(abs + Math.abs(old)) + 1e-300,
                    what + "row " + r + ", column " + j + " of " + rows + "x" + k + "x" + n);
        }
    }

    @Property(tries = 200)
    void anEntryHasTheSameBitsWhateverRowsAreComputedWithIt(@ForAll @IntRange(min = 2, max = 20) int rows,
            @ForAll @IntRange(min = 1, max = 19) int split, @ForAll @IntRange(min = 1, max = 200) int k,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll boolean transposed, @ForAll long seed) {
        int r0 = Math.min(split, rows - 1);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = random(rng, rows * k);
        double[] w = random(rng, k * n);
        double[] c0 = random(rng, rows * n);
        double[] whole = c0.clone();
        double[] parts = c0.clone();
        VectorGemm.Buffers buf = new VectorGemm.Buffers();
        VectorGemm.gemm(a, 0, rows, k, w, transposed, n, 0.5, 1.0, whole, 0, buf);
        VectorGemm.gemm(a, 0, r0, k, w, transposed, n, 0.5, 1.0, parts, 0, buf);
        VectorGemm.gemm(a, r0 * k, rows - r0, k, w, transposed, n, 0.5, 1.0, parts, r0 * n, buf);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(Double.doubleToRawLongBits(whole[i]), Double.doubleToRawLongBits(parts[i]),
                    "entry " + i + " of " + rows + "x" + k + "x" + n + " split at row " + r0);
        }
    }

    /**
     * Every entry is, bit for bit, {@code beta C} (or 0) followed, for each block of
     * {@link VectorGemm#KC} inner terms, by {@code fma(alpha, s, C)} where {@code s} is the chain
     * {@code fma(a_q, b_q, s)} from zero over the block's terms in order: the operations
     * {@link VectorGemm}'s documentation promises, so four- and eight-lane kernels, every tile and
     * every split give the same bits.
     */
    @Property(tries = 200)
    void everyEntryIsItsScalarChainOfFusedMultiplyAddsToTheBit(@ForAll @IntRange(min = 1, max = 13) int rows,
            @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(min = 1, max = 70) int n,
            @ForAll boolean transposed, @ForAll @IntRange(min = 0, max = 2) int betaCase, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = random(rng, rows * k);
        double[] w = random(rng, k * n);
        double[] c = random(rng, rows * n);
        double beta = betaCase == 0 ? 0.0 : betaCase == 1 ? 1.0 : -0.3;
        double alpha = -0.7;
        double[] expected = new double[c.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double e = beta == 0.0 ? 0.0 : beta == 1.0 ? c[r * n + j] : c[r * n + j] * beta;
                for (int k0 = 0; k0 < k; k0 += VectorGemm.KC) {
                    double s = 0.0;
                    for (int q = k0; q < Math.min(k, k0 + VectorGemm.KC); q++) {
                        s = Math.fma(a[r * k + q], transposed ? w[j * k + q] : w[q * n + j], s);
                    }
                    e = Math.fma(alpha, s, e);
                }
                expected[r * n + j] = e;
            }
        }
        VectorGemm.gemm(a, 0, rows, k, w, transposed, n, alpha, beta, c, 0, new VectorGemm.Buffers());
        for (int i = 0; i < c.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(c[i]),
                    "entry " + i + " of " + rows + "x" + k + "x" + n + (transposed ? " (W')" : "") + " with "
                            + VectorGemm.bits() + "-bit vectors");
        }
    }
}
