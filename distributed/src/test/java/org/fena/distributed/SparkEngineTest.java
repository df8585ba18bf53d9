package org.fena.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.sql.Row;
import org.fena.dynamics.jobs.Job;
import org.fena.dynamics.jobs.JobResult;
import org.fena.dynamics.jobs.LocalEngine;
import org.fena.dynamics.jobs.ProgressListener;
import org.fena.dynamics.jobs.TaskFailedException;
import org.fena.dynamics.jobs.TaskFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark engine's contract: retries, failures that name the task, NaN as a result, Parquet, progress, bad masters. */
class SparkEngineTest {

    /** Attempts per task index of the flaky job (same JVM in local mode, so a static map sees them all). */
    static final ConcurrentHashMap<Integer, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    /** A task that draws from its seed: the row is (index, seed's first double, index squared). */
    static final class Draw implements TaskFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public double[] run(int index, long seed) {
            return new double[] {index, new java.util.SplittableRandom(seed).nextDouble(), (double) index * index};
        }
    }

    /** Fails the first attempt of every third task, then succeeds like {@link Draw}. */
    static final class FlakyOnce implements TaskFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public double[] run(int index, long seed) {
            if (index % 3 == 0 && ATTEMPTS.computeIfAbsent(index, k -> new AtomicInteger()).incrementAndGet() == 1) {
                throw new IllegalStateException("transient failure of task " + index);
            }
            return new Draw().run(index, seed);
        }
    }

    /** Task 5 always fails; task 6 diverges (a NaN row, which is a result). */
    static final class BrokenFive implements TaskFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public double[] run(int index, long seed) {
            if (index == 5) {
                throw new ArithmeticException("the state of point five cannot be computed");
            }
            return index == 6 ? new double[] {index, Double.NaN, Double.NaN} : new Draw().run(index, seed);
        }

        @Override
        public String describe(int index) {
            return "layers[1].tau = " + (0.5 * index);
        }
    }

    private static final List<String> COLUMNS = List.of("index", "draw", "square");

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheJobCompletesWithTheLocalEnginesRows() {
        ATTEMPTS.clear();
        Job job = new Job("flaky", COLUMNS, 30, 42, new FlakyOnce());
        JobResult spark = new SparkEngine(SharedSpark.session(), 4).run(job, ProgressListener.NONE);
        assertTrue(ATTEMPTS.get(0).get() >= 2, "task 0 failed once and was retried");
        JobResult local = new LocalEngine(1).run(new Job("draw", COLUMNS, 30, 42, new Draw()), ProgressListener.NONE);
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(local.rows()[i], spark.rows()[i], "row " + i);
        }
    }

    @Test
    void aTaskThatFailsEveryRetryFailsTheJobNamingItsIndexAndParameters() {
        Job job = new Job("broken", COLUMNS, 12, 1, new BrokenFive());
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> new SparkEngine(SharedSpark.session(), 3).run(job, ProgressListener.NONE));
        assertEquals(5, e.index());
        assertTrue(e.getMessage().contains("fena task 5 (layers[1].tau = 2.5)"), e.getMessage());
        assertTrue(e.getMessage().contains("point five"), e.getMessage());
    }

    @Test
    void aDivergedTaskIsARowNotAFailure() {
        Job job = new Job("nan", COLUMNS, 7, 1, (TaskFunction & java.io.Serializable) (i, s) ->
                i == 6 ? new double[] {i, Double.NaN, Double.NaN} : new double[] {i, 0, 0});
        JobResult r = new SparkEngine(SharedSpark.session(), 2).run(job, ProgressListener.NONE);
        assertTrue(Double.isNaN(r.rows()[6][1]));
        assertEquals(7, r.rows().length);
    }

    @Test
    void progressCountsEveryTaskOnceAndEndsAtTheTotal() {
        List<long[]> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Job job = new Job("progress", COLUMNS, 50, 3, new Draw());
        new SparkEngine(SharedSpark.session(), 7).run(job, (done, total) -> seen.add(new long[] {done, total}));
        assertFalse(seen.isEmpty());
        long prev = 0;
        for (long[] s : seen) {
            assertTrue(s[0] >= prev && s[0] <= 50 && s[1] == 50, "non-decreasing, within the total");
            prev = s[0];
        }
        assertEquals(50, seen.get(seen.size() - 1)[0]);
    }

    @Test
    void theParquetTableHoldsTheSameRowsAsTheResult(@TempDir Path dir) throws Exception {
        Job job = new Job("parquet", COLUMNS, 20, 9, new Draw());
        SparkEngine engine = new SparkEngine(SharedSpark.session(), 3);
        JobResult r = engine.run(job, ProgressListener.NONE);
        assertEquals(List.of("t.parquet"), engine.writeExtra(job, r, dir, "t"));
        List<Row> back = SharedSpark.session().read().parquet(dir.resolve("t.parquet").toString()).orderBy("task")
                .collectAsList();
        assertEquals(20, back.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(i, back.get(i).getInt(0));
            for (int k = 0; k < 3; k++) {
                assertEquals(r.rows()[i][k], back.get(i).getDouble(k + 1), 0.0);
            }
        }
    }

    @Test
    void anUnreachableMasterIsExitStatusTwoWithOneLine(@TempDir Path dir) {
        SharedSpark.session();
        SharedSpark.Result r = SharedSpark.fena("sweep", "--config", SharedSpark.examples().resolve("sweep-2d.yaml")
                .toString(), "--out", dir.resolve("out").toString(), "--engine", "spark", "--master", "spark://127.0.0.1:1");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("cannot reach the Spark master at spark://127.0.0.1:1"), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aZeroPointGridIsExitStatusTwoBeforeSparkIsAsked(@TempDir Path dir) {
        SharedSpark.Result r = SharedSpark.fena("sweep", "--config", SharedSpark.examples().resolve("sweep-2d.yaml")
                .toString(), "--out", dir.resolve("out").toString(), "--engine", "spark", "--param", "layers[1].tau",
                "--from", "0.5", "--to", "2", "--points", "0");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("a grid with zero points"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
