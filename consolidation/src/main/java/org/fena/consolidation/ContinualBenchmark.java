package org.fena.consolidation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.Evaluation;
import org.fena.dynamics.learning.PcTrainer;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.WeightInit;

/**
 * Class-incremental continual learning with sleep: the tasks (disjoint sets of classes, e.g. digits
 * 0–4 then 5–9 of split-MNIST) are learnt one after another by the local rule, each task's training
 * data seen only during its own waking period; after each task an arm may sleep. Accuracy is the
 * ten-way readout of the label layer (no task identity given at test), measured on the held-out
 * samples of each task and of all tasks, after each task and after each sleep.
 *
 * <p>Per seed {@code s}: the weights are drawn by Xavier-uniform from {@code s} exactly as
 * {@code fena train} with {@code seed: s} draws them; task {@code k}'s shuffles use seed
 * {@code 1000 s + k}; the episodic buffer's seed is {@code s}; sleep {@code k} uses seed
 * {@code 1000 s + 100 + k}; the dreams interleaved with waking task {@code k} use {@code 1000 s + 200 + k}
 * (there are none while the first task is learnt: nothing was seen before it). The first task is trained once per seed and shared by every sequential
 * arm (training is deterministic, so this changes no result). The joint arm (the upper bound) trains
 * on the union of all tasks for the same number of epochs, and never sleeps.
 */
public final class ContinualBenchmark {

    /**
     * One arm of the benchmark.
     *
     * @param name  its name
     * @param sleep the sleep of seed {@code s} (fresh strategies: some keep state across sleeps), or
     *              null for no sleep
     * @param joint train all tasks together (the upper bound) instead of one after another
     * @param awake the dreams interleaved with the waking batches of every task after the first, for
     *              seed {@code s} (fresh, as a sleep), or null for plain waking training
     */
    public record Arm(String name, LongFunction<Sleep> sleep, boolean joint, LongFunction<InterleavedDreams> awake) {

        /** An arm whose waking periods have no interleaved dreams. */
        public Arm(String name, LongFunction<Sleep> sleep, boolean joint) {
            this(name, sleep, joint, null);
        }
    }

    /**
     * The accuracies at one point of a run.
     *
     * @param stage       e.g. {@code after task 1}, {@code after sleep 1}
     * @param taskAccuracy accuracy on each task's held-out samples
     * @param allAccuracy accuracy on the held-out samples of all tasks
     */
    public record Stage(String stage, double[] taskAccuracy, double allAccuracy) {
    }

    /**
     * The run of one arm with one seed.
     *
     * @param arm         the arm's name
     * @param seed        the seed
     * @param stages      accuracies after each task and each sleep, in order
     * @param sleeps      the reports of the sleeps, in order
     * @param wallSeconds wall-clock time of this arm (the first sequential arm of a seed includes the
     *                    training of the shared first task)
     */
    public record Run(String arm, long seed, List<Stage> stages, List<SleepReport> sleeps, double wallSeconds) {

        /** The last stage: the figures the benchmark reports. */
        public Stage last() {
            return stages.get(stages.size() - 1);
        }
    }

    private final Hierarchy template;
    private final TrainingSettings settings;
    private final LabelledData train;
    private final LabelledData test;
    private final int[][] tasks;
    private final int epochs;
    private final int capacity;

    /**
     * A benchmark of hierarchies shaped like {@code template} trained with {@code settings} (its
     * epochs are replaced by {@code epochsPerTask}), on {@code train}, scored on {@code test}, with the
     * given {@code tasks} (each a set of classes) and an episodic buffer of {@code capacity} episodes.
     */
    public ContinualBenchmark(Hierarchy template, TrainingSettings settings, LabelledData train, LabelledData test,
            int[][] tasks, int epochsPerTask, int capacity) {
        if (!settings.supervised()) {
            throw new IllegalArgumentException("class-incremental learning needs a label layer");
        }
        if (tasks.length < 1 || epochsPerTask < 0 || capacity < 1) {
            throw new IllegalArgumentException("at least one task, epochs >= 0 and a buffer capacity >= 1 expected");
        }
        this.template = template;
        this.settings = settings;
        this.train = train;
        this.test = test;
        this.tasks = tasks.clone();
        this.epochs = epochsPerTask;
        this.capacity = capacity;
    }

    /** The rows of {@code d} whose label is in {@code classes}. */
    public static LabelledData restrict(LabelledData d, int[] classes) {
        boolean[] in = new boolean[d.classes()];
        for (int c : classes) {
            in[c] = true;
        }
        int[] idx = java.util.stream.IntStream.range(0, d.size()).filter(i -> in[d.labels()[i]]).toArray();
        return d.select(idx);
    }

    /** A hierarchy shaped like {@code template} with fresh weights from {@code seed} and zero biases. */
    public static Hierarchy fresh(Hierarchy template, long seed) {
        Hierarchy h = template.copy();
        SplittableRandom root = new SplittableRandom(seed);
        for (int l = 0; l < h.top(); l++) {
            SplittableRandom rng = root.split();
            WeightInit.xavierUniform().fill(h.weights(l), h.dim(l), h.dim(l + 1), rng);
            Arrays.fill(h.bias(l), 0.0);
        }
        return h;
    }

    /** Accuracy of {@code h} on each task's held-out samples and on all of them. */
    public Stage score(String stage, Hierarchy h) {
        double[] acc = new double[tasks.length];
        for (int k = 0; k < tasks.length; k++) {
            acc[k] = accuracy(h, restrict(test, tasks[k]));
        }
        int[] all = Arrays.stream(tasks).flatMapToInt(Arrays::stream).toArray();
        return new Stage(stage, acc, accuracy(h, restrict(test, all)));
    }

    private double accuracy(Hierarchy h, LabelledData d) {
        Evaluation e = PcTrainer.evaluate(h, settings, null, d.inputs(), d.size(), d.dim());
        return e.accuracy(d.labels());
    }

    private void trainTask(Hierarchy h, LabelledData data, long seed, int k) {
        trainTask(h, data, seed, k, null, null);
    }

    /** Waking period {@code k}; with {@code awake}, dreams of what {@code buffer} holds are interleaved. */
    private void trainTask(Hierarchy h, LabelledData data, long seed, int k, InterleavedDreams awake,
            EpisodicBuffer buffer) {
        PcTrainer t = new PcTrainer(h, settings.withEpochs(epochs).withSeed(1000 * seed + k));
        if (awake != null) {
            awake.withSeed(1000 * seed + 200 + k).wake(t, data, epochs, buffer);
            return;
        }
        for (int e = 0; e < epochs; e++) {
            t.trainEpoch(data);
        }
    }

    /** Runs every arm with every seed; {@code progress} receives one line per finished run. */
    public List<Run> run(List<Arm> arms, long[] seeds, Consumer<String> progress) {
        List<Run> runs = new ArrayList<>();
        LabelledData[] taskTrain = new LabelledData[tasks.length];
        for (int k = 0; k < tasks.length; k++) {
            taskTrain[k] = restrict(train, tasks[k]);
        }
        for (long seed : seeds) {
            Hierarchy first = null;
            for (Arm arm : arms) {
                long t0 = System.nanoTime();
                List<Stage> stages = new ArrayList<>();
                List<SleepReport> sleeps = new ArrayList<>();
                Hierarchy h;
                if (arm.joint()) {
                    h = fresh(template, seed);
                    int[] all = Arrays.stream(tasks).flatMapToInt(Arrays::stream).toArray();
                    trainTask(h, restrict(train, all), seed, 0);
                    stages.add(score("after joint training", h));
                } else {
                    Sleep sleep = arm.sleep() == null ? null : arm.sleep().apply(seed);
                    InterleavedDreams awake = arm.awake() == null ? null : arm.awake().apply(seed);
                    EpisodicBuffer buffer = new EpisodicBuffer(capacity, train.dim(), train.classes(), seed);
                    if (first == null) {
                        first = fresh(template, seed);
                        trainTask(first, taskTrain[0], seed, 0);
                    }
                    h = first.copy();
                    for (int k = 0; k < tasks.length; k++) {
                        if (k > 0) {
                            trainTask(h, taskTrain[k], seed, k, awake, buffer);
                        }
                        // waking experience of task k enters the buffer (one pass: each episode once)
                        buffer.offerAll(taskTrain[k]);
                        stages.add(score("after task " + (k + 1), h));
                        if (sleep != null) {
                            sleeps.add(sleep.withSeed(1000 * seed + 100 + k).run(h, settings, buffer));
                            stages.add(score("after sleep " + (k + 1), h));
                        }
                    }
                }
                Run r = new Run(arm.name(), seed, List.copyOf(stages), List.copyOf(sleeps),
                        (System.nanoTime() - t0) * 1e-9);
                runs.add(r);
                if (progress != null) {
                    Stage s = r.last();
                    progress.accept(String.format(java.util.Locale.ROOT, "seed %d %-24s tasks %s all %.4f (%.1f s)",
                            seed, arm.name(), Arrays.toString(round(s.taskAccuracy())), s.allAccuracy(),
                            r.wallSeconds()));
                }
            }
        }
        return runs;
    }

    private static double[] round(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.round(a[i] * 1e4) / 1e4;
        }
        return r;
    }

    /**
     * Mean and sample standard deviation over seeds of the last-stage accuracies of {@code arm}:
     * {@code [mean task 1, sd, mean task 2, sd, ..., mean all, sd]}.
     */
    public static double[] summary(List<Run> runs, String arm) {
        List<Run> mine = runs.stream().filter(r -> r.arm().equals(arm)).toList();
        int k = mine.get(0).last().taskAccuracy().length;
        double[] out = new double[2 * (k + 1)];
        for (int i = 0; i <= k; i++) {
            final int j = i;
            double[] v = mine.stream().mapToDouble(r -> j < k ? r.last().taskAccuracy()[j] : r.last().allAccuracy())
                    .toArray();
            double m = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = 0;
            for (double x : v) {
                ss += (x - m) * (x - m);
            }
            out[2 * i] = m;
            out[2 * i + 1] = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0;
        }
        return out;
    }
}
