package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.vm.VM;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Aligned#offset} must name the element that starts on a 32-byte boundary, in every
 * reference layout a HotSpot JVM may choose (the surefire executions of this module run this class
 * under each): checked against JOL's reading of the same address.
 */
class AlignedTest {

    @Test
    void knowsAddressesOnHotSpot() {
        assertTrue(Aligned.known(), "Aligned could not read addresses on " + System.getProperty("java.vm.name")
                + " with " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    @Property(tries = 200)
    void offsetStartsTheCopyOnA32ByteBoundary(@ForAll @IntRange(min = 1, max = 5000) int n) {
        long base = VM.current().arrayBaseOffset("double");
        for (int attempt = 0; ; attempt++) {
            double[] a = new double[n + Aligned.PAD];
            long before = VM.current().addressOf(a);
            Object[] slot = new Object[1];
            int off = Aligned.offset(a, slot);
            long after = VM.current().addressOf(a);
            if (before != after && attempt < 10) {
                continue; // moved by a collection between the readings
            }
            assertTrue(off >= 0 && off <= Aligned.PAD, "offset " + off);
            assertEquals(null, slot[0], "the slot is cleared");
            assertEquals(0, Math.floorMod(after + base + (long) off * Double.BYTES, Aligned.BYTES),
                    "element " + off + " of an array at 0x" + Long.toHexString(after) + " (elements from +" + base
                            + ") is not on a " + Aligned.BYTES + "-byte boundary");
            return;
        }
    }

    /**
     * A collection that moves a workspace's packed copy of {@code W_0} (small-batch1's 64-32-10 shape)
     * off its 32-byte boundary: within {@link EnergyWorkspace#REALIGN_EVERY} stepFlows the copy is
     * back on one, and every stepFlow before and after gives the bits of a workspace that was never
     * moved. A full collection ({@code System.gc()}) moves a young array; three moves in four change
     * its alignment, so a few tries see one.
     */
    @Test
    void aCopyMovedByACollectionIsPutBackOnA32ByteBoundaryWithTheSameValues() {
        assumeTrue(FusedActivation.VECTOR && Aligned.known(), "no Vector API or no addresses: no aligned copies");
        long base = VM.current().arrayBaseOffset("double");
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x0 = rnd.doubles(64, 0, 1).toArray();
        double[] y = rnd.doubles(42, -0.5, 0.5).toArray();
        double[] out = new double[42];
        double[] expected = new double[42];
        boolean moved = false;
        for (int attempt = 0; attempt < 12 && !moved; attempt++) {
            EnergyWorkspace ws = smallBatch1(x0);
            EnergyWorkspace ref = smallBatch1(x0);
            ws.stepFlow(y, out, null);
            double[] copy = ws.packedCopy(0);
            assertNotNull(copy, "64 x 32 under a free layer at batch 1 takes the packed copy");
            System.gc();
            int off = ws.packedOffset(0);
            if (Math.floorMod(VM.current().addressOf(copy) + base + (long) off * Double.BYTES, Aligned.BYTES) == 0) {
                continue;
            }
            moved = true;
            for (int k = 0; k <= EnergyWorkspace.REALIGN_EVERY; k++) {
                double e = ws.stepFlow(y, out, null);
                double eRef = ref.stepFlow(y, expected, null);
                if (!Arrays.equals(expected, out) || Double.compare(e, eRef) != 0) {
                    // a message built only on failure: no allocation in the loop, so no collection moves the copy again
                    fail("stepFlow " + k + " after the move differs from the unmoved workspace's");
                }
                y[k % y.length] += 1e-3 * out[k % y.length];
            }
            long address = VM.current().addressOf(copy);
            assertEquals(0, Math.floorMod(address + base + (long) ws.packedOffset(0) * Double.BYTES, Aligned.BYTES),
                    "after " + EnergyWorkspace.REALIGN_EVERY + " stepFlows the copy (offset " + ws.packedOffset(0)
                            + ", was " + off + ") is still off a 32-byte boundary");
        }
        assumeTrue(moved, "no collection moved the copy off its boundary in 12 tries");
    }

    private static EnergyWorkspace smallBatch1(double[] x0) {
        Hierarchy h = Hierarchy.builder().layer(64, 1.0).layer(32, 1.0).layer(10, 1.0)
                .activation(0, Activations.TANH).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 0).build();
        EnergyWorkspace ws = new EnergyWorkspace(h, 1, new boolean[] {true, false, false});
        ws.setClamped(0, x0);
        return ws;
    }
}
