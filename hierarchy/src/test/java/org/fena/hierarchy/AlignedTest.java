package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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
}
