package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;

class HierarchyProperties {

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    @Property(tries = 200)
    void toStringRoundTripsForRandomHierarchies(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy();
        Hierarchy back = HierarchyTest.fromYaml(h.toString());
        assertEquals(h.toString(), back.toString());
        double[] x = c.initialFree();
        assertEquals(c.workspace().energy(x, null),
                new HierarchyCase(back, c.clamped(), c.batch(), c.clampValues(), c.free()).workspace().energy(x, null),
                0.0, "the pasted hierarchy has the very same energy");
    }

    @Property(tries = 100)
    void copyIsIndependentAndEquivalent(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy();
        Hierarchy k = h.copy();
        assertEquals(h.toString(), k.toString());
        for (int l = 0; l < k.top(); l++) {
            k.weights(l)[0] += 1.0;
        }
        if (h.top() > 0) {
            assertEquals(false, h.toString().equals(k.toString()));
        }
    }
}
