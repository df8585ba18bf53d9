package org.fena.dynamics.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The local engine: rows in index order whatever the thread count; failures name the task. */
class LocalEngineTest {

    private static final List<String> COLS = List.of("index", "sum");

    /** A task whose cost and row depend on its seed: slow and fast tasks interleave over threads. */
    private static final TaskFunction WORK = (index, seed) -> {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1000 + r.nextInt(20_000);
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += r.nextGaussian();
        }
        return new double[] {index, s};
    };

    @Test
    void theThreadCountNeverChangesARow() {
        Job job = new Job("work", COLS, 200, 77, WORK);
        JobResult one = new LocalEngine(1).run(job, ProgressListener.NONE);
        for (int threads : new int[] {2, 3, 8}) {
            JobResult many = new LocalEngine(threads).run(job, ProgressListener.NONE);
            for (int i = 0; i < 200; i++) {
                assertArrayEquals(one.rows()[i], many.rows()[i], "row " + i + " with " + threads + " threads");
            }
            assertEquals("local[" + threads + "]", many.master());
        }
    }

    @Test
    void aFailingTaskFailsTheJobNamingItsIndexAndParameters() {
        TaskFunction f = new TaskFunction() {
            @Override
            public double[] run(int index, long seed) {
                if (index == 13) {
                    throw new IllegalStateException("no fixed point");
                }
                return new double[] {index, 0};
            }

            @Override
            public String describe(int index) {
                return "feedback.scale = " + index / 10.0;
            }
        };
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> new LocalEngine(3).run(new Job("bad", COLS, 40, 1, f), ProgressListener.NONE));
        assertEquals(13, e.index());
        assertTrue(e.getMessage().startsWith("fena task 13 (feedback.scale = 1.3) failed"), e.getMessage());
    }

    @Test
    void aRowOfTheWrongWidthIsAFailureOfThatTask() {
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> new LocalEngine(1)
                .run(new Job("short", COLS, 3, 1, (i, s) -> new double[] {i}), ProgressListener.NONE));
        assertEquals(0, e.index());
    }

    @Test
    void progressReachesTheTotalOnce() {
        AtomicLong last = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        new LocalEngine(4).run(new Job("p", COLS, 64, 5, WORK), (done, total) -> {
            assertEquals(64, total);
            last.accumulateAndGet(done, Math::max);
            calls.incrementAndGet();
        });
        assertEquals(64, last.get());
        assertEquals(64, calls.get());
    }

    @Test
    void aJobWithoutTasksIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Job("empty", COLS, 0, 1, WORK));
    }

    @Test
    void theProgressLineSaysRateAndTimeLeft() {
        assertEquals("s: 30/120 tasks (25%), 3.00 tasks/s, about 30 s left", ProgressReporter.line("s", 30, 120, 10));
        assertEquals("s: 120/120 tasks (100%), 12.0 tasks/s, done in 10 s", ProgressReporter.line("s", 120, 120, 10));
    }

    @Test
    void anUnknownEngineIsRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Engines.open(new EngineOptions("mpi", null, 0, 0)));
        assertTrue(e.getMessage().contains("expected local or spark"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Engines.open(new EngineOptions("spark", "local[2]", 0, 0)));
        assertTrue(s.getMessage().contains("spark-submit"), s.getMessage());
    }
}
