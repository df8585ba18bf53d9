package org.fena.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fena.dynamics.data.Idx;
import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.Evaluation;
import org.fena.dynamics.learning.ModelFile;
import org.fena.dynamics.learning.PcTrainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena eval}: loads a trained model and settles it on IDX images with only the data layer
 * clamped; the labels, when given, are used only afterwards to score the predictions.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on IDX data (only the data clamped); write predictions and summary.",
        footer = {"", "Example:", "  ./fena eval --model runs/mnist-pc/model.fena --data data/mnist-10k-images-idx3-ubyte.gz \\",
                "      --labels data/mnist-10k-labels-idx1-ubyte.gz --out runs/mnist-eval", "",
                "Writes DIR/predictions.csv (index,prediction,energy), summary.json and manifest.json."})
final class EvalCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model written by fena train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "IMAGES", description = "IDX image file (.gz or raw).")
    Path data;

    @Option(names = "--labels", paramLabel = "LABELS", description = "IDX label file, to score the predictions.")
    Path labels;

    @Option(names = "--count", paramLabel = "N", description = "Evaluate only the first N samples.")
    Integer count;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        ModelFile.Model m;
        try {
            m = ModelFile.load(model);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        Idx.UByteArray im;
        try {
            im = Idx.readImages(data);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        int n = count == null ? im.count() : Math.min(count, im.count());
        if (n < 1) {
            throw new UserError("--count: expected a whole number >= 1, got " + count);
        }
        int dim = im.itemSize();
        try {
            ModelFile.requireShape(model, m, dim, 0);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + " (" + data + ")", e);
        }
        double[] x = new double[n * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = im.values()[i] / 255.0;
        }
        int[] truth = null;
        if (labels != null) {
            LabelledData ld = TrainConfig.readData(data, labels);
            truth = java.util.Arrays.copyOf(ld.labels(), n);
        }
        // the labels are not passed in: inference sees the images only
        Evaluation ev = PcTrainer.evaluate(m.hierarchy(), m.settings(), m.guess(), x, n, dim);
        try (RunDirectory run = RunDirectory.open(out)) {
            try (BufferedWriter w = Files.newBufferedWriter(run.file("predictions.csv"), StandardCharsets.UTF_8)) {
                w.write("index,prediction,energy\n");
                for (int i = 0; i < n; i++) {
                    w.write(i + "," + (ev.predictions() == null ? "" : ev.predictions()[i]) + "," + ev.energies()[i]
                            + "\n");
                }
            }
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("samples", n);
            if (truth != null && ev.predictions() != null) {
                sum.put("accuracy", ev.accuracy(truth));
            }
            sum.put("energy_per_sample", ev.meanEnergy());
            sum.put("energy_per_layer", SettleCommand.nums(ev.energyPerLayer()));
            sum.put("rhs_per_batch", ev.rhsPerBatch());
            sum.put("converged_fraction", ev.convergedFraction());
            sum.put("wall_seconds", ev.wallSeconds());
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), sum);
            Map<String, Object> man = RunInfo.manifest("eval");
            man.put("model_format_version", ModelFile.VERSION);
            man.put("inputs", labels == null ? List.of(input(model), input(data))
                    : List.of(input(model), input(data), input(labels)));
            man.put("started_at", started);
            man.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
            json.writeValue(run.file("manifest.json").toFile(), man);
            run.commit();
            spec.commandLine().getOut().printf(Locale.ROOT, "%d samples: %senergy %.4g/sample, %.1f rhs/batch%n", n,
                    sum.containsKey("accuracy") ? String.format(Locale.ROOT, "accuracy %.4f, ", sum.get("accuracy")) : "",
                    ev.meanEnergy(), ev.rhsPerBatch());
            spec.commandLine().getOut().println("wrote " + run.target());
            spec.commandLine().getOut().flush();
        }
        return Main.OK;
    }

    /** {@code {path, sha256}} of an input file, for manifests. */
    static Map<String, String> input(Path p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("path", p.toString());
        try {
            m.put("sha256", RunInfo.sha256(Files.readAllBytes(p)));
        } catch (IOException e) {
            m.put("sha256", "unreadable: " + e.getMessage());
        }
        return m;
    }
}
