package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.junit.jupiter.api.Test;

class ZeroAllocationTest {

    /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static Hierarchy midSize() {
        SplittableRandom rng = new SplittableRandom(3);
        return Hierarchy.builder()
                .layer(48, 1.0).layer(32, 2.0).layer(24, 3.0).layer(16, 4.0)
                .activation(0, Activations.TANH).activation(1, Activations.SOFTPLUS)
                .activation(2, Activations.LOGISTIC)
                .precision(0, Precisions.scalar(48, 2.0))
                .precision(1, Precisions.diagonal(filled(32, 0.7)))
                .precision(2, Precisions.full(24, RandomHierarchies.gram(EnergyWorkspaceTest.random(rng, 576), 24, 0.5)))
                .prior(new double[16], Precisions.diagonal(filled(16, 1.5)))
                .weightInit(WeightInit.xavierUniform(), 1)
                .build();
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /**
     * Calls flow() {@code warmUp} times, then measures 10,000 more calls. With {@code warmUp < 0} it
     * warms up in chunks of 1,000 until a chunk allocates under 1 KB (at most 200 chunks).
     */
    private static void assertFlowAllocatesNothing(int batch, int warmUp) {
        assertAllocatesNothing(batch, warmUp, 0);
    }

    /**
     * As {@link #assertFlowAllocatesNothing}; with {@code fullEvery > 0} the calls are
     * {@code stepFlow}s with a full {@code flow} every {@code fullEvery}-th, as a settle followed by a
     * learning rule's evaluation runs them.
     */
    private static void assertAllocatesNothing(int batch, int warmUp, int fullEvery) {
        Hierarchy h = midSize();
        EnergyWorkspace ws = new EnergyWorkspace(h, batch, new boolean[] {true, false, false, false});
        SplittableRandom rng = new SplittableRandom(9);
        ws.setClamped(0, EnergyWorkspaceTest.random(rng, batch * 48));
        double[] x = EnergyWorkspaceTest.random(rng, ws.freeDimension());
        double[] out = new double[x.length];
        double[] per = new double[h.layers()];
        double sink = 0;
        if (warmUp >= 0) {
            for (int i = 0; i < warmUp; i++) {
                sink += eval(ws, x, out, per, i, fullEvery);
            }
        } else {
            for (int chunk = 0; chunk < 200; chunk++) {
                long start = allocatedBytes();
                for (int i = 0; i < 1000; i++) {
                    sink += eval(ws, x, out, per, i, fullEvery);
                }
                if (allocatedBytes() - start < 1024) {
                    break;
                }
            }
        }
        long before = allocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            sink += eval(ws, x, out, per, i, fullEvery);
        }
        long allocated = allocatedBytes() - before;
        assertTrue(Double.isFinite(sink));
        assertTrue(allocated < 64 * 1024, "10,000 evaluations (batch " + batch + (fullEvery > 0 ? ", stepFlow with a flow every "
                + fullEvery : ", flow") + ") allocated " + allocated + " bytes with BLAS " + Blas.backend());
    }

    private static double eval(EnergyWorkspace ws, double[] x, double[] out, double[] per, int i, int fullEvery) {
        return fullEvery > 0 && i % fullEvery != 0 ? ws.stepFlow(x, out, per) : ws.flow(x, out, per);
    }

    /**
     * Batch 8 goes through dgemm and the Vector API error passes, whose vector objects only C2's
     * escape analysis removes: once compiled, nothing is allocated.
     */
    @Test
    void flowAllocatesNothingInTheHotLoopForABatchOnceCompiled() {
        assertFlowAllocatesNothing(8, -1);
    }

    /**
     * One sample goes through FENA's own vector products ({@link VectorProducts}), whose vector
     * objects only C2's escape analysis removes: until they are compiled each call allocates. The
     * steady state, which is what a long settle runs in, allocates nothing.
     */
    @Test
    void flowAllocatesNothingInTheHotLoopForOneSampleOnceCompiled() {
        assertFlowAllocatesNothing(1, -1);
    }

    /**
     * A settle's lean steps and a learning rule's full evaluations in one JVM: with "store eps or not"
     * as a flag of one vector loop, C2 compiled the tanh pass so that it boxed its vectors once both
     * kinds had run (megabytes per mnist-mlp evaluation); the two kinds are separate loops now.
     */
    @Test
    void stepsMixedWithFullEvaluationsAllocateNothingOnceCompiled() {
        assertAllocatesNothing(8, -1, 25);
        assertAllocatesNothing(1, -1, 25);
    }
}
