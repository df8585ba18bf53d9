package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class IntegratorsTest {

    @Test
    void namesListEveryMethod() {
        assertEquals(List.of("euler", "midpoint", "heun", "rk4", "bs3", "dopri5", "cm-dopri853", "cm-gbs",
                "cm-adams-bashforth", "cm-adams-moulton", "cm-rk4", "cm-dopri54"), Integrators.names());
        for (String name : Integrators.names()) {
            Integrator integrator = Integrators.create(name, StepSettings.fixed(0.1));
            assertEquals(name, integrator.name());
            assertTrue(integrator.order() >= 1);
        }
    }

    @Test
    void namesAreCaseInsensitiveWithAliases() {
        StepSettings s = StepSettings.tolerances(1e-6, 1e-9);
        assertEquals("dopri5", Integrators.create("DOPRI5", s).name());
        assertEquals("dopri5", Integrators.create("Dormand-Prince", s).name());
        assertEquals("bs3", Integrators.create(" bogacki-shampine ", s).name());
        assertEquals("rk4", Integrators.create("RK4", StepSettings.fixed(0.1)).name());
        assertEquals("cm-dopri853", Integrators.canonicalName("CM-DOPRI853"));
    }

    @Test
    void unknownNameIsNamedAndTheKnownOnesListed() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Integrators.create("rk45", StepSettings.fixed(0.1)));
        assertTrue(ex.getMessage().contains("'rk45'"), ex.getMessage());
        for (String name : Integrators.names()) {
            assertTrue(ex.getMessage().contains(name), ex.getMessage());
        }
        assertTrue(ex.getMessage().contains("dormand-prince"), ex.getMessage());
    }

    @Test
    void tableausDescribeTheirMethods() {
        assertTrue(ButcherTableau.DOPRI5.isFsal() && ButcherTableau.BS3.isFsal());
        assertTrue(!ButcherTableau.RK4.isFsal() && !ButcherTableau.HEUN.isFsal());
        assertEquals(7, ButcherTableau.DOPRI5.stages());
        assertEquals(4, ButcherTableau.DOPRI5.embeddedOrder());
        // Consistency: each row of a sums to its node, the weights sum to one, error weights to zero.
        for (ButcherTableau t : List.of(ButcherTableau.EULER, ButcherTableau.MIDPOINT, ButcherTableau.HEUN,
                ButcherTableau.RK4, ButcherTableau.BS3, ButcherTableau.DOPRI5)) {
            for (int i = 0; i < t.stages(); i++) {
                assertEquals(t.c()[i], java.util.Arrays.stream(t.a(i)).sum(), 1e-14, t.name() + " row " + i);
            }
            assertEquals(1.0, java.util.Arrays.stream(t.b()).sum(), 1e-14, t.name());
            if (t.isEmbedded()) {
                assertEquals(0.0, java.util.Arrays.stream(t.errorWeights()).sum(), 1e-14, t.name());
            }
        }
    }
}
