package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SleepCommandsTest {

    @TempDir
    Path dir;

    static final Path DATA = Path.of("..", "data").toAbsolutePath().normalize();
    static final String IMAGES = DATA.resolve("mnist-10k-images-idx3-ubyte.gz").toString();
    static final String LABELS = DATA.resolve("mnist-10k-labels-idx1-ubyte.gz").toString();

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

    private Path trainFile() throws IOException {
        return write("tiny.yaml", String.join("\n", "name: tiny", "seed: 4", "data:", "  images: " + IMAGES,
                "  labels: " + LABELS, "  train: 800", "  test: 300", "layers:",
                "  - {dim: 10, activation: identity, precision: 0.1}", "  - {dim: 32, activation: tanh}",
                "  - {dim: 784}", "data_layer: top", "label_layer: bottom",
                "training: {epochs: 2, batch: 32, update: adam, rate: 3.0e-3, initial_state: top_down}",
                "settle: {method: euler, step: 0.2, stop: {grad_tol: 1.0e-6, grad_rtol: 1.0e-2, max_steps: 40}}", ""));
    }

    private String sleepFile(String strategies, String extra) {
        return String.join("\n", "seed: 3", "episodes: {images: " + IMAGES + ", labels: " + LABELS + ", count: 400}",
                "test: {images: " + IMAGES + ", labels: " + LABELS + ", count: 200}", "buffer: {capacity: 100}",
                "sleep:", "  duration: 20", "  batch: 16", "  strategies: " + strategies,
                "  dream: {schedule: {kind: linear, t0: 0.05, duration: 2}, step: 0.2, t_end: 2}", extra, "");
    }

    @Test
    void sleepWritesTheSleptModelItsEnergyAndDreamsAndAnEmptySleepKeepsTheModel() throws IOException {
        Path trained = dir.resolve("trained");
        Run t = fena("train", "--config", trainFile().toString(), "--out", trained.toString());
        assertEquals(0, t.status(), t.err());
        Path model = trained.resolve("model.fena");

        Path out = dir.resolve("slept");
        Run r = fena("sleep", "--model", model.toString(), "--config",
                write("s.yaml", sleepFile("[replay, dream, downscale]", "")).toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of("model.fena", "sleep_energy.csv", "sleep_energy.png", "sleep_energy.svg",
                "dreams.png", "summary.json", "manifest.json", "config.yaml")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        // 20 cycles, one replayed and one dreamed batch each
        assertEquals(41, Files.readAllLines(out.resolve("sleep_energy.csv")).size());
        JsonNode sum = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(sum.get("test_accuracy_after").asDouble() > 0.5, sum.toString());
        assertEquals("sleep", new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).get("command").asText());

        Path none = dir.resolve("none");
        Run n = fena("sleep", "--model", model.toString(), "--config",
                write("n.yaml", sleepFile("[]", "")).toString(), "--out", none.toString());
        assertEquals(0, n.status(), n.err());
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(none.resolve("model.fena")));
    }

    @Test
    void continualRunsEveryArmAndReplayRemembersTheFirstTask() throws IOException {
        Path train = trainFile();
        Path cfg = write("c.yaml", String.join("\n", "training: " + train, "epochs_per_task: 2", "seeds: [1]",
                "buffer: {capacity: 100}", "sleep: {duration: 60, batch: 16, rate: 1.0e-3}", "arms:",
                "  - {name: none}", "  - {name: replay, strategies: [replay]}", "  - {name: joint, joint: true}", ""));
        Path out = dir.resolve("cont");
        Run r = fena("continual", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of("runs.csv", "summary.json", "sleep_energy.csv", "continual_accuracy.png",
                "sleep_energy.png", "manifest.json", "config.yaml")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        JsonNode arms = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("arms");
        double none = arms.get("none").get("task1_mean").asDouble();
        double replay = arms.get("replay").get("task1_mean").asDouble();
        assertTrue(none < 0.2, "sequential training forgets task 1: " + none);
        assertTrue(replay > none + 0.3, "replay keeps task 1: " + replay + " vs " + none);
        assertTrue(arms.get("joint").get("all_mean").asDouble() > 0.6);
    }

    @Test
    void interleavedDreamsAndDistillationRunAndTheSameSeedsWriteTheSameRunsCsv() throws IOException {
        Path train = trainFile();
        Path cfg = write("i.yaml", String.join("\n", "training: " + train, "epochs_per_task: 1", "seeds: [2]",
                "buffer: {capacity: 100}", "sleep:", "  duration: 20", "  batch: 16",
                "  dream: {schedule: {kind: linear, t0: 0.05, duration: 2}, step: 0.2, t_end: 2}",
                "  transfer: {alpha: 0.5}", "arms:", "  - {name: none}",
                "  - {name: dream (interleaved), interleave: 1}", "  - {name: plain, interleave: 0}",
                "  - {name: replay+distill, strategies: [replay, transfer], interleave: 0.5,",
                "     sleep: {transfer: {mode: distill, decay: 1.0}}}", "  - {name: transfer, strategies: [transfer]}",
                ""));
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Run ra = fena("continual", "--config", cfg.toString(), "--out", a.toString());
        assertEquals(0, ra.status(), ra.err());
        Run rb = fena("continual", "--config", cfg.toString(), "--out", b.toString());
        assertEquals(0, rb.status(), rb.err());
        assertArrayEquals(Files.readAllBytes(a.resolve("runs.csv")), Files.readAllBytes(b.resolve("runs.csv")));
        assertArrayEquals(Files.readAllBytes(a.resolve("sleep_energy.csv")),
                Files.readAllBytes(b.resolve("sleep_energy.csv")));
        List<String> rows = Files.readAllLines(a.resolve("runs.csv"));
        // an interleaving ratio of 0 is plain sequential training: the same accuracies as no sleep
        String none = rows.stream().filter(l -> l.startsWith("none,2,after task 2")).findFirst().orElseThrow();
        String plain = rows.stream().filter(l -> l.startsWith("plain,2,after task 2")).findFirst().orElseThrow();
        assertEquals(none.substring("none".length()), plain.substring("plain".length()));
        String dreamt = rows.stream().filter(l -> l.startsWith("dream (interleaved),2,after task 2")).findFirst()
                .orElseThrow();
        assertTrue(!dreamt.substring(dreamt.indexOf(",2,")).equals(none.substring(none.indexOf(",2,"))),
                "interleaved dreams must change the result: " + dreamt + " vs " + none);
        // distillation (the arm's own sleep) records its loss beside the replayed batches' energy; the
        // shared interpolating transfer records nothing
        List<String> energy = Files.readAllLines(a.resolve("sleep_energy.csv"));
        assertTrue(energy.stream().anyMatch(l -> l.startsWith("replay+distill,") && l.contains(",transfer,")));
        assertTrue(energy.stream().noneMatch(l -> l.startsWith("transfer,")));
    }

    @Test
    void misplacedTransferAndInterleavingKeysAreRefusedWithOneLine() throws IOException {
        Path c = write("t.yaml", String.join("\n", "training: " + trainFile(),
                "sleep: {transfer: {mode: interpolate, rate: 1.0e-3}}", "arms: [{name: none}]", ""));
        Run rc = fena("continual", "--config", c.toString(), "--out", dir.resolve("t").toString());
        assertEquals(2, rc.status());
        assertTrue(rc.err().contains("t.yaml") && rc.err().contains("sleep.transfer.rate"), rc.err());
        assertEquals(1, rc.err().strip().lines().count(), rc.err());

        Path j = write("j.yaml", String.join("\n", "training: " + trainFile(),
                "arms: [{name: joint, joint: true, interleave: 1}]", ""));
        Run rj = fena("continual", "--config", j.toString(), "--out", dir.resolve("j").toString());
        assertEquals(2, rj.status());
        assertTrue(rj.err().contains("j.yaml") && rj.err().contains("arms[0].interleave"), rj.err());
        assertEquals(1, rj.err().strip().lines().count(), rj.err());

        Path o = write("o.yaml", String.join("\n", "training: " + trainFile(),
                "arms: [{name: a, strategies: [transfer], sleep: {transfer: {mode: distill, alpah: 1}}}]", ""));
        Run ro = fena("continual", "--config", o.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, ro.status());
        assertTrue(ro.err().contains("o.yaml") && ro.err().contains("arms[0].sleep.transfer")
                && ro.err().contains("alpah"), ro.err());
        assertEquals(1, ro.err().strip().lines().count(), ro.err());

        Path m = write("m.yaml", String.join("\n", "training: " + trainFile(), "sleep: {transfer: {mode: copy}}",
                "arms: [{name: none}]", ""));
        Run rm = fena("continual", "--config", m.toString(), "--out", dir.resolve("m").toString());
        assertEquals(2, rm.status());
        assertTrue(rm.err().contains("m.yaml") && rm.err().contains("transfer"), rm.err());
        assertEquals(1, rm.err().strip().lines().count(), rm.err());
    }

    @Test
    void badSleepAndBenchmarkFilesAreRefusedWithOneLineNamingTheKey() throws IOException {
        Path model = dir.resolve("absent.fena");
        Path s = write("bad.yaml", sleepFile("[replay]", "  durration: 3"));
        Run r = fena("sleep", "--model", model.toString(), "--config", s.toString(), "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.yaml") && r.err().contains("unknown key 'durration'"), r.err());

        Path c = write("badc.yaml", String.join("\n", "training: " + trainFile(), "arms:",
                "  - {name: a, strategies: [replay, nap]}", ""));
        Run rc = fena("continual", "--config", c.toString(), "--out", dir.resolve("y").toString());
        assertEquals(2, rc.status());
        assertTrue(rc.err().contains("badc.yaml") && rc.err().contains("arms[0].strategies[1]")
                && rc.err().contains("nap"), rc.err());
        assertEquals(1, rc.err().strip().lines().count(), rc.err());

        Path d = write("badd.yaml", String.join("\n", "training: " + trainFile(), "sleep: {durration: 3}",
                "arms: [{name: none}]", ""));
        Run rd = fena("continual", "--config", d.toString(), "--out", dir.resolve("z").toString());
        assertEquals(2, rd.status());
        assertTrue(rd.err().contains("unknown key 'durration'"), rd.err());
    }
}
