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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    Path dir;

    static final Path DATA = Path.of("..", "data").toAbsolutePath().normalize();

    record Run(int status, String out, String err) {
    }

    private Run fena(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private String config(String extra) {
        return String.join("\n",
                "name: tiny",
                "seed: 4",
                "data:",
                "  images: " + DATA.resolve("mnist-10k-images-idx3-ubyte.gz"),
                "  labels: " + DATA.resolve("mnist-10k-labels-idx1-ubyte.gz"),
                "  train: 600",
                "  test: 200",
                "layers:",
                "  - {dim: 10, activation: identity}",
                "  - {dim: 24, activation: tanh}",
                "  - {dim: 784}",
                "data_layer: top",
                "label_layer: bottom",
                "training: {epochs: 2, batch: 32, update: adam, rate: 3.0e-3}",
                extra,
                "");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void trainWritesModelDiagnosticsAndSummaryAndEvalReadsTheModelBack() throws IOException {
        Path cfg = write("tiny.yaml", config(""));
        Path out = dir.resolve("run");
        Run r = fena("train", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of("model.fena", "epochs.csv", "summary.json", "manifest.json", "config.yaml")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        JsonNode sum = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        double acc = sum.get("test_accuracy").asDouble();
        assertTrue(acc > 0.5, "accuracy " + acc);
        assertTrue(sum.get("backprop_test_accuracy").asDouble() > 0.5);
        assertEquals(3, Files.readAllLines(out.resolve("epochs.csv")).size());
        JsonNode man = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("train", man.get("command").asText());

        Path ev = dir.resolve("eval");
        Run e = fena("eval", "--model", out.resolve("model.fena").toString(), "--data",
                DATA.resolve("mnist-10k-images-idx3-ubyte.gz").toString(), "--labels",
                DATA.resolve("mnist-10k-labels-idx1-ubyte.gz").toString(), "--count", "300", "--out", ev.toString());
        assertEquals(0, e.status(), e.err());
        JsonNode es = new ObjectMapper().readTree(ev.resolve("summary.json").toFile());
        assertEquals(300, es.get("samples").asInt());
        assertTrue(es.get("accuracy").asDouble() > 0.5);
        assertEquals(301, Files.readAllLines(ev.resolve("predictions.csv")).size());

        // without labels the same predictions come out: inference never reads them
        Path ev2 = dir.resolve("eval2");
        assertEquals(0, fena("eval", "--model", out.resolve("model.fena").toString(), "--data",
                DATA.resolve("mnist-10k-images-idx3-ubyte.gz").toString(), "--count", "300", "--out",
                ev2.toString()).status());
        assertEquals(Files.readAllLines(ev.resolve("predictions.csv")), Files.readAllLines(ev2.resolve("predictions.csv")));
    }

    @Test
    void unsupervisedTrainingReportsHeldOutEnergyOodAurocAndAGeneratedGrid() throws IOException {
        String text = config("").replace("  - {dim: 10, activation: identity}\n  - {dim: 24, activation: tanh}\n"
                + "  - {dim: 784}\ndata_layer: top\nlabel_layer: bottom",
                "  - {dim: 784, activation: logistic}\n  - {dim: 16, activation: tanh}\n  - {dim: 4}\n"
                + "data_layer: bottom\nlabel_layer: none\nsettle: {stop: {grad_rtol: 1.0e-2, max_steps: 30}}\n"
                + "ood: {images: " + DATA.resolve("fashion-10k-images-idx3-ubyte.gz") + ", labels: "
                + DATA.resolve("fashion-10k-labels-idx1-ubyte.gz") + ", count: 200}");
        Path cfg = write("gen.yaml", text);
        Path out = dir.resolve("gen");
        Run r = fena("train", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode sum = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(sum.get("test_energy_fall_per_layer").get(0).asDouble() > 2, sum.toString());
        assertTrue(sum.get("ood_auroc_energy").asDouble() > 0.5, sum.toString());
        assertTrue(Files.size(out.resolve("generated.png")) > 0);
    }

    private String generationConfig(String generate) {
        return config("").replace("  - {dim: 10, activation: identity}\n  - {dim: 24, activation: tanh}\n"
                + "  - {dim: 784}\ndata_layer: top\nlabel_layer: bottom",
                "  - {dim: 784, activation: logistic}\n  - {dim: 16, activation: tanh}\n  - {dim: 10}\n"
                + "data_layer: bottom\nlabel_layer: top\nbackprop: false\n"
                + "settle: {stop: {grad_rtol: 1.0e-2, max_steps: 30}}\n" + generate)
                .replace("epochs: 2", "epochs: 1");
    }

    @Test
    void annealedGenerationWritesASampleGridAsPngAndSvgReproduciblyFromItsSeed() throws IOException {
        String gen = "generate: {samples: 3, noise: {schedule: {kind: exponential, t0: 0.2, rate: 0.5}, "
                + "step: 0.2, t_end: 6, seed: 5}}";
        Path cfg = write("draw.yaml", generationConfig(gen));
        Path out = dir.resolve("draw");
        Run r = fena("train", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of("generated.png", "generated-samples.png", "generated-samples.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("generated-samples.svg")).contains("T = 0"));
        JsonNode sum = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode g = sum.get("generated_samples");
        assertEquals(10, g.get("causes").asInt(), sum.toString());
        assertEquals(3, g.get("samples_per_cause").asInt());
        assertEquals(5, g.get("seed").asLong());

        Path again = dir.resolve("draw2");
        assertEquals(0, fena("train", "--config", cfg.toString(), "--out", again.toString()).status());
        assertArrayEqualsBytes(out.resolve("generated-samples.png"), again.resolve("generated-samples.png"));
    }

    private static void assertArrayEqualsBytes(Path a, Path b) throws IOException {
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void aBadGenerateSectionNamesFileAndKey() throws IOException {
        Path typo = write("typo.yaml", generationConfig("generate: {samples: 3, nois: {}}"));
        Run r = fena("train", "--config", typo.toString(), "--out", dir.resolve("t").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("typo.yaml") && r.err().contains("nois"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path sched = write("sched.yaml", generationConfig(
                "generate: {samples: 3, noise: {schedule: {kind: warm}, step: 0.2, t_end: 5}}"));
        Run s = fena("train", "--config", sched.toString(), "--out", dir.resolve("s").toString());
        assertEquals(2, s.status());
        assertTrue(s.err().contains("sched.yaml") && s.err().contains("generate.noise.schedule"), s.err());

        Path word = write("word.yaml", generationConfig("generate: lots"));
        Run w = fena("train", "--config", word.toString(), "--out", dir.resolve("w").toString());
        assertEquals(2, w.status());
        assertTrue(w.err().contains("word.yaml") && w.err().contains("generate"), w.err());
    }

    @Test
    void shippedTrainingExamplesAreAccepted() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            List<Path> mnist = files.filter(p -> p.getFileName().toString().startsWith("mnist-")).sorted().toList();
            assertTrue(mnist.size() >= 4, mnist.toString());
            for (Path p : mnist) {
                TrainConfig c = TrainConfig.load(p);
                assertTrue(c.settings().epochs() > 0, p.toString());
            }
        }
        TrainConfig draw = TrainConfig.load(Path.of("..", "examples", "mnist-generation.yaml"));
        assertTrue(draw.generateNoise != null && draw.generateSamples == 8 && draw.generateShowsPrediction);
    }

    @Test
    void badConfigsAreOneLineUserErrorsNamingFileAndKey() throws IOException {
        Path cfg = write("bad.yaml", config("tranining: {}"));
        Run r = fena("train", "--config", cfg.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.yaml") && r.err().contains("tranining"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("x")));

        Path wrongDim = write("dim.yaml", config("").replace("{dim: 784}", "{dim: 100}"));
        Run d = fena("train", "--config", wrongDim.toString(), "--out", dir.resolve("y").toString());
        assertEquals(2, d.status());
        assertTrue(d.err().contains("layers[2].dim") && d.err().contains("784 values per sample"), d.err());
    }

    @Test
    void evalRefusesAModelOfAnotherShapeOrVersionClearly() throws IOException {
        Path cfg = write("tiny.yaml", config("").replace("epochs: 2", "epochs: 0"));
        Path out = dir.resolve("run");
        assertEquals(0, fena("train", "--config", cfg.toString(), "--out", out.toString()).status());
        Path idx = dir.resolve("small.idx");
        byte[] b = new byte[16 + 2 * 4];
        b[2] = 8;
        b[3] = 3;
        b[7] = 2;
        b[11] = 2;
        b[15] = 2;
        Files.write(idx, b);
        Run shape = fena("eval", "--model", out.resolve("model.fena").toString(), "--data", idx.toString(), "--out",
                dir.resolve("e").toString());
        assertEquals(2, shape.status());
        assertTrue(shape.err().contains("784 units") && shape.err().contains("4 values"), shape.err());

        byte[] model = Files.readAllBytes(out.resolve("model.fena"));
        model[12] = 9;
        Path v9 = dir.resolve("v9.fena");
        Files.write(v9, model);
        Run version = fena("eval", "--model", v9.toString(), "--data", idx.toString(), "--out",
                dir.resolve("f").toString());
        assertEquals(2, version.status());
        assertTrue(version.err().contains("version 9"), version.err());
    }
}
