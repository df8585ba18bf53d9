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
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fena.consolidation.EpisodicBuffer;
import org.fena.consolidation.Sleep;
import org.fena.consolidation.SleepReport;
import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.ModelFile;
import org.fena.dynamics.learning.PcTrainer;
import org.fena.hierarchy.Hierarchy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena sleep}: loads a trained model, fills an episodic buffer with the waking experience the
 * file names, sleeps (replay, dreaming, down-scaling, transfer, as configured) and writes the slept
 * model, the energy during sleep and, when test data are given, accuracy before and after.
 */
@Command(name = "sleep", mixinStandardHelpOptions = true,
        description = "Offline consolidation of a trained model: replay, dreaming, down-scaling, fast-to-slow transfer.",
        footer = {"", "Example:", "  ./fena sleep --model runs/mnist-pc/model.fena --config examples/sleep.yaml --out runs/sleep",
                "", "Writes DIR/model.fena, sleep_energy.csv, sleep_energy.png/.svg, dreams.png (when dreaming),",
                "summary.json, manifest.json and config.yaml."})
final class SleepCommand implements Callable<Integer> {

    static final Set<String> KEYS = Set.of("name", "seed", "episodes", "buffer", "test", "sleep");
    static final Set<String> DATA_KEYS = Set.of("images", "labels", "count", "classes");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model written by fena train.")
    Path model;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML sleep file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    /**
     * Checks a sleep file's keys and sleep settings without reading a model or data
     * ({@code fena config --check}).
     */
    static void check(Path config) {
        ConfigNode root = new ConfigNode(config, "", ContinualCommand.parse(config, ContinualCommand.read(config)))
                .requireObject(KEYS);
        root.longOr("seed", 0);
        new SleepSettings(root.get("sleep"));
        for (String k : new String[] {"episodes", "test"}) {
            if (root.has(k)) {
                root.get(k).requireObject(DATA_KEYS);
            }
        }
        ContinualCommand.bufferCapacity(root);
    }

    @Override
    public Integer call() throws IOException {
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        byte[] bytes = ContinualCommand.read(config);
        ConfigNode root = new ConfigNode(config, "", ContinualCommand.parse(config, bytes)).requireObject(KEYS);
        String name = root.textOr("name", config.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        long seed = root.longOr("seed", 0);
        // the file is checked whole before the model and data are read
        SleepSettings ss = new SleepSettings(root.get("sleep"));
        ModelFile.Model m;
        try {
            m = ModelFile.load(model);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        Hierarchy h = m.hierarchy();
        if (!m.settings().supervised()) {
            throw new UserError(model + ": the model has no label layer; sleep replays labelled episodes");
        }
        List<Path> inputs = new ArrayList<>(List.of(model));
        LabelledData episodes = data(root.get("episodes"), inputs);
        LabelledData test = root.has("test") ? data(root.get("test"), inputs) : null;
        for (LabelledData d : test == null ? List.of(episodes) : List.of(episodes, test)) {
            try {
                ModelFile.requireShape(model, m, d.dim(), d.classes());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage() + " (" + d.name() + ")", e);
            }
        }
        EpisodicBuffer buffer = new EpisodicBuffer(ContinualCommand.bufferCapacity(root), episodes.dim(),
                episodes.classes(), seed);
        buffer.offerAll(episodes);
        if (ss.strategies.isEmpty()) {
            stdout.println("fena: note: sleep.strategies is empty: the weights will not change");
        }
        Sleep sleep = ss.sleep(seed);
        try (RunDirectory run = RunDirectory.open(out)) {
            double before = test == null ? Double.NaN : accuracy(m, test);
            SleepReport r = sleep.run(h, m.settings(), buffer);
            double after = test == null ? Double.NaN : accuracy(m, test);
            ModelFile.save(run.file("model.fena"), m);
            try (BufferedWriter w = Files.newBufferedWriter(run.file("sleep_energy.csv"), StandardCharsets.UTF_8)) {
                w.write("cycle,strategy,energy_per_sample\n");
                for (SleepReport.EnergyPoint p : r.energy()) {
                    w.write(p.cycle() + "," + p.strategy() + "," + p.energyPerSample() + "\n");
                }
            }
            if (!r.energy().isEmpty()) {
                SleepFigures.energy("energy during sleep: " + name, List.of(r), run.file("sleep_energy"));
            }
            boolean dreams = ContinualCommand.dreams(r, run.file("dreams.png"));
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("name", name);
            sum.put("seed", seed);
            sum.put("strategies", r.strategies());
            sum.put("duration", r.duration());
            sum.put("buffer_size", buffer.size());
            sum.put("episodes_offered", buffer.offered());
            Map<String, Object> energy = new LinkedHashMap<>();
            int tenth = Math.max(1, r.duration() / 10);
            for (String st : r.strategies()) {
                double first = r.meanEnergy(st, 0, tenth);
                if (!Double.isNaN(first)) {
                    energy.put(st, Map.of("first_tenth", first, "last_tenth",
                            r.meanEnergy(st, r.duration() - tenth, r.duration())));
                }
            }
            sum.put("energy_per_sample", energy);
            sum.put("test_accuracy_before", test == null ? null : before);
            sum.put("test_accuracy_after", test == null ? null : after);
            sum.put("dreams_figure", dreams ? "dreams.png" : null);
            sum.put("sleep_seconds", r.wallSeconds());
            sum.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), sum);
            Map<String, Object> man = ContinualCommand.manifest("sleep", config, bytes, seed, inputs, started, t0);
            man.put("model_format_version", ModelFile.VERSION);
            json.writeValue(run.file("manifest.json").toFile(), man);
            Files.write(run.file("config.yaml"), bytes);
            run.commit();
            stdout.printf(Locale.ROOT, "%s: slept %d cycles (%s) in %.1f s%s%n", name, r.duration(),
                    String.join("+", r.strategies()), r.wallSeconds(), test == null ? ""
                            : String.format(Locale.ROOT, ", test accuracy %.4f -> %.4f", before, after));
            stdout.println("wrote " + run.target());
            stdout.flush();
            return Main.OK;
        }
    }

    private static double accuracy(ModelFile.Model m, LabelledData d) {
        return PcTrainer.evaluate(m.hierarchy(), m.settings(), m.guess(), d.inputs(), d.size(), d.dim())
                .accuracy(d.labels());
    }

    private LabelledData data(ConfigNode n, List<Path> inputs) {
        if (n.isMissing()) {
            throw n.error("a mapping {images, labels, count, classes}");
        }
        n.requireObject(DATA_KEYS);
        Path dir = config.toAbsolutePath().getParent();
        Path[] p = new Path[2];
        String[] keys = {"images", "labels"};
        for (int i = 0; i < 2; i++) {
            ConfigNode v = n.get(keys[i]);
            if (v.isMissing()) {
                throw v.error("the path of an IDX file (relative to the config file)");
            }
            p[i] = dir.resolve(v.asText()).normalize();
            if (!Files.isRegularFile(p[i])) {
                throw new UserError(config + ": " + v.path() + ": no such file: " + p[i]);
            }
            inputs.add(p[i]);
        }
        LabelledData d = TrainConfig.readData(p[0], p[1]);
        if (n.has("classes")) {
            List<ConfigNode> cs = n.get("classes").elements();
            int[] c = new int[cs.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = (int) cs.get(i).asLong();
                if (c[i] < 0 || c[i] >= d.classes()) {
                    throw cs.get(i).error("a class 0.." + (d.classes() - 1));
                }
            }
            d = org.fena.consolidation.ContinualBenchmark.restrict(d, c);
        }
        int count = n.intAtLeast("count", 1, d.size());
        return d.head(count);
    }
}
