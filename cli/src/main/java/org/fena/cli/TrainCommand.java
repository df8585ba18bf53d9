package org.fena.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.Auroc;
import org.fena.dynamics.learning.BackpropMlp;
import org.fena.dynamics.learning.EpochReport;
import org.fena.dynamics.learning.Evaluation;
import org.fena.dynamics.learning.ModelFile;
import org.fena.dynamics.learning.PcTrainer;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena train}: trains a hierarchy by local Hebbian learning on a seeded split of an IDX data
 * set, evaluates it on the held-out part with only the data clamped, and writes the model, the
 * per-epoch diagnostics and a summary (with the same-shape backprop reference when it applies).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a hierarchy with local learning rules; write model, per-epoch diagnostics and summary.",
        footer = {"", "Example:", "  ./fena train --config examples/mnist-pc.yaml --out runs/mnist-pc", "",
                "Writes DIR/model.fena, epochs.csv, summary.json, manifest.json, config.yaml",
                "(and generated.png when generation applies). Exit status: 0 ok, 2 bad input."})
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML training file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    /** Told the test accuracy (NaN when unsupervised) after every epoch: how {@code fena demo} drives its progress bar. */
    java.util.function.DoubleConsumer onEpoch = acc -> { };

    @Override
    public Integer call() throws IOException {
        TrainConfig cfg = TrainConfig.load(config);
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        LabelledData all = TrainConfig.readData(cfg.images, cfg.labels);
        LabelledData.Split split;
        try {
            split = all.split(cfg.trainSize, cfg.testSize, cfg.splitSeed);
        } catch (IllegalArgumentException e) {
            throw new UserError(config + ": data: " + e.getMessage(), e);
        }
        LabelledData ood = cfg.oodImages == null ? null
                : TrainConfig.readData(cfg.oodImages, cfg.oodLabels).head(cfg.oodCount);
        Hierarchy h = cfg.hierarchy;
        TrainingSettings s = cfg.settings;
        if (h.dim(s.dataLayer()) != all.dim()) {
            throw new UserError(config + ": layers[" + s.dataLayer() + "].dim: the data layer has " + h.dim(s.dataLayer())
                    + " units, but " + cfg.images + " holds " + all.dim() + " values per sample");
        }
        if (s.supervised() && h.dim(s.labelLayer()) != all.classes()) {
            throw new UserError(config + ": layers[" + s.labelLayer() + "].dim: the label layer has "
                    + h.dim(s.labelLayer()) + " units, but the data have " + all.classes() + " classes");
        }
        try (RunDirectory run = RunDirectory.open(out)) {
            PcTrainer trainer = new PcTrainer(h, s);
            BackpropMlp bp = cfg.backprop ? new BackpropMlp(h, s) : null;
            Evaluation untrained = trainer.evaluate(split.test());
            Evaluation untrainedOod = ood == null ? null : trainer.evaluate(ood);
            List<String> warnings = new ArrayList<>();
            Evaluation last = untrained;
            double bpAcc = Double.NaN;
            double pcTrainSeconds = 0;
            double bpSeconds = 0;
            try (BufferedWriter csv = Files.newBufferedWriter(run.file("epochs.csv"), StandardCharsets.UTF_8)) {
                StringBuilder head = new StringBuilder("epoch,energy_per_sample");
                for (int l = 0; l < h.layers(); l++) {
                    head.append(",energy_l").append(l);
                }
                head.append(",imbalance,rhs_per_batch,time_per_batch,batches,unconverged_steps,diverged_batches,"
                        + "train_seconds,test_accuracy,backprop_accuracy,test_energy_per_sample");
                for (int l = 0; l < h.layers(); l++) {
                    head.append(",test_energy_l").append(l);
                }
                csv.write(head.append(",test_rhs_per_batch\n").toString());
                int perEpoch = split.train().size() / s.batch();
                try (Progress bar = Progress.start("train", (long) s.epochs() * perEpoch, "batch")) {
                    for (int e = 0; e < s.epochs(); e++) {
                        EpochReport r = trainer.trainEpoch(split.train(), b -> bar.step());
                        pcTrainSeconds += r.wallSeconds();
                        if (r.warning() != null) {
                            warnings.add(r.warning());
                            stderr.println("fena: warning: " + r.warning());
                        }
                        if (bp != null) {
                            long b0 = System.nanoTime();
                            bp.trainEpoch(split.train());
                            bpSeconds += (System.nanoTime() - b0) * 1e-9;
                            bpAcc = bp.accuracy(split.test());
                        }
                        last = trainer.evaluate(split.test());
                        double acc = s.supervised() ? last.accuracy(split.test().labels()) : Double.NaN;
                        csv.write(row(r, acc, bpAcc, last));
                        csv.flush();
                        onEpoch.accept(acc);
                        bar.extra(String.format(Locale.ROOT, "epoch %d, %s", r.epoch(), s.supervised()
                                ? String.format(Locale.ROOT, "accuracy %.3f", acc)
                                : String.format(Locale.ROOT, "energy %.3g", last.meanEnergy())));
                        stdout.printf(Locale.ROOT, "epoch %d: energy %.4g/sample (largest layer holds %.2f of it), %.1f rhs/batch, "
                                + "%s%s, %.1f s%n", r.epoch(), r.energyPerSample(), r.imbalance(), r.rhsPerBatch(),
                                s.supervised() ? String.format(Locale.ROOT, "test accuracy %.4f", acc)
                                        : String.format(Locale.ROOT, "test energy %.4g/sample", last.meanEnergy()),
                                bp == null ? "" : String.format(Locale.ROOT, " (backprop %.4f)", bpAcc), r.wallSeconds());
                        stdout.flush();
                    }
                }
            }
            Evaluation trainedOod = ood == null ? null : trainer.evaluate(ood);
            ModelFile.save(run.file("model.fena"), new ModelFile.Model(h, s, trainer.amortisedGuess()));
            boolean generated = false;
            if (cfg.generate) {
                generated = generate(h, s, split.test(), run.file("generated.png"));
            }
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("name", cfg.name);
            sum.put("train_samples", split.train().size());
            sum.put("test_samples", split.test().size());
            sum.put("epochs", s.epochs());
            sum.put("regime", s.regime().name().toLowerCase(Locale.ROOT));
            if (s.supervised()) {
                sum.put("test_accuracy", last.accuracy(split.test().labels()));
                sum.put("untrained_test_accuracy", untrained.accuracy(split.test().labels()));
            }
            if (bp != null) {
                sum.put("backprop_test_accuracy", bpAcc);
                sum.put("backprop_train_seconds", bpSeconds);
            }
            sum.put("pc_train_seconds", pcTrainSeconds);
            sum.put("test_energy_per_layer_untrained", SettleCommand.nums(untrained.energyPerLayer()));
            sum.put("test_energy_per_layer_trained", SettleCommand.nums(last.energyPerLayer()));
            double[] ratio = new double[h.layers()];
            for (int l = 0; l < ratio.length; l++) {
                ratio[l] = untrained.energyPerLayer()[l] / last.energyPerLayer()[l];
            }
            sum.put("test_energy_fall_per_layer", SettleCommand.nums(ratio));
            sum.put("test_rhs_per_batch_untrained", untrained.rhsPerBatch());
            sum.put("test_rhs_per_batch_trained", last.rhsPerBatch());
            sum.put("test_converged_fraction_untrained", untrained.convergedFraction());
            sum.put("test_converged_fraction_trained", last.convergedFraction());
            if (ood != null) {
                sum.put("ood_samples", ood.size());
                sum.put("ood_auroc_energy_untrained", Auroc.of(untrained.energies(), untrainedOod.energies()));
                sum.put("ood_auroc_energy", Auroc.of(last.energies(), trainedOod.energies()));
            }
            sum.put("generated_figure", generated ? "generated.png" : null);
            sum.put("warnings", warnings);
            sum.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), sum);
            json.writeValue(run.file("manifest.json").toFile(), manifest(cfg, started, t0));
            Files.write(run.file("config.yaml"), cfg.bytes);
            run.commit();
            stdout.printf(Locale.ROOT, "%s: %s%s%s, %.1f s%n", cfg.name,
                    s.supervised() ? String.format(Locale.ROOT, "test accuracy %.4f",
                            last.accuracy(split.test().labels())) : String.format(Locale.ROOT,
                            "test energy %.4g/sample", last.meanEnergy()),
                    bp == null ? "" : String.format(Locale.ROOT, ", backprop %.4f", bpAcc),
                    ood == null ? "" : String.format(Locale.ROOT, ", OOD AUROC %.4f", sum.get("ood_auroc_energy")),
                    (System.nanoTime() - t0) * 1e-9);
            stdout.println("wrote " + run.target());
            stdout.flush();
            return Main.OK;
        }
    }

    /**
     * Generation, when it applies: with labels at the top, one digit per class from its clamped
     * one-hot cause; with a free top above data at the bottom, causes drawn from the top states that
     * held-out digits settle to (so the grid shows what the model's causes generate).
     */
    private static boolean generate(Hierarchy h, TrainingSettings s, LabelledData test, Path png) throws IOException {
        int top = h.top();
        if (s.dataLayer() != 0 || h.dim(0) != 784) {
            return false;
        }
        int d = h.dim(top);
        int n;
        double[] causes;
        if (s.labelLayer() == top) {
            n = d;
            causes = new double[n * d];
            for (int i = 0; i < n; i++) {
                causes[i * d + i % d] = 1.0;
            }
        } else {
            n = 40;
            LabelledData probe = test.head(n);
            // settle held-out digits and take their top states as causes
            org.fena.dynamics.learning.BatchSettler bs = new org.fena.dynamics.learning.BatchSettler(h, n,
                    mask(h.layers(), 0), s.integrator(), s.evalStop());
            bs.clamp(0, probe.inputs(), 0);
            double[] y = bs.newState();
            bs.initialise(y, s.init() == org.fena.dynamics.learning.InitMode.AMORTISED
                    ? org.fena.dynamics.learning.InitMode.TOP_DOWN : s.init(), null);
            bs.settle(y);
            causes = new double[n * d];
            bs.workspace().layerState(y, top, causes);
        }
        double[] digits = PcTrainer.generate(h, s, causes, n);
        LearningFigures.digitGrid(digits, n, 28, 10, 3, png);
        return true;
    }

    private static boolean[] mask(int n, int l) {
        boolean[] m = new boolean[n];
        m[l] = true;
        return m;
    }

    private static String row(EpochReport r, double acc, double bpAcc, Evaluation test) {
        StringBuilder b = new StringBuilder();
        b.append(r.epoch()).append(',').append(r.energyPerSample());
        for (double v : r.energyPerLayer()) {
            b.append(',').append(v);
        }
        b.append(',').append(r.imbalance()).append(',').append(r.rhsPerBatch()).append(',').append(r.timePerBatch())
                .append(',').append(r.batches()).append(',').append(r.unconvergedSteps()).append(',')
                .append(r.divergedBatches()).append(',').append(r.wallSeconds()).append(',')
                .append(Double.isNaN(acc) ? "" : acc).append(',').append(Double.isNaN(bpAcc) ? "" : bpAcc).append(',')
                .append(test.meanEnergy());
        for (double v : test.energyPerLayer()) {
            b.append(',').append(v);
        }
        return b.append(',').append(test.rhsPerBatch()).append('\n').toString();
    }

    private static Map<String, Object> manifest(TrainConfig cfg, String started, long t0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fena_version", RunInfo.version());
        m.put("command", "train");
        m.put("java_version", RunInfo.java());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("blas_backend", RunInfo.blas());
        m.put("seed", cfg.seed);
        m.put("config_file", cfg.file.toString());
        m.put("config_sha256", RunInfo.sha256(cfg.bytes));
        List<Map<String, String>> inputs = new ArrayList<>();
        for (Path p : cfg.oodImages == null ? List.of(cfg.images, cfg.labels)
                : List.of(cfg.images, cfg.labels, cfg.oodImages, cfg.oodLabels)) {
            inputs.add(EvalCommand.input(p));
        }
        m.put("inputs", inputs);
        m.put("model_format_version", ModelFile.VERSION);
        m.put("started_at", started);
        m.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
        return m;
    }
}
