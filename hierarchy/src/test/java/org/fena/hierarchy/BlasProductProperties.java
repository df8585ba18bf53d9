package org.fena.hierarchy;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Blas#gemm} and {@link Blas#gemmTN}, the row-major products of the learning rules and of a
 * full {@code Pi}, give {@code beta C + alpha A B}, {@code A B'} and {@code A' B} on both routes (FENA's
 * kernels and the BLAS), one row included, with offsets, and touch nothing outside their output.
 */
class BlasProductProperties {

    @Property(tries = 300)
    void rowMajorProductsAreBetaCPlusAlphaAB(@ForAll @IntRange(min = 1, max = 13) int m,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 150) int k,
            @ForAll @IntRange(min = 0, max = 2) int form, @ForAll @IntRange(min = 0, max = 2) int betaCase,
            @ForAll boolean alphaOne, @ForAll @IntRange(min = 0, max = 3) int aOff,
            @ForAll @IntRange(min = 0, max = 3) int bOff, @ForAll @IntRange(min = 0, max = 3) int cOff,
            @ForAll boolean own, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // form 0: A B, 1: A B' (b is n x k), 2: A' B (a is k x m)
        double[] a = EnergyWorkspaceTest.random(rng, aOff + m * k + 2);
        double[] b = EnergyWorkspaceTest.random(rng, bOff + k * n + 2);
        double[] c = EnergyWorkspaceTest.random(rng, cOff + m * n + 3);
        double alpha = alphaOne ? 1.0 : -0.7;
        double beta = betaCase == 0 ? 0.0 : betaCase == 1 ? 1.0 : 0.4;
        if (beta == 0.0) {
            Arrays.fill(c, cOff, cOff + m * n, Double.NaN); // BLAS semantics: beta = 0 overwrites, NaN included
        }
        double[] before = c.clone();
        boolean route = own && FusedActivation.VECTOR;
        if (form == 2) {
            Blas.gemmTN(m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, route);
        } else {
            Blas.gemm(m, n, k, alpha, a, aOff, b, bOff, form == 1, beta, c, cOff, route);
        }
        VectorGemmProperties.assertProduct(before, c, cOff, m, n, k, alpha, beta,
                (r, q) -> form == 2 ? a[aOff + q * m + r] : a[aOff + r * k + q],
                (q, j) -> form == 1 ? b[bOff + j * k + q] : b[bOff + q * n + j], "form " + form + ", own " + route + ", ");
    }
}
