package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hot-loop rule: stepping allocates nothing, so a long run costs no more memory than a short one. */
class AllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A vector field of moderate size that itself allocates nothing. */
    private static final OdeSystem SYSTEM = new OdeSystem() {
        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            for (int i = 0; i < y.length; i++) {
                yDot[i] = -(1 + 0.01 * i) * y[i] + 0.1 * Math.sin(t + i);
            }
        }
    };

    private static long allocatedBy(Integrator integrator, long steps, StepObserver observer) {
        double[] y = new double[SYSTEM.dimension()];
        java.util.Arrays.fill(y, 1.0);
        StopRule stop = StopRules.stepBudget(steps);
        StepObserver[] observers = {observer};
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        IntegrationResult r = integrator.integrate(SYSTEM, 0.0, y, stop, observers);
        long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        assertEquals(steps, r.steps());
        return after - before;
    }

    private static long extraBytes(Integrator integrator, StepObserver observer) {
        // Warm up so that the measured runs are compiled code, not the interpreter's first pass.
        for (int i = 0; i < 5; i++) {
            allocatedBy(integrator, 10_100, observer);
        }
        long shortRun = Long.MAX_VALUE;
        long longRun = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            shortRun = Math.min(shortRun, allocatedBy(integrator, 100, observer));
            longRun = Math.min(longRun, allocatedBy(integrator, 10_100, observer));
        }
        System.out.printf("%s: %d bytes for 100 steps, %d bytes for 10,100 steps%n", integrator, shortRun, longRun);
        return longRun - shortRun;
    }

    @ParameterizedTest
    @CsvSource({"euler, NaN", "rk4, NaN", "dopri5, NaN", "dopri5, 1e-6", "bs3, 1e-6"})
    void steppingAllocatesNothingPerStep(String name, double rtol) {
        assertTrue(THREADS.isThreadAllocatedMemorySupported());
        THREADS.setThreadAllocatedMemoryEnabled(true);
        StepSettings settings = Double.isNaN(rtol) ? StepSettings.fixed(1e-3)
                : StepSettings.tolerances(rtol, rtol).withMaxStep(1e-2);
        long extra = extraBytes(Integrators.create(name, settings), s -> { });
        // 10,000 extra steps: even one boxed double per step would be 160 KB.
        assertTrue(extra < 64 * 1024, name + " allocated " + extra + " extra bytes for 10,000 extra steps");
    }

    @Test
    void sampledObserverAllocatesNothingPerSample() {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        double[] sum = {0};
        SampledObserver sampled = SampledObserver.every(0.0, 5e-4, (t, y) -> sum[0] += y[0]);
        long extra = extraBytes(Integrators.create("rk4", StepSettings.fixed(1e-3)), sampled);
        assertTrue(extra < 64 * 1024, "sampling allocated " + extra + " extra bytes for 20,000 extra samples");
    }

    /** The measurement itself can fail: an observer that allocates per step is caught. */
    @Test
    void anAllocatingObserverIsDetected() {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        java.util.List<double[]> kept = new java.util.ArrayList<>();
        StepObserver copying = s -> {
            if (kept.size() > 100) {
                kept.clear();
            }
            kept.add(s.y().clone());
        };
        long extra = extraBytes(Integrators.create("euler", StepSettings.fixed(1e-3)), copying);
        assertTrue(extra > 1_000_000, "copying 64 doubles per step should show, got " + extra);
    }
}
