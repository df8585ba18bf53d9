package org.fena.cli;

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
 * The stability, phase and sweep commands on the shipped examples: what they write, that their
 * answers agree with each other (the sweep's bisected step bound is the stability report's), and
 * that bad input is one line and exit status 2.
 */
class AnalysisCommandsTest {

    @TempDir
    Path dir;

    private static final Path FEEDBACK = Path.of("..", "examples", "stability-feedback.yaml");
    private static final Path PHASE = Path.of("..", "examples", "phase-plane.yaml");

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void stabilityReportsAFocusForRandomFeedbackAndWritesEveryFile() throws Exception {
        Path out = dir.resolve("stab");
        Result r = run("stability", "--config", FEEDBACK.toString(), "--out", out.toString());
        assertEquals(0, r.status, r.err);
        for (String f : new String[] {"stability.json", "spectrum.csv", "layers.csv", "trace.csv", "errors.csv",
            "fixed_point.csv", "energy.png", "energy.svg", "energy_log.png", "errors.png", "spectrum.png",
            "spectrum.svg", "time_constants.png", "manifest.json", "config.yaml"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        JsonNode js = new ObjectMapper().readTree(out.resolve("stability.json").toFile());
        assertEquals("stable focus", js.get("type").asText());
        assertTrue(js.get("complex_spectrum").asBoolean());
        assertFalse(js.get("gradient_flow").asBoolean());
        assertTrue(js.get("fixed_point").get("residual").asDouble() < 1e-10);
        double predicted = js.get("rate").get("predicted").asDouble();
        double measured = js.get("rate").get("measured").asDouble();
        assertEquals(predicted, measured, 0.1 * predicted);
        assertEquals(2.0 / 1.0, js.get("largest_stable_step").get("euler").asDouble()
                * -js.get("fastest").get("re").asDouble(), 1.0, "Euler's bound is of order 2/|lambda_max|");
        assertEquals("converges with oscillation", js.get("integrator").get("prediction").asText());
    }

    @Test
    void sweepOfTheStepFindsTheStabilityReportsBound() throws Exception {
        Path stab = dir.resolve("stab");
        assertEquals(0, run("stability", "--config", FEEDBACK.toString(), "--out", stab.toString()).status);
        double bound = new ObjectMapper().readTree(stab.resolve("stability.json").toFile())
                .get("largest_stable_step").get("rk4").asDouble();
        Path out = dir.resolve("sweep");
        Result r = run("sweep", "--config", FEEDBACK.toString(), "--param", "integrator.step", "--from", "0.5",
                "--to", "3", "--points", "6", "--out", out.toString());
        assertEquals(0, r.status, r.err);
        JsonNode js = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertEquals(1, js.get("crossings").size(), r.out);
        assertEquals("spectral_radius", js.get("crossings").get(0).get("kind").asText());
        assertEquals(bound, js.get("crossings").get(0).get("value").asDouble(), 1e-6 * bound);
        assertTrue(Files.isRegularFile(out.resolve("bifurcation_eigenvalues.png")));
        assertTrue(Files.isRegularFile(out.resolve("bifurcation_states.svg")));
    }

    @Test
    void phaseFindsTheStableNodeOfTheTwoUnitExample() throws Exception {
        Path out = dir.resolve("phase");
        Result r = run("phase", "--config", PHASE.toString(), "--x", "1:0", "--y", "2:0", "--grid", "9", "--out",
                out.toString());
        assertEquals(0, r.status, r.err);
        String fp = Files.readString(out.resolve("fixed_points.csv"));
        assertTrue(fp.contains("stable node"), fp);
        assertTrue(Files.isRegularFile(out.resolve("phase.png")));
        assertTrue(Files.readAllLines(out.resolve("field.csv")).size() == 82, "9 x 9 arrows and a header");
    }

    @Test
    void badInputIsOneLineAndStatusTwo() throws Exception {
        Result a = run("phase", "--config", PHASE.toString(), "--x", "0:0", "--y", "2:0", "--out", dir.resolve("a").toString());
        assertEquals(2, a.status);
        assertTrue(a.err.contains("--x") && a.err.contains("clamped"), a.err);
        Result b = run("sweep", "--config", FEEDBACK.toString(), "--param", "layers[1].colour", "--from", "1", "--to",
                "2", "--out", dir.resolve("b").toString());
        assertEquals(2, b.status);
        assertTrue(b.err.contains("--param") && b.err.contains("layers[L].tau"), b.err);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(FEEDBACK).replace("kind: random", "kind: sideways"));
        Result c = run("stability", "--config", bad.toString(), "--out", dir.resolve("c").toString());
        assertEquals(2, c.status);
        assertTrue(c.err.contains("feedback.kind") && c.err.contains("transpose, random, mixed"), c.err);
        assertEquals(1, c.err.strip().lines().count(), c.err);
        assertFalse(Files.exists(dir.resolve("c")), "nothing written on bad input");
    }
}
