package org.fena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena demo}: the front door. Trains the default hierarchy on the shipped MNIST subset with
 * continuous-time learning (states and weights integrated together) against the same-shape backprop
 * reference, analyses the stability of a settling hierarchy (spectrum, stability region, error heat
 * map), draws a phase portrait, anneals, runs a sleep phase when this build has one, and writes
 * every figure, the data behind it and {@code report.html} into one folder. Each phase is the
 * ordinary command on a generated config (kept beside its outputs), so every result can be
 * reproduced, varied or re-plotted one command at a time.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train on MNIST with continuous-time settling, anneal, analyse stability; write every figure and report.html.",
        footer = {"", "Examples:", "  ./fena demo                          # full demo into runs/demo (a few minutes)",
                "  ./fena demo --quick --out runs/try   # reduced setting (under a minute)", "",
                "Writes DIR/report.html, demo.json, manifest.json, configs/*.yaml and one folder per phase",
                "(train/, stability/, phase/, anneal/, sleep/ when available) with its figures (PNG + SVG),",
                "CSV and JSON. Exit status: 0 ok, 1 internal error, 2 bad input."})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "Output directory (default runs/demo).")
    Path out;

    @Option(names = "--quick", description = "Reduced setting: 2,000 training digits, 500 held out, two epochs.")
    boolean quick;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default 4, or 2 with --quick).")
    Integer epochs;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the shipped MNIST files"
            + " (default: ./data, else the data folder beside the fena jar).")
    Path data;

    static final String IMAGES = "mnist-10k-images-idx3-ubyte.gz";
    static final String LABELS = "mnist-10k-labels-idx1-ubyte.gz";

    @Override
    public Integer call() throws IOException {
        if (epochs != null && epochs < 1) {
            throw new UserError("--epochs: expected a whole number >= 1, got " + epochs);
        }
        Path dataDir = dataDir();
        Path dir = out.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(out + ": --out must name a directory, but this is a file");
        }
        Files.createDirectories(dir.resolve("configs"));
        PrintWriter stdout = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        int nEpochs = epochs != null ? epochs : quick ? 2 : 4;
        int train = quick ? 2000 : 8000;
        int test = quick ? 500 : 2000;

        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("train", trainYaml(dataDir, train, test, nEpochs));
        configs.put("stability", stabilityYaml(dataDir));
        configs.put("phase", phaseYaml(dataDir));
        configs.put("anneal", annealYaml(dataDir, quick));
        boolean sleep = spec.root().subcommands().containsKey("sleep");
        if (sleep) {
            configs.put("sleep", sleepYaml(dataDir, quick ? 500 : 2000, quick ? 300 : test, quick ? 40 : 200));
        }
        for (Map.Entry<String, String> e : configs.entrySet()) {
            Files.writeString(dir.resolve("configs").resolve(e.getKey() + ".yaml"), e.getValue(), StandardCharsets.UTF_8);
        }

        List<Map<String, Object>> phases = new ArrayList<>();
        stdout.printf(Locale.ROOT, "fena demo: %d training digits, %d held out, %d epoch(s); writing %s%n",
                train, test, nEpochs, dir);
        stdout.flush();
        // fena train draws its own bar over every batch of every epoch
        phases.add(phase("train", new TrainCommand(), "train", "--config", cfg(dir, "train"), "--out",
                dir.resolve("train").toString()));
        try (Progress bar = Progress.start("analyses", sleep ? 4 : 3, "phase")) {
            phases.add(phase("stability", new StabilityCommand(), "stability", "--config", cfg(dir, "stability"),
                    "--out", dir.resolve("stability").toString()));
            bar.step();
            phases.add(phase("phase portrait", new PhaseCommand(), "phase", "--config", cfg(dir, "phase"),
                    "--x", "1:0", "--y", "1:1", "--pca", "--out", dir.resolve("phase").toString()));
            bar.step();
            phases.add(phase("annealing", new AnnealCommand(), "anneal", "--config", cfg(dir, "anneal"),
                    "--out", dir.resolve("anneal").toString()));
            bar.step();
            if (sleep) {
                // the sleep phase consolidates the model the train phase wrote
                phases.add(phase("sleep", spec.root().subcommands().get("sleep").getCommandSpec().userObject().getClass()
                        .getDeclaredConstructor().newInstance(), "sleep", "--model",
                        dir.resolve("train").resolve("model.fena").toString(), "--config", cfg(dir, "sleep"),
                        "--out", dir.resolve("sleep").toString()));
                bar.step();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the sleep phase", e);
        }
        if (!sleep) {
            stdout.println("  sleep: skipped (this build has no `fena sleep`)");
        }
        RunFigures.render(dir.resolve("train"));

        Map<String, Object> demo = new LinkedHashMap<>();
        demo.put("description", "fena demo" + (quick ? " --quick" : "") + ": a hierarchy 784 (image, top) -> 128 tanh"
                + " -> 10 (labels, bottom) trained by local Hebbian learning with states and weights integrated"
                + " together (continuous regime) on " + train + " MNIST digits, tested on " + test
                + " held-out digits against a backprop MLP of the same shape from the same start; then the"
                + " the trained hierarchy's stability at the fixed point of one digit (Jacobian spectrum over Euler's"
                + " stability region), its phase plane and PCA plane, and its annealed (Langevin) settling on eight"
                + " digits from random starts" + (sleep ? "; then a sleep phase (replay, dreaming, down-scaling) on the trained model."
                : ". (No sleep phase: this build has no `fena sleep`.)"));
        demo.put("quick", quick);
        demo.put("epochs", nEpochs);
        demo.put("train_samples", train);
        demo.put("test_samples", test);
        demo.put("data", dataDir.toString());
        demo.put("sleep", sleep ? "ran" : "not available in this build");
        demo.put("phases", phases);
        demo.put("started_at", started);
        demo.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
        AnalysisRun.json().writeValue(dir.resolve("demo.json").toFile(), demo);
        AnalysisRun.json().writeValue(dir.resolve("manifest.json").toFile(), manifest(dataDir, started, t0));
        Path page = ReportPage.write(dir);
        stdout.printf(Locale.ROOT, "fena demo: done in %.0f s; open %s%n", (System.nanoTime() - t0) * 1e-9, page);
        stdout.flush();
        return Main.OK;
    }

    /**
     * Runs one phase as its own command (same parsing, same outputs as on the command line) and
     * passes its one-line results through; a bad input or a failure ends the demo with that error.
     */
    private Map<String, Object> phase(String name, Object command, String sub, String... args) {
        long t = System.nanoTime();
        StringWriter buf = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(buf, true));
        cl.setErr(spec.commandLine().getErr());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            throw ex;
        });
        int rc = cl.execute(args);
        double seconds = (System.nanoTime() - t) * 1e-9;
        PrintWriter stdout = spec.commandLine().getOut();
        for (String line : buf.toString().split("\n")) {
            if (!line.isBlank() && !line.startsWith("epoch ")) {
                stdout.println("  " + name + ": " + line.strip());
            }
        }
        stdout.flush();
        if (rc != Main.OK) {
            throw new IllegalStateException("the demo's " + name + " phase ended with exit status " + rc);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", name);
        m.put("command", "fena " + sub + " " + String.join(" ", args).replace(out.toAbsolutePath().normalize() + "/", ""));
        m.put("seconds", seconds);
        return m;
    }

    private static String cfg(Path dir, String name) {
        return dir.resolve("configs").resolve(name + ".yaml").toString();
    }

    private Path dataDir() {
        List<Path> tries = new ArrayList<>();
        if (data != null) {
            tries.add(data);
        } else {
            tries.add(Paths.get("data"));
            try {
                Path jar = Paths.get(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                // cli/target/fena.jar (or cli/target/classes) -> the repository's data folder
                tries.add(jar.getParent().getParent().getParent().resolve("data"));
            } catch (Exception e) {
                // no code source (unusual class loader): ./data is still tried
            }
        }
        for (Path p : tries) {
            if (Files.isRegularFile(p.resolve(IMAGES)) && Files.isRegularFile(p.resolve(LABELS))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new UserError((data != null ? "--data " + data : "data") + ": expected the shipped MNIST files " + IMAGES
                + " and " + LABELS + " (run from the repository root, or pass --data DIR)");
    }

    private static String trainYaml(Path data, int train, int test, int epochs) {
        return "# fena demo: supervised predictive coding on MNIST, continuous regime (states and weights\n"
                + "# integrated together, tau_w >> tau). Labels at the bottom, image at the top.\n"
                + "name: demo-mnist\nseed: 1\ndata:\n"
                + "  images: " + quote(data.resolve(IMAGES)) + "\n"
                + "  labels: " + quote(data.resolve(LABELS)) + "\n"
                + "  train: " + train + "\n  test: " + test + "\n"
                + "layers:\n  - {dim: 10, activation: identity, precision: 0.1}\n  - {dim: 128, activation: tanh}\n"
                + "  - {dim: 784}\ndata_layer: top\nlabel_layer: bottom\n"
                + "training:\n  epochs: " + epochs + "\n  batch: 32\n  regime: continuous\n  update: sgd\n  rate: 0.1\n"
                + "  tau_w: 20\n  present_time: 4\n  initial_state: top_down\n"
                + "settle:\n  method: euler\n  step: 0.2\n  stop: {grad_tol: 1.0e-6, grad_rtol: 1.0e-2, max_steps: 40}\n"
                + "backprop: true\ngenerate: false\n";
    }

    private static String sleepYaml(Path data, int episodes, int test, int duration) {
        return "# fena demo: offline consolidation of the trained model: replay of a buffer of waking\n"
                + "# experience, dreamed causes under annealed noise, and down-scaling.\n"
                + "name: demo-sleep\nseed: 7\nepisodes:\n"
                + "  images: " + quote(data.resolve(IMAGES)) + "\n  labels: " + quote(data.resolve(LABELS)) + "\n"
                + "  count: " + episodes + "\ntest:\n"
                + "  images: " + quote(data.resolve(IMAGES)) + "\n  labels: " + quote(data.resolve(LABELS)) + "\n"
                + "  count: " + test + "\nbuffer: {capacity: 500}\n"
                + "sleep:\n  duration: " + duration + "\n  batch: 32\n  update: adam\n  rate: 1.0e-3\n"
                + "  strategies: [replay, dream, downscale]\n"
                + "  dream: {schedule: {kind: linear, t0: 0.05, duration: 4}, integrator: euler-maruyama, step: 0.2,"
                + " t_end: 4, spread: 1.0}\n"
                + "  downscale: {mode: per_unit, level: 1.5, layers: [0]}\n";
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "''") + "'";
    }

    private static Map<String, Object> manifest(Path data, String started, long t0) {
        Map<String, Object> m = RunInfo.manifest("demo");
        m.put("inputs", List.of(EvalCommand.input(data.resolve(IMAGES)), EvalCommand.input(data.resolve(LABELS))));
        m.put("started_at", started);
        m.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
        return m;
    }

    /**
     * The trained hierarchy (labels at the bottom, image at the top) with {@code count} digits of the
     * shipped file clamped at the top, the weights, biases and precisions read from the train phase's
     * {@code model.fena}: every analysis looks at the network the demo has just learnt.
     */
    private static String trainedLayers(Path data, int count) {
        return "model: ../train/model.fena\n"
                + "layers:\n  - {dim: 10, activation: identity}\n  - {dim: 128, activation: tanh}\n"
                + "  - {dim: 784, clamp: {idx: " + quote(data.resolve(IMAGES)) + ", count: " + count + ", offset: 0}}\n";
    }

    /**
     * Stability of the trained hierarchy at the fixed point it settles to on one digit: the Jacobian
     * spectrum over the stability region of the integrator it was trained with (Euler, step 0.2).
     */
    static String stabilityYaml(Path data) {
        return "# fena demo: stability of the trained hierarchy at the fixed point it reaches on the first digit\n"
                + "# of the shipped file (image clamped at the top; 128 hidden and 10 label units free, from a random start).\n"
                + "name: demo-stability\n" + trainedLayers(data, 1)
                + "initial_state: {rule: random, std: 1.0, seed: 5}\nintegrator: {method: euler, step: 0.2}\n"
                + "stop: {grad_tol: 1.0e-9, t_max: 400}\n";
    }

    /** The same trained hierarchy and digit from random starts: a phase plane of two hidden units and the PCA plane. */
    static String phaseYaml(Path data) {
        return "# fena demo: the trained hierarchy's phase plane through its fixed point on the first digit: two\n"
                + "# hidden units (the other 136 free units held at x*), and the relaxation in its PCA plane.\n"
                + "name: demo-phase\n" + trainedLayers(data, 1)
                + "initial_state: {rule: random, std: 1.0, seed: 5}\nintegrator: {method: dopri5}\nstop: {grad_tol: 1.0e-9, t_max: 400}\n";
    }

    /**
     * Annealed (Langevin) settling of the trained hierarchy on eight digits from random starts,
     * against noise-free settling from the same starts.
     */
    static String annealYaml(Path data, boolean quick) {
        return "# fena demo: annealed (Langevin) settling of the trained hierarchy on eight digits, from random\n"
                + "# starts, cooling exponentially and switched off at t = " + (quick ? 15 : 30)
                + " and then relaxing for five of its slowest time constants; compared with noise-free settling.\n"
                + "name: demo-anneal\nseed: 7\nbatch: 8\n" + trainedLayers(data, 8)
                + "initial_state: {rule: random, std: 2.0}\n"
                + "stop: {t_max: " + (quick ? 80 : 100) + "}\nrecord: {every: 10}\n"
                + "noise:\n  schedule: {kind: exponential, t0: 0.5, rate: 0.08, until: " + (quick ? 15 : 30) + "}\n"
                + "  integrator: stochastic-heun\n  step: 0.05\n  seed: 3\n  t_end: " + (quick ? 80 : 100) + "\n";
    }
}
