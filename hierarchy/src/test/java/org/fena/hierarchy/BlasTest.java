package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlasTest {

    @Test
    void backendIsReportedWithTheImplementationClass() {
        String b = Blas.backend();
        assertTrue(b.contains(Blas.instance().getClass().getName()), b);
        assertTrue(b.startsWith("native") || b.startsWith("Vector API") || b.startsWith("Java"), b);
        // surefire runs with jdk.incubator.vector, so without a system BLAS the Vector API one is picked
        if (Blas.backendKind() != Blas.Backend.NATIVE) {
            assertEquals(Blas.Backend.VECTOR_API, Blas.backendKind(), b);
        }
        assertEquals(FusedActivation.VECTOR, Blas.vectorKernels().startsWith("on"), Blas.vectorKernels());
    }

    /**
     * The row-major conventions of the two products, for one sample (dgemv) and a batch (dgemm, and
     * FENA's {@link VectorGemm} where it runs).
     */
    @Test
    void rowMajorProductsMatchTripleLoops() {
        rowMajorProductsMatchTripleLoops(null);
        rowMajorProductsMatchTripleLoops(EnergyWorkspace.newGemmBuffers());
    }

    private static void rowMajorProductsMatchTripleLoops(VectorGemm.Buffers buf) {
        SplittableRandom rng = new SplittableRandom(2);
        int m = 5;
        int k = 4;
        double[] w = EnergyWorkspaceTest.random(rng, m * k); // m x k row-major
        for (int rows : new int[] {1, 3}) {
            double[] x = EnergyWorkspaceTest.random(rng, 2 + rows * k);
            double[] c = new double[1 + rows * m];
            EnergyWorkspace.predict(w, m, k, x, 2, rows, c, 1, buf);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < m; i++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        s += w[i * k + j] * x[2 + r * k + j];
                    }
                    assertEquals(s, c[1 + r * m + i], 1e-14);
                }
            }
            double[] z = EnergyWorkspaceTest.random(rng, rows * m);
            double[] out = EnergyWorkspaceTest.random(rng, 3 + rows * k);
            double[] before = out.clone();
            EnergyWorkspace.backProject(w, m, k, z, 0, rows, -0.5, 1.0, out, 3, buf);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    double s = 0;
                    for (int i = 0; i < m; i++) {
                        s += z[r * m + i] * w[i * k + j];
                    }
                    assertEquals(before[3 + r * k + j] - 0.5 * s, out[3 + r * k + j], 1e-14);
                }
            }
            assertEquals(before[0], out[0]);
        }
    }
}
