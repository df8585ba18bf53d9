package org.fena.annealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/** Known values of every schedule kind, the validation messages, and the laws T(t) >= 0 and cooling. */
class NoiseScheduleTest {

    @Test
    void eachKindHasItsKnownValues() {
        assertEquals(0.3, NoiseSchedule.constant(0.3).temperature(17), 0.0);
        assertEquals(0.5, NoiseSchedule.linear(1.0, 0.0, 10).temperature(5), 1e-15);
        assertEquals(0.2, NoiseSchedule.linear(1.0, 0.2, 10).temperature(50), 0.0);
        assertEquals(Math.exp(-1), NoiseSchedule.exponential(1.0, 0.1).temperature(10), 1e-15);
        assertEquals(0.25, NoiseSchedule.geometric(1.0, 0.5, 3).temperature(6.5), 1e-15);
        assertEquals(2.0, NoiseSchedule.logarithmic(2.0).temperature(0), 1e-15);
        assertEquals(2.0 / Math.log(Math.E + 5), NoiseSchedule.logarithmic(2.0).temperature(5), 1e-15);
        assertEquals(0.5, NoiseSchedule.cosine(1.0, 0.0, 4).temperature(2), 1e-15);
        NoiseSchedule steps = NoiseSchedule.piecewise(new double[] {0, 1, 2}, new double[] {3, 2, 1});
        assertEquals(3, steps.temperature(0.999), 0.0);
        assertEquals(2, steps.temperature(1), 0.0);
        assertEquals(1, steps.temperature(99), 0.0);
        assertEquals(0.0, NoiseSchedule.constant(1).until(4).temperature(4), 0.0);
        assertEquals(1.0, NoiseSchedule.constant(1).until(4).temperature(3.99), 0.0);
        assertEquals(0.7, NoiseSchedule.of("half", t -> 0.7).temperature(3), 0.0);
    }

    @Test
    void configurationNamesBuildTheSameSchedules() {
        NoiseSchedule s = NoiseSchedules.create("exponential", Map.of("t0", 1.0, "rate", 0.1, "until", 5));
        assertEquals(Math.exp(-0.4), s.temperature(4), 1e-15);
        assertEquals(0.0, s.temperature(5), 0.0);
        assertEquals(2.0, NoiseSchedules.create("piecewise", Map.of("times", List.of(0, 1),
                "temperatures", List.of(3, 2))).temperature(1.5), 0.0);
        assertEquals(0.0, NoiseSchedules.create("none", Map.of()).temperature(1), 0.0);
        assertTrue(s.label().startsWith("exponential(t0=1, rate=0.1"), s.label());
    }

    @Test
    void badParametersAreNamedInTheMessage() {
        assertMessage("rate must be a finite number > 0, got -1.0", () -> NoiseSchedule.exponential(1, -1));
        assertMessage("T must be a finite number >= 0", () -> NoiseSchedule.constant(Double.NaN));
        assertMessage("factor must be in (0, 1]", () -> NoiseSchedule.geometric(1, 1.5, 1));
        assertMessage("times must start at 0", () -> NoiseSchedule.piecewise(new double[] {1}, new double[] {1}));
        assertMessage("times must increase", () -> NoiseSchedule.piecewise(new double[] {0, 0}, new double[] {1, 1}));
        assertMessage("has no parameter 'rat'", () -> NoiseSchedules.create("exponential", Map.of("t0", 1, "rat", 1)));
        assertMessage("needs 'rate'", () -> NoiseSchedules.create("exponential", Map.of("t0", 1)));
        assertMessage("unknown schedule kind 'hot'", () -> NoiseSchedules.create("hot", Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NoiseSchedule.of("bad", t -> -t).temperature(2));
        assertTrue(e.getMessage().contains("T(2.0"), e.getMessage());
    }

    private static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Property(tries = 200)
    void coolingSchedulesAreNonNegativeAndNeverWarm(@ForAll @DoubleRange(min = 0, max = 3) double t0,
                                                    @ForAll @DoubleRange(min = 0.01, max = 2) double p,
                                                    @ForAll @DoubleRange(min = 0, max = 100) double t,
                                                    @ForAll @DoubleRange(min = 0, max = 10) double dt) {
        for (NoiseSchedule s : List.of(NoiseSchedule.linear(t0, 0, 50 * p), NoiseSchedule.exponential(t0, p),
                NoiseSchedule.geometric(t0, Math.min(1, p), 5), NoiseSchedule.logarithmic(t0),
                NoiseSchedule.cosine(t0, 0, 50 * p), NoiseSchedule.exponential(t0, p).until(30))) {
            double a = s.temperature(t);
            double b = s.temperature(t + dt);
            assertTrue(a >= 0 && Double.isFinite(a), s.label() + " at " + t);
            assertTrue(b <= a, s.label() + " warms from t = " + t + " to " + (t + dt));
        }
    }
}
