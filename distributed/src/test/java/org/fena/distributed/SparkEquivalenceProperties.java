package org.fena.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The Spark engine in local mode gives the local engine's results bit for bit — the same CSV bytes —
 * for 1, 3 and 7 partitions, over random grids and seeds: rows are keyed by task index and combined
 * in index order, and a task's seed comes from the job's seed and its index alone.
 */
class SparkEquivalenceProperties {

    private static final Path TMP;
    private static final java.util.concurrent.atomic.AtomicInteger RUN = new java.util.concurrent.atomic.AtomicInteger();

    static {
        try {
            TMP = Files.createTempDirectory("fena-spark-eq");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(TMP)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    void sweepGridOnSparkEqualsTheLocalEngineForAnyPartitioning(
            @ForAll @DoubleRange(min = 0.0, max = 2.0) double scaleFrom,
            @ForAll @DoubleRange(min = 2.5, max = 6.0) double scaleTo,
            @ForAll @IntRange(min = 1, max = 4) int scalePoints,
            @ForAll @IntRange(min = 1, max = 4) int precisionPoints,
            @ForAll @IntRange(min = 0, max = 1000) int seed) throws IOException {
        SharedSpark.session();
        Path cfg = TMP.resolve("sweep-" + RUN.incrementAndGet() + ".yaml");
        Files.writeString(cfg, Files.readString(SharedSpark.examples().resolve("sweep-2d.yaml"))
                .replaceFirst("(?m)^seed: 3$", "seed: " + seed)
                .replaceFirst("from: 0.0, to: 6.0, points: 24", String.format(Locale.ROOT, "from: %s, to: %s, points: %d",
                        scaleFrom, scaleTo, scalePoints))
                .replaceFirst("points: 24, log: true", "points: " + precisionPoints + ", log: true"));
        Path local = TMP.resolve("sweep-local-" + RUN.incrementAndGet());
        SharedSpark.Result l = SharedSpark.fena("sweep", "--config", cfg.toString(), "--out", local.toString(),
                "--engine", "local", "--threads", "2");
        assertEquals(0, l.status(), l.err());
        for (int parts : new int[] {1, 3, 7}) {
            Path spark = TMP.resolve("sweep-spark-" + RUN.incrementAndGet() + "-" + parts);
            SharedSpark.Result s = SharedSpark.fena("sweep", "--config", cfg.toString(), "--out", spark.toString(),
                    "--engine", "spark", "--partitions", String.valueOf(parts));
            assertEquals(0, s.status(), s.err());
            assertSameBytes(local.resolve("sweep.csv"), spark.resolve("sweep.csv"));
            assertSameBytes(local.resolve("eigenvalues.csv"), spark.resolve("eigenvalues.csv"));
            var manifest = new ObjectMapper().readTree(spark.resolve("manifest.json").toFile());
            assertEquals("spark", manifest.get("engine").asText());
            assertEquals(Math.min(parts, scalePoints * precisionPoints), manifest.get("partitions").asInt());
            assertTrue(Files.isDirectory(spark.resolve("sweep.parquet")), "Parquet table written on Spark");
        }
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    void ensembleOnSparkEqualsTheLocalEngineForAnyPartitioning(
            @ForAll @IntRange(min = 1, max = 12) int runs,
            @ForAll @IntRange(min = 1, max = 3) int temperatures,
            @ForAll long seed) throws IOException {
        SharedSpark.session();
        String temps = String.join(", ", java.util.List.of("0.15", "0.3", "0.6").subList(0, temperatures));
        Path cfg = TMP.resolve("ensemble-" + RUN.incrementAndGet() + ".yaml");
        Files.writeString(cfg, Files.readString(SharedSpark.examples().resolve("ensemble-escape.yaml"))
                .replace("t_end: 150", "t_end: 6")
                .replace("temperatures: [0.15, 0.2, 0.3]", "temperatures: [" + temps + "]"));
        Path local = TMP.resolve("ens-local-" + RUN.incrementAndGet());
        SharedSpark.Result l = SharedSpark.fena("ensemble", "--config", cfg.toString(), "--out", local.toString(),
                "--runs", String.valueOf(runs), "--seed", String.valueOf(seed), "--threads", "2");
        assertEquals(0, l.status(), l.err());
        for (int parts : new int[] {1, 3, 7}) {
            Path spark = TMP.resolve("ens-spark-" + RUN.incrementAndGet() + "-" + parts);
            SharedSpark.Result s = SharedSpark.fena("ensemble", "--config", cfg.toString(), "--out", spark.toString(),
                    "--runs", String.valueOf(runs), "--seed", String.valueOf(seed), "--engine", "spark",
                    "--partitions", String.valueOf(parts));
            assertEquals(0, s.status(), s.err());
            assertSameBytes(local.resolve("ensemble.csv"), spark.resolve("ensemble.csv"));
        }
    }

    private static void assertSameBytes(Path a, Path b) throws IOException {
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), a.getFileName() + " differs between engines");
    }
}
