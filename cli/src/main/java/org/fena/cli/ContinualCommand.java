package org.fena.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.fena.consolidation.ContinualBenchmark;
import org.fena.consolidation.SleepReport;
import org.fena.dynamics.data.LabelledData;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena continual}: the class-incremental benchmark with sleep (split-MNIST by default): tasks
 * learnt one after another, optional sleeps after each, every arm over every seed.
 */
@Command(name = "continual", mixinStandardHelpOptions = true,
        description = "Class-incremental learning with sleep: every arm over every seed; accuracies per task.",
        footer = {"", "Example:", "  ./fena continual --config examples/split-mnist.yaml --out runs/split-mnist", "",
                "Writes DIR/runs.csv, summary.json, sleep_energy.csv, continual_accuracy.png/.svg,",
                "sleep_energy.png/.svg, dreams.png, manifest.json and config.yaml."})
final class ContinualCommand implements Callable<Integer> {

    static final Set<String> KEYS = Set.of("name", "training", "epochs_per_task", "tasks", "seeds", "buffer", "sleep",
            "arms");
    static final Set<String> ARM_KEYS = Set.of("name", "strategies", "joint", "interleave", "sleep");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML benchmark file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        byte[] bytes = read(config);
        Spec f = load(config, bytes);
        ConfigNode root = f.root();
        String name = root.textOr("name", config.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Path trainFile = f.trainFile();
        TrainConfig tc = f.training();
        int epochs = f.epochs();
        int[][] tasks = f.tasks();
        long[] seeds = f.seeds();
        int capacity = f.capacity();
        List<ContinualBenchmark.Arm> arms = f.arms();
        LabelledData all = TrainConfig.readData(tc.images, tc.labels);
        if (tc.hierarchy.dim(tc.settings.dataLayer()) != all.dim()
                || tc.hierarchy.dim(tc.settings.labelLayer()) != all.classes()) {
            throw new UserError(trainFile + ": layers: the data and label layers must have " + all.dim() + " and "
                    + all.classes() + " units for " + tc.images);
        }
        for (int[] t : tasks) {
            for (int c : t) {
                if (c >= all.classes()) {
                    throw root.get("tasks").error("classes 0.." + (all.classes() - 1));
                }
            }
        }
        LabelledData.Split split;
        try {
            split = all.split(tc.trainSize, tc.testSize, tc.splitSeed);
        } catch (IllegalArgumentException e) {
            throw new UserError(trainFile + ": data: " + e.getMessage(), e);
        }
        ContinualBenchmark bench = new ContinualBenchmark(tc.hierarchy, tc.settings, split.train(), split.test(), tasks,
                epochs, capacity);
        try (RunDirectory run = RunDirectory.open(out)) {
            List<ContinualBenchmark.Run> runs = bench.run(arms, seeds, line -> {
                stdout.println(line);
                stdout.flush();
            });
            write(run, runs, tasks.length);
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("name", name);
            sum.put("tasks", tasks);
            sum.put("epochs_per_task", epochs);
            sum.put("seeds", seeds);
            sum.put("buffer_capacity", capacity);
            sum.put("train_samples", split.train().size());
            sum.put("test_samples", split.test().size());
            Map<String, Object> perArm = new LinkedHashMap<>();
            stdout.printf(Locale.ROOT, "%-24s %s%n", "arm", header(tasks.length));
            for (ContinualBenchmark.Arm a : arms) {
                double[] s = ContinualBenchmark.summary(runs, a.name());
                Map<String, Object> m = new LinkedHashMap<>();
                for (int k = 0; k < tasks.length; k++) {
                    m.put("task" + (k + 1) + "_mean", s[2 * k]);
                    m.put("task" + (k + 1) + "_sd", s[2 * k + 1]);
                }
                m.put("all_mean", s[2 * tasks.length]);
                m.put("all_sd", s[2 * tasks.length + 1]);
                m.put("wall_seconds", runs.stream().filter(r -> r.arm().equals(a.name()))
                        .mapToDouble(ContinualBenchmark.Run::wallSeconds).sum());
                perArm.put(a.name(), m);
                StringBuilder line = new StringBuilder();
                for (int k = 0; k <= tasks.length; k++) {
                    line.append(String.format(Locale.ROOT, "  %6.2f ± %5.2f", 100 * s[2 * k], 100 * s[2 * k + 1]));
                }
                stdout.printf(Locale.ROOT, "%-24s%s%n", a.name(), line);
            }
            sum.put("arms", perArm);
            sum.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), sum);
            json.writeValue(run.file("manifest.json").toFile(), manifest("continual", config, bytes, seeds[0],
                    List.of(trainFile, tc.images, tc.labels), started, t0));
            Files.write(run.file("config.yaml"), bytes);
            run.commit();
            stdout.printf(Locale.ROOT, "%s: %d arms x %d seeds, %.1f s%n", name, arms.size(), seeds.length,
                    (System.nanoTime() - t0) * 1e-9);
            stdout.println("wrote " + run.target());
            stdout.flush();
            return Main.OK;
        }
    }

    private static String header(int tasks) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < tasks; k++) {
            b.append(String.format(Locale.ROOT, "  %-15s", "task " + (k + 1) + " (%)"));
        }
        return b.append("  all (%)").toString();
    }

    private static void write(RunDirectory run, List<ContinualBenchmark.Run> runs, int tasks) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(run.file("runs.csv"), StandardCharsets.UTF_8)) {
            StringBuilder h = new StringBuilder("arm,seed,stage");
            for (int k = 0; k < tasks; k++) {
                h.append(",acc_task").append(k + 1);
            }
            w.write(h.append(",acc_all\n").toString());
            for (ContinualBenchmark.Run r : runs) {
                for (ContinualBenchmark.Stage s : r.stages()) {
                    StringBuilder b = new StringBuilder(r.arm()).append(',').append(r.seed()).append(',')
                            .append(s.stage());
                    for (double a : s.taskAccuracy()) {
                        b.append(',').append(a);
                    }
                    w.write(b.append(',').append(s.allAccuracy()).append('\n').toString());
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(run.file("sleep_energy.csv"), StandardCharsets.UTF_8)) {
            w.write("arm,seed,sleep,cycle,strategy,energy_per_sample\n");
            for (ContinualBenchmark.Run r : runs) {
                for (int k = 0; k < r.sleeps().size(); k++) {
                    for (SleepReport.EnergyPoint p : r.sleeps().get(k).energy()) {
                        w.write(r.arm() + "," + r.seed() + "," + (k + 1) + "," + p.cycle() + "," + p.strategy() + ","
                                + p.energyPerSample() + "\n");
                    }
                }
            }
        }
        // accuracy per task before and after each sleep: mean over seeds, one group per arm and stage
        Map<String, double[]> stages = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ContinualBenchmark.Run r : runs) {
            for (ContinualBenchmark.Stage s : r.stages()) {
                String key = r.arm() + ": " + s.stage().replace("after ", "").replace(" training", "");
                double[] acc = stages.computeIfAbsent(key, k -> new double[tasks + 1]);
                for (int k = 0; k < tasks; k++) {
                    acc[k] += s.taskAccuracy()[k];
                }
                acc[tasks] += s.allAccuracy();
                counts.merge(key, 1, Integer::sum);
            }
        }
        stages.forEach((k, v) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] /= counts.get(k);
            }
        });
        List<String> series = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            series.add("task " + (k + 1));
        }
        series.add("all");
        SleepFigures.accuracyByStage("accuracy per task after each task and each sleep (mean over seeds)", stages,
                series, run.file("continual_accuracy"));
        ContinualBenchmark.Run withSleeps = null;
        ContinualBenchmark.Run withDreams = null;
        for (ContinualBenchmark.Run r : runs) {
            if (!r.sleeps().isEmpty()) {
                if (withSleeps == null || r.sleeps().get(0).strategies().size() > withSleeps.sleeps().get(0)
                        .strategies().size()) {
                    withSleeps = r;
                }
                SleepReport last = r.sleeps().get(r.sleeps().size() - 1);
                if (withDreams == null && last.dreams() != null) {
                    withDreams = r;
                }
            }
        }
        if (withSleeps != null) {
            SleepFigures.energy("energy during sleep: " + withSleeps.arm() + ", seed " + withSleeps.seed(),
                    withSleeps.sleeps(), run.file("sleep_energy"));
        }
        if (withDreams != null) {
            SleepReport last = withDreams.sleeps().get(withDreams.sleeps().size() - 1);
            dreams(last, run.file("dreams.png"));
        }
    }

    /** The dreamed causes of a sleep's last batch as a digit grid, when they are 28 x 28 images. */
    static boolean dreams(SleepReport r, Path png) throws IOException {
        if (r.dreams() == null || r.dreamLabels() == null) {
            return false;
        }
        int n = r.dreamLabels().length;
        if (r.dreams().length != n * 784) {
            return false;
        }
        // sorted by class so the grid reads as rows of digits
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(r.dreamLabels()[a], r.dreamLabels()[b]));
        double[] sorted = new double[n * 784];
        for (int i = 0; i < n; i++) {
            System.arraycopy(r.dreams(), order[i] * 784, sorted, i * 784, 784);
        }
        LearningFigures.digitGrid(sorted, n, 28, 8, 3, png);
        return true;
    }

    /**
     * The arms; an arm's own {@code sleep:} mapping overrides the shared one key by key, so arms may
     * differ in e.g. {@code transfer} while sharing the rest.
     */
    private static List<ContinualBenchmark.Arm> arms(ConfigNode n, ConfigNode shared, SleepSettings common) {
        if (n.isMissing()) {
            throw n.error("a list of arms {name, strategies, joint, interleave}");
        }
        List<ContinualBenchmark.Arm> arms = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (ConfigNode a : n.elements()) {
            a.requireObject(ARM_KEYS);
            String nm = a.textOr("name", null);
            if (nm == null || !names.add(nm)) {
                throw a.get("name").error("a name, unique among the arms");
            }
            boolean joint = a.boolOr("joint", false);
            SleepSettings sleep = common;
            if (a.has("sleep")) {
                ConfigNode own = a.get("sleep").requireObject(SleepSettings.KEYS);
                JsonNode merged = merge(shared.isMissing() ? null : shared.raw(), own.raw());
                sleep = new SleepSettings(new ConfigNode(own.file(), own.path(), merged));
            }
            final SleepSettings armSleep = sleep;
            List<String> st = a.has("strategies") ? SleepSettings.names(a.get("strategies")) : List.of();
            if (joint && !st.isEmpty()) {
                throw a.get("strategies").error("nothing: the joint arm never sleeps");
            }
            double ratio = a.nonNegative("interleave", 0.0);
            if (joint && ratio > 0) {
                throw a.get("interleave").error("0: the joint arm has no old classes to dream of");
            }
            arms.add(new ContinualBenchmark.Arm(nm, st.isEmpty() ? null : seed -> armSleep.sleep(st, seed), joint,
                    ratio > 0 ? seed -> armSleep.interleaved(ratio) : null));
        }
        if (arms.isEmpty()) {
            throw n.error("at least one arm");
        }
        return arms;
    }

    /**
     * {@code over}'s keys laid on {@code base}: each key of {@code over} replaces the shared one whole
     * (a strategy's section is not merged, so an arm's {@code transfer: {mode: distill}} does not inherit
     * the shared interpolation's {@code alpha}).
     */
    static JsonNode merge(JsonNode base, JsonNode over) {
        com.fasterxml.jackson.databind.node.ObjectNode out = base != null && base.isObject()
                ? ((com.fasterxml.jackson.databind.node.ObjectNode) base).deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        over.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue().deepCopy()));
        return out;
    }

    private static int[][] tasks(ConfigNode n) {
        if (n.isMissing()) {
            return new int[][] {{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}};
        }
        List<ConfigNode> ts = n.elements();
        int[][] out = new int[ts.size()][];
        Set<Integer> seen = new java.util.HashSet<>();
        for (int k = 0; k < out.length; k++) {
            List<ConfigNode> cs = ts.get(k).elements();
            out[k] = new int[cs.size()];
            for (int i = 0; i < cs.size(); i++) {
                long c = cs.get(i).asLong();
                if (c < 0 || !seen.add((int) c)) {
                    throw cs.get(i).error("a class >= 0 that no other task holds");
                }
                out[k][i] = (int) c;
            }
            if (out[k].length == 0) {
                throw ts.get(k).error("a non-empty list of classes");
            }
        }
        if (out.length == 0) {
            throw n.error("at least one task");
        }
        return out;
    }

    private static long[] seeds(ConfigNode n) {
        if (n.isMissing()) {
            return new long[] {1, 2, 3, 4, 5};
        }
        List<ConfigNode> s = n.elements();
        if (s.isEmpty()) {
            throw n.error("at least one seed");
        }
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asLong();
        }
        return out;
    }

    /** A continual file read and checked up to (not including) the data. */
    private record Spec(ConfigNode root, Path trainFile, TrainConfig training, int epochs, int[][] tasks, long[] seeds,
            int capacity, List<ContinualBenchmark.Arm> arms) {
    }

    /**
     * Reads a continual file as the command and {@code fena config --check} both need it: its keys,
     * the training file it names (which must have a label layer), tasks, seeds, buffer, sleep and arms.
     */
    private static Spec load(Path config, byte[] bytes) {
        ConfigNode root = new ConfigNode(config, "", parse(config, bytes)).requireObject(KEYS);
        ConfigNode tr = root.get("training");
        if (tr.isMissing()) {
            throw tr.error("the path of a fena train file (data, layers, training, settle)");
        }
        Path trainFile = config.toAbsolutePath().getParent().resolve(tr.asText()).normalize();
        TrainConfig tc = TrainConfig.load(trainFile);
        if (!tc.settings.supervised()) {
            throw new UserError(trainFile + ": label_layer: class-incremental learning needs a label layer");
        }
        int epochs = root.intAtLeast("epochs_per_task", 0, 2);
        int[][] tasks = tasks(root.get("tasks"));
        long[] seeds = seeds(root.get("seeds"));
        int capacity = bufferCapacity(root);
        List<ContinualBenchmark.Arm> arms = arms(root.get("arms"), root.get("sleep"),
                new SleepSettings(root.get("sleep")));
        return new Spec(root, trainFile, tc, epochs, tasks, seeds, capacity, arms);
    }

    /** Checks a continual file without reading its data ({@code fena config --check}). */
    static void check(Path config) {
        load(config, read(config));
    }

    /** {@code buffer: {capacity: N}} of a sleep or continual file (default 500). */
    static int bufferCapacity(ConfigNode root) {
        ConfigNode buf = root.get("buffer");
        if (!buf.isMissing()) {
            buf.requireObject(Set.of("capacity"));
        }
        return buf.intAtLeast("capacity", 1, 500);
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static JsonNode parse(Path file, byte[] bytes) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            JsonNode root = yaml.readTree(bytes);
            if (root == null || root.isMissingNode() || root.isNull() || !root.isObject()) {
                throw new UserError(file + ": expected a YAML mapping");
            }
            return root;
        } catch (IOException e) {
            throw new UserError(file + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> manifest(String command, Path config, byte[] bytes, long seed, List<Path> inputs,
            String started, long t0) {
        Map<String, Object> m = RunInfo.manifest(command);
        m.put("seed", seed);
        m.put("config_file", config.toString());
        m.put("config_sha256", RunInfo.sha256(bytes));
        List<Map<String, String>> in = new ArrayList<>();
        for (Path p : inputs) {
            in.add(EvalCommand.input(p));
        }
        m.put("inputs", in);
        m.put("started_at", started);
        m.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
        return m;
    }
}
