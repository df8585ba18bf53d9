package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettleCommandTest {

    @TempDir
    Path dir;

    private static final String GOOD = String.join("\n",
            "seed: 3",
            "batch: 2",
            "layers:",
            "  - dim: 3",
            "    activation: tanh",
            "    clamp: {rule: uniform, low: -1, high: 1}",
            "  - dim: 2",
            "    tau: 2.0",
            "integrator: {method: rk4, step: 0.1}",
            "stop: {grad_tol: 1.0e-7, t_max: 200}",
            "record: {states: true, sample_interval: 0.5}",
            "");

    record Run(int status, String out, String err) {
    }

    private Run fena(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void settleWritesEveryPromisedFile() throws IOException {
        Path cfg = write("good.yaml", GOOD);
        Path out = dir.resolve("run");
        Run r = fena("settle", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of("summary.json", "trace.csv", "final_state.csv", "manifest.json", "config.yaml",
                "states.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " missing or empty");
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String k : List.of("converged", "steps", "rhs_evaluations", "t_final", "energy_initial", "energy_final",
                "energy_per_layer_final", "grad_norm_final", "integrator", "wall_seconds")) {
            assertTrue(s.has(k), "summary.json lacks " + k);
        }
        assertTrue(s.get("converged").asBoolean());
        assertEquals("rk4", s.get("integrator").asText());
        assertTrue(s.get("grad_norm_final").asDouble() <= 1e-7);
        assertTrue(s.get("energy_final").asDouble() <= s.get("energy_initial").asDouble());
        assertEquals(2, s.get("energy_per_layer_final").size());

        List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
        assertEquals("t,energy,grad_norm,energy_l0,energy_l1", trace.get(0));
        assertEquals(s.get("steps").asLong() + 2, trace.size(), "a row per step plus the start and the header");
        List<String> fin = Files.readAllLines(out.resolve("final_state.csv"));
        assertEquals("layer,sample,index,value", fin.get(0));
        assertEquals(1 + 2 * 3 + 2 * 2, fin.size());

        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        for (String k : List.of("fena_version", "java_version", "blas_backend", "seed", "config_sha256")) {
            assertTrue(m.has(k), "manifest.json lacks " + k);
        }
        assertEquals(3, m.get("seed").asLong());
        assertEquals(RunInfo.sha256(GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                m.get("config_sha256").asText());
        assertEquals(GOOD, Files.readString(out.resolve("config.yaml")));
        try (Stream<Path> left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary dir left");
        }
    }

    @Test
    void shippedExamplesSettle() {
        for (String ex : List.of("perception.yaml", "linear-explicit.yaml")) {
            Path cfg = Path.of("..", "examples", ex);
            Run r = fena("settle", "--config", cfg.toString(), "--out", dir.resolve(ex).toString());
            assertEquals(0, r.status(), ex + ": " + r.err());
            assertTrue(r.out().contains("converged"), ex + ": " + r.out());
        }
    }

    @Test
    void weightsAndClampsReadFromNpyAndCsvFiles() throws IOException {
        try (var os = Files.newOutputStream(dir.resolve("W0.npy"))) {
            Npy.write(os, new double[] {1, 0, 0, 1, 0.5, 0.5}, 3, 2);
        }
        Files.writeString(dir.resolve("x0.csv"), "a,b,c\n0.5,-0.5,0.25\n");
        Path cfg = write("files.yaml", String.join("\n", "layers:", "  - dim: 3", "    weights: {file: W0.npy}",
                "    clamp: {file: x0.csv}", "  - dim: 2", "prior: {mean: 0, precision: 1}",
                "integrator: {method: dopri5}", ""));
        Run r = fena("settle", "--config", cfg.toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, r.status(), r.err());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("unknown key", GOOD.replace("tau: 2.0", "tua: 2.0"), "unknown key 'tua'"),
                Arguments.of("tau <= 0", GOOD.replace("tau: 2.0", "tau: -1"), "layers[1].tau"),
                Arguments.of("wrong dimensions", GOOD + "  \n", null),
                Arguments.of("not SPD", GOOD.replace("activation: tanh",
                        "activation: tanh\n    precision: [[1, 2, 0], [2, 1, 0], [0, 0, 1]]"), "positive definite"),
                Arguments.of("not symmetric", GOOD.replace("activation: tanh",
                        "activation: tanh\n    precision: [[1, 0.5, 0], [0, 1, 0], [0, 0, 1]]"), "symmetric"),
                Arguments.of("NaN in data", GOOD.replace("clamp: {rule: uniform, low: -1, high: 1}",
                        "clamp: {file: nan.csv}"), "finite"),
                Arguments.of("unknown integrator", GOOD.replace("method: rk4", "method: rk5"), "rk5"),
                Arguments.of("unknown activation", GOOD.replace("activation: tanh", "activation: tanhh"), "tanhh"),
                Arguments.of("weights of the wrong shape", GOOD.replace("activation: tanh",
                        "activation: tanh\n    weights: [[1, 2], [3, 4]]"), "3 x 2"),
                Arguments.of("clamp of the wrong size", GOOD.replace("clamp: {rule: uniform, low: -1, high: 1}",
                        "clamp: [1, 2]"), "layers[0].clamp"),
                Arguments.of("fixed step missing", GOOD.replace("{method: rk4, step: 0.1}", "{method: euler}"),
                        "integrator.step"),
                Arguments.of("not YAML", "layers: [\n  - dim: 3\n", "YAML"),
                Arguments.of("no layers", "seed: 1\n", "layers"),
                Arguments.of("missing data file", GOOD.replace("clamp: {rule: uniform, low: -1, high: 1}",
                        "clamp: {file: nowhere.csv}"), "does not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneClearMessageAndWritesNothing(String what, String yaml, String expected)
            throws IOException {
        if (expected == null) {
            yaml = GOOD.replace("dim: 2", "dim: 0");
            expected = "layers[1].dim";
        }
        Files.writeString(dir.resolve("nan.csv"), "0.1,NaN,0.3\n");
        Path cfg = write("bad.yaml", yaml);
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "earlier results");
        Run r = fena("settle", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(2, r.status(), what + ": " + r.err());
        assertTrue(r.err().startsWith("fena: error: "), r.err());
        assertTrue(r.err().contains(cfg.toString()), "message names the file: " + r.err());
        assertTrue(r.err().contains(expected), "message names '" + expected + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(out.resolve("keep.txt")), files.toList(), "nothing written into DIR");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary dir left");
        }
    }

    @Test
    void unreadableConfigAndBadFlagsExitTwo() {
        Run r = fena("settle", "--config", dir.resolve("missing.yaml").toString(), "--out", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no such file"), r.err());
        Run u = fena("settle", "--confg", "x");
        assertEquals(2, u.status());
        assertFalse(u.err().contains("\tat "));
        Run s = fena("frobnicate");
        assertEquals(2, s.status());
    }

    @Test
    void divergingRunExitsThreeAndSaysWhere() throws IOException {
        Path cfg = write("div.yaml", GOOD.replace("{method: rk4, step: 0.1}", "{method: euler, step: 50}")
                .replace("activation: tanh", "activation: identity").replace("tau: 2.0", "tau: 0.1")
                .replace("t_max: 200", "t_max: 1.0e9"));
        Path out = dir.resolve("div");
        Run r = fena("settle", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(3, r.status(), r.err() + r.out());
        assertTrue(r.err().contains("step"), r.err());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(s.get("diverged").asBoolean());
    }
}
