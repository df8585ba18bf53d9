package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fena sweep} grids and {@code fena ensemble} on the local engine (no Spark here): the thread
 * count never changes the table, the shipped examples run, and bad input is exit status 2 with one line.
 */
class JobCommandsTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int s = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(s, out.toString(), err.toString());
    }

    private static Path smallSweep(Path dir) throws Exception {
        Path cfg = dir.resolve("sweep.yaml");
        Files.writeString(cfg, Files.readString(EXAMPLES.resolve("sweep-2d.yaml"))
                .replace("points: 24}", "points: 5}").replace("points: 24, log: true", "points: 4, log: true"));
        return cfg;
    }

    @Test
    void aTwoDimensionalGridFromTheConfigGivesTheSameTableOnOneOrTwoThreads(@TempDir Path dir) throws Exception {
        Path cfg = smallSweep(dir);
        Result a = run("sweep", "--config", cfg.toString(), "--out", dir.resolve("a").toString(), "--threads", "1");
        Result b = run("sweep", "--config", cfg.toString(), "--out", dir.resolve("b").toString(), "--threads", "2");
        assertEquals(0, a.status(), a.err());
        assertEquals(0, b.status(), b.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/sweep.csv")), Files.readAllBytes(dir.resolve("b/sweep.csv")));
        assertEquals(21, Files.readAllLines(dir.resolve("a/sweep.csv")).size(), "header + 5 x 4 points");
        for (String f : new String[] {"eigenvalues.csv", "sweep.json", "manifest.json", "config.yaml",
                "heatmap_leading_re.png", "heatmap_leading_re.svg"}) {
            assertTrue(Files.exists(dir.resolve("a").resolve(f)), f);
        }
        JsonNode m = new ObjectMapper().readTree(dir.resolve("b/manifest.json").toFile());
        assertEquals("local", m.get("engine").asText());
        assertEquals("local[2]", m.get("master").asText());
        assertEquals(20, m.get("tasks").asInt());
        assertEquals(3, m.get("seed").asInt());
    }

    @Test
    void aOneDimensionalGridOnAnEngineFindsTheContinuationsStepBound(@TempDir Path dir) throws Exception {
        Path cfg = EXAMPLES.resolve("stability-feedback.yaml");
        Result grid = run("sweep", "--config", cfg.toString(), "--param", "integrator.step", "--from", "0.5", "--to",
                "4", "--points", "8", "--engine", "local", "--out", dir.resolve("grid").toString());
        Result cont = run("sweep", "--config", cfg.toString(), "--param", "integrator.step", "--from", "0.5", "--to",
                "4", "--points", "8", "--out", dir.resolve("cont").toString());
        assertEquals(0, grid.status(), grid.err());
        assertEquals(0, cont.status(), cont.err());
        JsonNode g = new ObjectMapper().readTree(dir.resolve("grid/sweep.json").toFile()).get("crossings");
        JsonNode c = new ObjectMapper().readTree(dir.resolve("cont/sweep.json").toFile()).get("crossings");
        assertEquals(1, g.size(), g.toString());
        assertEquals(c.get(0).get("value").asDouble(), g.get(0).get("value").asDouble(), 1e-8);
        assertTrue(Files.exists(dir.resolve("grid/bifurcation_eigenvalues.png")));
    }

    @Test
    void theShippedEnsembleRunsAndReportsArrivalsPerTemperature(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("e.yaml");
        Files.writeString(cfg, Files.readString(EXAMPLES.resolve("ensemble-escape.yaml")).replace("t_end: 150", "t_end: 60"));
        Result r = run("ensemble", "--config", cfg.toString(), "--runs", "40", "--out", dir.resolve("e").toString());
        assertEquals(0, r.status(), r.err());
        JsonNode js = new ObjectMapper().readTree(dir.resolve("e/ensemble.json").toFile());
        assertEquals(3, js.get("groups").size());
        double cold = js.get("groups").get(0).get("hit_fraction").asDouble();
        double hot = js.get("groups").get(2).get("hit_fraction").asDouble();
        assertTrue(hot > cold, "escapes are likelier at T = 0.3 than at 0.15: " + cold + " vs " + hot);
        assertEquals(121, Files.readAllLines(dir.resolve("e/ensemble.csv")).size());
        for (String f : new String[] {"escape_times.png", "survival.svg", "final_energies.png", "manifest.json"}) {
            assertTrue(Files.exists(dir.resolve("e").resolve(f)), f);
        }
    }

    @Test
    void theSameSeedGivesTheSameEnsembleAndAnotherSeedAnother(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("e.yaml");
        Files.writeString(cfg, Files.readString(EXAMPLES.resolve("ensemble-escape.yaml")).replace("t_end: 150", "t_end: 5"));
        run("ensemble", "--config", cfg.toString(), "--runs", "6", "--seed", "1", "--threads", "1", "--out", dir.resolve("a").toString());
        run("ensemble", "--config", cfg.toString(), "--runs", "6", "--seed", "1", "--threads", "2", "--out", dir.resolve("b").toString());
        run("ensemble", "--config", cfg.toString(), "--runs", "6", "--seed", "2", "--out", dir.resolve("c").toString());
        byte[] a = Files.readAllBytes(dir.resolve("a/ensemble.csv"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/ensemble.csv")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/ensemble.csv"))));
    }

    @Test
    void anUnknownEngineIsExitStatusTwoWithOneLine(@TempDir Path dir) throws Exception {
        Result r = run("sweep", "--config", smallSweep(dir).toString(), "--out", dir.resolve("x").toString(),
                "--engine", "mpi");
        assertEquals(2, r.status());
        assertEquals("fena: error: --engine: unknown engine 'mpi'; expected local or spark", r.err().strip());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void theSparkEngineWithoutSparkSaysHowToRunIt(@TempDir Path dir) throws Exception {
        Result r = run("ensemble", "--config", EXAMPLES.resolve("ensemble-escape.yaml").toString(), "--out",
                dir.resolve("x").toString(), "--engine", "spark");
        assertEquals(2, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("needs the distributed jar and Spark") && r.err().contains("spark-submit"), r.err());
    }

    @Test
    void aGridWithZeroPointsIsExitStatusTwo(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("zero.yaml");
        Files.writeString(cfg, Files.readString(EXAMPLES.resolve("sweep-2d.yaml")).replace("points: 24}", "points: 0}"));
        Result r = run("sweep", "--config", cfg.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("a grid with zero points"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void anEnsembleWithoutANoiseSectionIsExitStatusTwo(@TempDir Path dir) throws Exception {
        Result r = run("ensemble", "--config", EXAMPLES.resolve("perception.yaml").toString(), "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("noise:"), r.err());
    }
}
