package org.fena.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena config}: prints the documented schema of the two config files with every default
 * filled in ({@code --defaults}), or checks a file against it ({@code --check FILE}) with the same
 * one-line messages the running commands give, without running anything.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the config schema with its defaults, or check a config file without running it.",
        footer = {"", "Examples:", "  ./fena config --defaults                    # experiment file (settle, stability, phase, sweep, anneal)",
                "  ./fena config --defaults --kind train       # training file (train)",
                "  ./fena config --defaults --kind sleep       # sleep file (sleep)",
                "  ./fena config --defaults --kind continual   # continual-learning benchmark file (continual)",
                "  ./fena config --check examples/anneal.yaml", "",
                "Exit status: 0 ok (file valid), 1 internal error, 2 bad input (the message names file and key)."})
final class ConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--defaults", required = true, description = "Print the schema with every default, as YAML with comments.")
        boolean defaults;

        @Option(names = "--check", required = true, paramLabel = "FILE", description = "Validate a config file (kind from --kind, else guessed from its top-level keys: data: train, episodes: sleep, arms: or epochs_per_task: continual).")
        Path check;
    }

    @Option(names = "--kind", paramLabel = "KIND", description = "experiment (default), train, sleep or continual.")
    String kind;

    @Override
    public Integer call() throws Exception {
        if (kind != null && !KINDS.containsKey(kind)) {
            throw new UserError("--kind: expected experiment, train, sleep or continual, got '" + kind + "'");
        }
        var out = spec.commandLine().getOut();
        if (action.defaults) {
            out.print(KINDS.get(kind == null ? "experiment" : kind));
            out.flush();
            return Main.OK;
        }
        Path f = action.check;
        if (!Files.isRegularFile(f)) {
            throw new UserError(f + ": no such file");
        }
        String k = kind != null ? kind : guess(Files.readAllLines(f));
        switch (k) {
            case "train" -> TrainConfig.load(f);
            case "sleep" -> SleepCommand.check(f);
            case "continual" -> ContinualCommand.check(f);
            default -> Experiment.load(f);
        }
        out.println(f + ": a valid " + k + " file");
        out.flush();
        return Main.OK;
    }

    /** The kind of a file from its top-level keys. */
    private static String guess(java.util.List<String> lines) {
        if (lines.stream().anyMatch(l -> l.startsWith("data:"))) {
            return "train";
        }
        if (lines.stream().anyMatch(l -> l.startsWith("episodes:"))) {
            return "sleep";
        }
        if (lines.stream().anyMatch(l -> l.startsWith("arms:") || l.startsWith("epochs_per_task:")
                || l.startsWith("training:"))) {
            return "continual";
        }
        return "experiment";
    }

    /** The experiment schema (README "Config reference") with its defaults; loads as written. */
    static final String EXPERIMENT_DEFAULTS = """
            # FENA experiment file: every key with its default (README "Config reference").
            # Used by: settle, stability, phase, sweep, anneal. Unknown keys are refused.
            name: example                 # default: the file's name
            seed: 0                       # master seed of every seeded rule
            batch: 1                      # samples settled at once
            layers:                       # bottom first (required); dim is required per layer
              - dim: 2
                tau: 1.0                  # time constant > 0
                activation: identity      # identity|tanh|logistic|relu|leaky_relu|leaky_relu(0.1)|softplus (not on the top layer)
                precision: 1.0            # number (scalar) | list (diagonal) | SPD matrix (full)
                # weights: [[...]]        # W_l, d_l x d_{l+1}; default from weight_init
                # bias: [...]             # b_l; default zeros
                clamp: [0.5, -0.5]        # B x d_l values | number | {rule: uniform|normal, ...}; default free
                # init: ...               # initial state of a free layer, same forms as clamp
              - dim: 1
                tau: 1.0
            # prior: {mean: 0.0, precision: 1.0}   # Gaussian prior on the top layer; default none
            weight_init: {rule: xavier_uniform}    # xavier_uniform|xavier_normal|he_normal|normal (std)|zeros
            initial_state: zeros                   # zeros|random ({rule: random, std, seed})|top_down
            integrator:
              method: dopri5              # euler|midpoint|heun|rk4|bs3|dopri5|cm-dopri853|cm-dopri54|cm-gbs|cm-adams-bashforth|cm-adams-moulton|cm-rk4
              rtol: 1.0e-6
              atol: 1.0e-9
              min_step: 0
              adaptive: true              # false runs an embedded method at the fixed step
              # step: 0.1                 # required for fixed-step methods; first step otherwise
              # max_step: ...             # default none
            stop:
              grad_tol: 1.0e-6            # converged when |dE/dx| <= grad_tol
              t_max: 1000                 # not converged when reached
              max_steps: 10000000
              # grad_rtol: 1.0e-2         # converged when |dE/dx| fell by this factor; default off
              # energy_tol: 1.0e-9        # with energy_window (default 3); default off
            record:
              every: 1                    # a trace row every N accepted steps
              states: false               # write states.csv (with sample_interval or sample_times)
            feedback: {kind: transpose}   # transpose|random|mixed, with scale, mix, seed
            # noise:                      # fena anneal only
            #   schedule: {kind: exponential, t0: 1.0, rate: 0.1}   # constant|linear|exponential|geometric|logarithmic|cosine|piecewise|none
            #   integrator: euler-maruyama # or stochastic-heun
            #   step: 0.01                # required
            #   seed: 0                   # default: seed
            #   t_end: 1000               # default: stop.t_max
            #   threads: 1
            #   compare: true
            """;

    /** The training schema (README "Learning") with its defaults. */
    static final String TRAIN_DEFAULTS = """
            # FENA training file: every key with its default (README "Learning"). Used by: train.
            # Unknown keys are refused; paths are relative to the file.
            name: example                 # default: the file's name
            seed: 0                       # weights and shuffles
            data:
              images: ../data/mnist-10k-images-idx3-ubyte.gz   # required, gzipped IDX
              labels: ../data/mnist-10k-labels-idx1-ubyte.gz
              train: 8000
              test: 2000
              split_seed: 0               # default: seed
            # ood: {images: ..., labels: ..., count: 2000}   # out-of-distribution set for the energy AUROC
            layers:                       # bottom first: dim (required), tau (1.0), activation (identity), precision (1.0)
              - {dim: 10, activation: identity, precision: 0.1}
              - {dim: 256, activation: tanh}
              - {dim: 784}
            data_layer: top               # top|bottom|index
            label_layer: bottom           # top|bottom|none|index
            training:
              epochs: 10
              batch: 64
              regime: two_phase           # two_phase|continuous
              update: adam                # adam|sgd (continuous: plain gradient flow)
              rate: 1.0e-3                # one, or one per layer
              tau_w: 1000                 # continuous regime: weight time constant
              present_time: 10            # continuous regime: time each batch is shown
              initial_state: top_down     # zeros|top_down|amortised (default top_down when data is at the top)
              amortised_rate: 0           # 0.01 with initial_state: amortised
              # precision: {rule: covariance, rate: 0.01, floor: 0.01, ceiling: 100, layers: [0]}
            settle:
              method: euler
              step: 0.2
              rtol: 1.0e-6
              atol: 1.0e-9
              stop: {grad_tol: 1.0e-6, grad_rtol: 1.0e-2, max_steps: 40}
            # eval_stop: {...}            # default: settle.stop
            backprop: true                # same-shape MLP reference (needs labels bottom, data top)
            generate: true                # generated.png when generation applies
            """;

    /** The sleep file's schema ({@code fena sleep}, README "Sleep and continual learning") with its defaults. */
    static final String SLEEP_DEFAULTS = """
            # FENA sleep file: every key with its default. Used by: fena sleep --model FILE --config FILE.
            # Unknown keys are refused. Paths are relative to this file.
            name: example                 # default: the file's name
            seed: 0                       # seed of the buffer's reservoir and of every strategy (split i for strategy i)
            episodes:                     # waking experience offered to the buffer (required)
              images: ../data/mnist-10k-images-idx3-ubyte.gz
              labels: ../data/mnist-10k-labels-idx1-ubyte.gz
              count: 2000                 # default: the whole file
              # classes: [0, 1, 2, 3, 4]  # default: every class
            test:                         # optional: accuracy before and after the sleep, same keys as episodes
              images: ../data/mnist-10k-images-idx3-ubyte.gz
              labels: ../data/mnist-10k-labels-idx1-ubyte.gz
              count: 2000
            buffer: {capacity: 500}       # reservoir of episodes (Vitter's algorithm R)
            sleep:
              duration: 200               # cycles
              batch: 32                   # samples per cycle
              update: adam                # adam | sgd
              rate: 1.0e-3                # learning rate of the sleep's weight steps
              strategies: []              # in order, each at most once: replay, dream, downscale, transfer
              replay: {}                  # no parameters
              dream:
                schedule: {kind: linear, t0: 0.05, duration: 4}   # the anneal command's schedule forms
                integrator: euler-maruyama                        # euler-maruyama | stochastic-heun
                step: 0.2
                t_end: 4
                spread: 1.0               # scale of the class statistics' spread
                clip: [0, 1]              # the data range dreamed images are clipped to
                mix: 0                    # share of every dream batch taken from stored episodes
              downscale:
                mode: per_unit            # per_unit | uniform
                factor: 1.0               # uniform: one factor per layer (never above 1)
                level: 1.0                # per_unit: each unit scaled to level x the weakest unit's norm
                layers: []                # default: every weight layer
              transfer:
                mode: interpolate         # interpolate | distill
                alpha: 0.5                # interpolate only: share of the fast weights moved into the slow ones
                # rate: 1.0e-3            # distill only: rate of the slow weights' steps (default: the sleep's rate)
                # decay: 1.0              # distill only: share of the fast part removed after the sleep
            """;

    /** The continual-learning benchmark file's schema ({@code fena continual}) with its defaults. */
    static final String CONTINUAL_DEFAULTS = """
            # FENA continual-learning file: every key with its default. Used by: fena continual --config FILE.
            # Unknown keys are refused. Paths are relative to this file.
            name: example                 # default: the file's name
            training: mnist-pc.yaml       # a fena train file: hierarchy, arrangement, data split, waking settings (required)
            epochs_per_task: 2
            tasks: [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]   # class-incremental tasks, in order
            seeds: [1, 2, 3, 4, 5]        # one run of every arm per seed; mean and s.d. over seeds
            buffer: {capacity: 500}
            sleep: {}                     # the shared sleep: the keys of a sleep file's sleep: section
            arms:                         # required: the arms compared
              - name: none                # unique
                strategies: []            # this arm's sleep strategies (a subset of the sleep's keys)
                joint: false              # true: train on all tasks at once (the upper bound; no sleep)
                interleave: 0             # dreamed batches per waking batch while awake on later tasks
                # sleep: {...}            # this arm's own sleep keys, each replacing the shared one
            """;

    private static final java.util.Map<String, String> KINDS = java.util.Map.of("experiment", EXPERIMENT_DEFAULTS,
            "train", TRAIN_DEFAULTS, "sleep", SLEEP_DEFAULTS, "continual", CONTINUAL_DEFAULTS);
}
