package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.junit.jupiter.api.Test;

class PrecisionsTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void matrixThatIsNotPositiveDefiniteIsRefusedSayingSo() {
        // symmetric, eigenvalues 3 and -1
        String m = refusal(() -> Precisions.full(2, new double[] {1, 2, 2, 1}));
        assertTrue(m.contains("not positive definite"), m);
        // positive semi-definite only
        String s = refusal(() -> Precisions.full(2, new double[] {1, 1, 1, 1}));
        assertTrue(s.contains("not positive definite"), s);
    }

    @Test
    void matrixThatIsNotSymmetricIsRefusedNamingTheEntry() {
        String m = refusal(() -> Precisions.full(3, new double[] {2, 0, 0, 0, 2, 0.5, 0, 0.4, 2}));
        assertTrue(m.contains("not symmetric at (1, 2)"), m);
    }

    @Test
    void roundingLevelAsymmetryIsAcceptedAndSymmetrised() {
        Precision p = Precisions.full(2, new double[] {2, 0.5, 0.5 + 1e-16, 2});
        double[] d = p.toDense();
        assertEquals(d[1], d[2], 0.0);
    }

    @Test
    void wrongSizeNonFiniteAndNonPositiveAreRefused() {
        assertTrue(refusal(() -> Precisions.full(2, new double[3])).contains("wrong size"));
        assertTrue(refusal(() -> Precisions.full(2, new double[] {1, 0, 0, Double.NaN})).contains("not finite"));
        assertTrue(refusal(() -> Precisions.scalar(3, 0.0)).contains("> 0"));
        assertTrue(refusal(() -> Precisions.scalar(3, Double.POSITIVE_INFINITY)).contains("finite"));
        assertTrue(refusal(() -> Precisions.scalar(0, 1.0)).contains("dimension"));
        assertTrue(refusal(() -> Precisions.diagonal(new double[] {1, -2})).contains("entry 1"));
    }

    @Test
    void logDetIsExactForEveryKind() {
        assertEquals(3 * Math.log(2.5), Precisions.scalar(3, 2.5).logDet(), 1e-15);
        assertEquals(Math.log(2) + Math.log(3) + Math.log(0.5), Precisions.diagonal(new double[] {2, 3, 0.5}).logDet(), 1e-15);
        // det [[2, 1], [1, 2]] = 3
        assertEquals(Math.log(3), Precisions.full(2, new double[] {2, 1, 1, 2}).logDet(), 1e-15);
        SplittableRandom rng = new SplittableRandom(4);
        double[] a = RandomHierarchies.gram(EnergyWorkspaceTest.random(rng, 36), 6, 0.4);
        double det = CommonOps_DDRM.det(DMatrixRMaj.wrap(6, 6, a.clone()));
        assertEquals(Math.log(det), Precisions.full(6, a).logDet(), 1e-12);
    }

    @Test
    void applyWeighsEveryRowAndReturnsItsEnergy() {
        SplittableRandom rng = new SplittableRandom(8);
        int d = 5;
        int batch = 3;
        Precision[] kinds = {
            Precisions.scalar(d, 1.7),
            Precisions.diagonal(new double[] {0.5, 1, 2, 3, 4}),
            Precisions.full(d, RandomHierarchies.gram(EnergyWorkspaceTest.random(rng, d * d), d, 0.3)),
        };
        for (Precision p : kinds) {
            for (int rows : new int[] {1, batch}) {
                double[] eps = EnergyWorkspaceTest.random(rng, 2 + rows * d);
                double[] out = new double[1 + rows * d];
                double energy = p.apply(eps, 2, out, 1, rows);
                double[] dense = p.toDense();
                double ref = 0;
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < d; i++) {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            s += dense[i * d + j] * eps[2 + r * d + j];
                        }
                        assertEquals(s, out[1 + r * d + i], 1e-14, p.kind() + " row " + r + " unit " + i);
                        ref += 0.5 * eps[2 + r * d + i] * s;
                    }
                }
                assertEquals(ref, energy, 1e-14, p.kind());
                assertEquals(0.0, out[0], "writes start at the output offset");
            }
        }
    }

    @Test
    void toDenseAndKindDescribeThePrecision() {
        assertArrayEquals(new double[] {2, 0, 0, 2}, Precisions.scalar(2, 2).toDense());
        assertArrayEquals(new double[] {1, 0, 0, 3}, Precisions.diagonal(new double[] {1, 3}).toDense());
        assertEquals("scalar", Precisions.scalar(2, 2).kind());
        assertEquals("diagonal", Precisions.diagonal(new double[] {1, 3}).kind());
        assertEquals("full", Precisions.full(1, new double[] {4}).kind());
        double[] in = {1, 3};
        Precision p = Precisions.diagonal(in);
        in[0] = 99;
        assertEquals(1.0, p.toDense()[0], "the input array is copied");
    }
}
