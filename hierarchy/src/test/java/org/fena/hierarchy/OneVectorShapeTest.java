package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A JVM that first settles one sample of a hierarchy whose products exceed
 * {@link Blas#SMALL_PRODUCT}, then batches, stays on FENA's one vector shape: once compiled, the
 * batches' steps allocate nothing. On the pure-Java backend one sample's large products had gone to
 * netlib's {@code dgemv}, on the machine's widest vectors, and C2 then boxed the vectors of FENA's
 * batch kernels (batch-32 settles of 784-256-256-10 at 102 against 1,985 steps/s). The hierarchy
 * pom runs this class a second time with {@code -Dfena.blas=java}, where that path is taken.
 */
class OneVectorShapeTest {

    @Test
    void batchesAfterALargeOneSampleSettleAllocateNothingOnceCompiled() {
        Hierarchy h = Hierarchy.builder().layer(200, 1.0).layer(180, 1.0).layer(10, 1.0)
                .activation(0, Activations.TANH).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 5).build();
        assertTrue(200L * 180 > Blas.SMALL_PRODUCT, "the bottom product must be a large one");
        boolean[] clamp = {true, false, false};
        SplittableRandom rng = new SplittableRandom(11);
        double sink = 0;

        EnergyWorkspace one = new EnergyWorkspace(h, 1, clamp, 1);
        one.setClamped(0, EnergyWorkspaceTest.random(rng, 200));
        double[] x1 = EnergyWorkspaceTest.random(rng, one.freeDimension());
        double[] o1 = new double[x1.length];
        for (int i = 0; i < 40_000; i++) {
            sink += i % 50 == 0 ? one.flow(x1, o1, null) : one.stepFlow(x1, o1, null);
        }

        int batch = 16;
        EnergyWorkspace many = new EnergyWorkspace(h, batch, clamp, 1);
        many.setClamped(0, EnergyWorkspaceTest.random(rng, batch * 200));
        double[] x = EnergyWorkspaceTest.random(rng, many.freeDimension());
        double[] out = new double[x.length];
        for (int chunk = 0; chunk < 40; chunk++) {
            long start = ZeroAllocationTest.allocatedBytes();
            for (int i = 0; i < 250; i++) {
                sink += many.stepFlow(x, out, null);
            }
            if (ZeroAllocationTest.allocatedBytes() - start < 1024) {
                break;
            }
        }
        long before = ZeroAllocationTest.allocatedBytes();
        for (int i = 0; i < 2_000; i++) {
            sink += many.stepFlow(x, out, null);
        }
        long allocated = ZeroAllocationTest.allocatedBytes() - before;
        assertTrue(Double.isFinite(sink));
        assertTrue(allocated < 16 * 1024, "2,000 batch-" + batch + " steps after one-sample settles allocated "
                + allocated + " bytes with BLAS " + Blas.backend());
    }
}
