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
import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.langevin.LangevinResult;
import org.fena.dynamics.learning.AnnealedGeneration;
import org.fena.dynamics.learning.Auroc;
import org.fena.dynamics.learning.BackpropMlp;
import org.fena.dynamics.learning.EpochReport;
import org.fena.dynamics.learning.Evaluation;
import org.fena.dynamics.learning.ModelFile;
import org.fena.dynamics.learning.PcTrainer;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.plots.DigitGridFigure;

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
                "(and generated.png when generation applies; generated-samples.png/.svg",
                "when generate.noise asks for annealed sampling). Exit status: 0 ok, 2 bad input."})
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
            Map<String, Object> sampling = null;
            if (cfg.generate) {
                double[] causes = causes(h, s, split.test());
                generated = causes != null;
                if (generated) {
                    int n = causes.length / h.dim(h.top());
                    LearningFigures.digitGrid(PcTrainer.generate(h, s, causes, n), n, 28, 10, 3,
                            run.file("generated.png"));
                    if (cfg.generateNoise != null) {
                        sampling = sample(h, cfg, causes, n, run.file("generated-samples"));
                    }
                }
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
            if (sampling != null) {
                sum.put("generated_samples", sampling);
            }
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
     * The causes generation starts from, when it applies (images at the bottom, 28 x 28): with labels
     * at the top, one one-hot cause per class; with a free top above data at the bottom, the top
     * states that 40 held-out digits settle to (so the grid shows what the model's causes generate).
     * Null when generation does not apply.
     */
    private static double[] causes(Hierarchy h, TrainingSettings s, LabelledData test) {
        int top = h.top();
        if (s.dataLayer() != 0 || h.dim(0) != 784) {
            return null;
        }
        int d = h.dim(top);
        if (s.labelLayer() == top) {
            double[] causes = new double[d * d];
            for (int i = 0; i < d; i++) {
                causes[i * d + i] = 1.0;
            }
            return causes;
        }
        int n = Math.min(40, test.size());
        LabelledData probe = test.head(n);
        org.fena.dynamics.learning.BatchSettler bs = new org.fena.dynamics.learning.BatchSettler(h, n,
                mask(h.layers(), 0), s.integrator(), s.evalStop());
        bs.clamp(0, probe.inputs(), 0);
        double[] y = bs.newState();
        bs.initialise(y, s.init() == org.fena.dynamics.learning.InitMode.AMORTISED
                ? org.fena.dynamics.learning.InitMode.TOP_DOWN : s.init(), null);
        bs.settle(y);
        double[] causes = new double[n * d];
        bs.workspace().layerState(y, top, causes);
        return causes;
    }

    /**
     * Annealed generation ({@code generate.noise}): at most 10 causes (rows), each sampled
     * {@code generate.samples} times under {@code T(t)} (columns), beside the same settle at T = 0
     * when {@code noise.compare} holds, each shown as the sampled bottom state or as the bottom
     * prediction of the sampled layer 1 ({@code generate.show}); writes {@code base.png} and {@code base.svg} and returns what
     * the summary records.
     */
    private static Map<String, Object> sample(Hierarchy h, TrainConfig cfg, double[] causes, int n, Path base)
            throws IOException {
        NoiseSettings ns = cfg.generateNoise;
        int rows = Math.min(10, n);
        int d = h.dim(h.top());
        double[] rowCauses = java.util.Arrays.copyOf(causes, rows * d);
        int k = cfg.generateSamples;
        AnnealedGeneration gen = new AnnealedGeneration(ns.schedule(), ns.integrator(), ns.tEnd(), ns.seed(), k,
                ns.threads(), ns.samplesPerChunk());
        LangevinResult drawn = gen.run(h, rowCauses, rows);
        LangevinResult cold = ns.compare() ? gen.with(NoiseSchedule.noiseFree(), 1).run(h, rowCauses, rows) : null;
        int cols = k + (cold == null ? 0 : 1);
        int px = h.dim(0);
        double[] shown = cfg.generateShowsPrediction
                ? AnnealedGeneration.bottomPrediction(h, drawn.finalState(1), rows * k) : drawn.finalState(0);
        double[] shownCold = cold == null ? null : cfg.generateShowsPrediction
                ? AnnealedGeneration.bottomPrediction(h, cold.finalState(1), rows) : cold.finalState(0);
        double[] grid = new double[rows * cols * px];
        String[] rowLabels = new String[rows];
        for (int r = 0; r < rows; r++) {
            rowLabels[r] = cfg.settings.labelLayer() == h.top() ? "class " + r : "cause " + r;
            int c0 = 0;
            if (cold != null) {
                System.arraycopy(shownCold, r * px, grid, (r * cols) * px, px);
                c0 = 1;
            }
            System.arraycopy(shown, r * k * px, grid, (r * cols + c0) * px, k * px);
        }
        String[] colLabels = new String[cols];
        for (int c = 0; c < cols; c++) {
            colLabels[c] = cold != null && c == 0 ? "T = 0" : "draw " + (c + (cold == null ? 1 : 0));
        }
        DigitGridFigure.render(grid, 28, rowLabels, colLabels, "Annealed generation ("
                + (cfg.generateShowsPrediction ? "mu_0 of sampled x_1" : "sampled x_0") + "): "
                + ns.schedule().label() + ", seed " + ns.seed(), 2, base);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("figure", base.getFileName() + ".png");
        m.put("schedule", ns.schedule().label());
        m.put("integrator", ns.integrator().name());
        m.put("step", ns.integrator().step());
        m.put("t_end", ns.tEnd());
        m.put("seed", ns.seed());
        m.put("causes", rows);
        m.put("samples_per_cause", k);
        m.put("shown", cfg.generateShowsPrediction ? "prediction" : "state");
        m.put("energy_per_sample", drawn.energyFinal() / drawn.batch());
        m.put("energy_per_sample_t0", cold == null ? null : cold.energyFinal() / cold.batch());
        m.put("diverged", drawn.diverged());
        return m;
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
        Map<String, Object> m = RunInfo.manifest("train");
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
