package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fena anneal}: what a run writes, and one-line errors naming file and key for bad noise sections. */
class AnnealCommandTest {

    @TempDir
    Path dir;

    private static final String HIERARCHY = String.join("\n",
            "seed: 4", "batch: 3", "layers:", "  - {dim: 4, activation: tanh, clamp: {rule: uniform, low: -1, high: 1}}",
            "  - {dim: 3, tau: 2.0}", "prior: {mean: 0.0, precision: 1.0}", "initial_state: random",
            "stop: {t_max: 5}", "");

    private int run(String noise, Path out, StringWriter err) throws Exception {
        Path cfg = dir.resolve("exp.yaml");
        Files.writeString(cfg, HIERARCHY + noise);
        return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "anneal", "--config",
                cfg.toString(), "--out", out.toString());
    }

    @Test
    void writesSummaryTraceWithTemperatureFiguresAndManifest() throws Exception {
        Path out = dir.resolve("run");
        StringWriter err = new StringWriter();
        int rc = run("noise: {schedule: {kind: linear, t0: 0.4, duration: 4}, integrator: em, step: 0.05, seed: 3}\n",
                out, err);
        assertEquals(Main.OK, rc, err.toString());
        for (String f : List.of("summary.json", "trace.csv", "final_state.csv", "manifest.json", "config.yaml",
                "anneal_energy.png", "anneal_energy.svg", "schedule.png", "schedule.svg")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        List<String> trace = Files.readAllLines(out.resolve("trace.csv"));
        assertTrue(trace.get(0).startsWith("t,temperature,energy,grad_norm,energy_l0"), trace.get(0));
        assertTrue(trace.get(1).startsWith("0.0,0.4,"), trace.get(1));
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("euler-maruyama", s.get("integrator").asText());
        assertEquals(100, s.get("steps").asLong());
        assertEquals(3, s.get("energy_final_per_sample").size());
        assertTrue(s.has("noise_free_energy_final"));
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(3, m.get("noise_seed").asLong());
        assertEquals("anneal", m.get("command").asText());
    }

    @Test
    void aBadScheduleParameterIsOneLineNamingFileAndKey() throws Exception {
        StringWriter err = new StringWriter();
        int rc = run("noise: {schedule: {kind: exponential, t0: 1.0, rate: -2}, step: 0.01}\n", dir.resolve("bad"), err);
        assertEquals(Main.BAD_INPUT, rc);
        String msg = err.toString().strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("exp.yaml") && msg.contains("noise.schedule") && msg.contains("rate"), msg);
        assertFalse(Files.exists(dir.resolve("bad")));
    }

    @Test
    void unknownKindsIntegratorsAndMissingSectionsAreRefused() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(Main.BAD_INPUT, run("noise: {schedule: {kind: boltzmann}, step: 0.01}\n", dir.resolve("a"), err));
        assertTrue(err.toString().contains("unknown schedule kind 'boltzmann'"), err.toString());
        err = new StringWriter();
        assertEquals(Main.BAD_INPUT, run("noise: {schedule: {kind: constant, T: 0.1}, integrator: milstein, step: 0.01}\n",
                dir.resolve("b"), err));
        assertTrue(err.toString().contains("noise.integrator"), err.toString());
        err = new StringWriter();
        assertEquals(Main.BAD_INPUT, run("", dir.resolve("c"), err));
        assertTrue(err.toString().contains("noise:"), err.toString());
    }
}
