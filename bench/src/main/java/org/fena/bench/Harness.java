package org.fena.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fena.dynamics.InitialState;
import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.learning.BatchSettler;
import org.fena.dynamics.learning.InitMode;
import org.fena.hierarchy.Blas;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.LocalLearner;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.Integrator;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the peer workloads through FENA's real settling path ({@link Settler} → integrator →
 * {@code PcFlow} → {@code EnergyWorkspace}) and prints one JSON line per workload with the peer
 * scripts' fields, so the figures stand side by side.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/fena-bench.jar org.fena.bench.Harness \
 *      [--dump DIR] [--only NAME1,NAME2,... | --batches B1,B2,...] [--reps N] [--method euler|rk4|dopri5] [--methods M1,M2,...]
 *      [--memory] [--dgemm]
 * </pre>
 * {@code --batches} runs mnist-mlp's hierarchy at each batch size instead
 * ({@link Workload#mnistAtBatch}; {@code bench/peer_batches.py} is the NumPy side).
 * {@code mnist-mlp-learn} (settle, then one Hebbian weight step) runs with Euler only, and not
 * under {@code --memory}.
 * With {@code --dump DIR} (written by {@code python3 shared/bench/peer_numpy.py --dump DIR}) it
 * starts from the peer's weights and data and checks that it reaches the peer's energy to 1e-9
 * relative, exiting 1 if not.
 */
public final class Harness {

    private Harness() {
    }

    /**
     * The command line, parsed by picocli as {@code fena}'s commands are: every option is read before
     * anything runs, so their order does not matter ({@code --dgemm --reps 3} runs three repetitions).
     */
    @Command(name = "Harness", sortOptions = false)
    static final class Options {
        @Option(names = "--dump", paramLabel = "DIR", description = "Start from the NumPy peer's dumped numbers and check its energy.")
        Path dump;

        @Option(names = "--only", paramLabel = "NAME", split = ",", description = "These workloads, in this order.")
        List<String> only;

        @Option(names = "--batches", paramLabel = "B", split = ",", description = "mnist-mlp's hierarchy at these batch sizes instead.")
        List<Integer> batches;

        @Option(names = "--reps", paramLabel = "N", description = "Timed settles per workload (default 5).")
        int reps = 5;

        @Option(names = "--method", paramLabel = "M", description = "euler, rk4 or dopri5 (default euler).")
        String method = "euler";

        @Option(names = "--methods", paramLabel = "M", split = ",", description = "Several integrators side by side, cost per evaluation.")
        List<String> methods;

        @Option(names = "--memory", description = "Peak RSS of one settle per workload.")
        boolean memory;

        @Option(names = "--dgemm", description = "The BLAS ceiling: GFLOP/s of a 1024^2 dgemm.")
        boolean dgemm;

        /** The workloads asked for: {@code --batches}, else {@code --only}, else all five. */
        List<Workload> workloads() {
            List<Workload> work = new ArrayList<>();
            if (batches != null) {
                for (int b : batches) {
                    work.add(Workload.mnistAtBatch(positive("--batches", b)));
                }
            } else if (only != null) {
                for (String name : only) {
                    work.add(Workload.named(name.trim()));
                }
            } else {
                work.addAll(Workload.ALL);
            }
            return work;
        }
    }

    /** {@code n} when it is at least 1; else an error naming the option (reported by {@link #main}). */
    private static int positive(String option, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(option + " expects a whole number >= 1, got " + n);
        }
        return n;
    }

    /**
     * Entry point: {@link #run}, with a user's mistake (an unknown option, an option without its value
     * or with a bad one, an unknown workload or integrator, an unreadable or malformed dump) reported in
     * one line and exit 2 rather than a stack trace.
     */
    public static void main(String[] args) throws IOException {
        Options o = new Options();
        CommandLine cl = new CommandLine(o);
        try {
            cl.parseArgs(args);
            run(o);
        } catch (CommandLine.ParameterException e) {
            System.err.println("Harness: " + e.getMessage() + "; usage: " + cl.getHelp().synopsis(0).strip().replaceAll("\\s+", " "));
            System.exit(2);
        } catch (org.fena.cli.UserError | IllegalArgumentException e) {
            System.err.println("Harness: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs what the options ask for. */
    private static void run(Options o) throws IOException {
        int reps = positive("--reps", o.reps);
        if (o.dgemm) {
            dgemm(1024, reps);
            return;
        }
        Path dump = o.dump;
        List<Workload> work = o.workloads();
        String method = o.method;
        List<String> methods = o.methods;
        boolean memory = o.memory;
        if (memory) {
            for (Workload w : work) {
                if (!w.learns()) {
                    memory(w);
                }
            }
            return;
        }
        if (methods != null) {
            for (Workload w : work) {
                if (!w.learns()) {
                    compareMethods(w, dump, Math.max(reps, 15), methods);
                }
            }
            return;
        }
        boolean ok = true;
        for (Workload w : work) {
            if (w.learns() && method.equals("euler")) {
                ok &= runLearning(w, dump, reps);
            } else if (!w.learns()) {
                ok &= run(w, dump, reps, method);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static Integrator integrator(String method) {
        if (method.equals("dopri5") || method.equals("bs3")) {
            // error control on, first step 0.05: the cost per evaluation includes the controller's work
            return Integrators.create(method, StepSettings.tolerances(1e-6, 1e-9).withStep(0.05));
        }
        return Integrators.create(method, StepSettings.fixed(0.05));
    }

    /** The workload's settle as the peers run it (data clamped, upper layers from zero), recording nothing. */
    private static Settler timedSettler(Hierarchy h, Workload w, double[] x0, String method) {
        return Settler.builder(h).batch(w.batch()).clamp(0, x0).initial(InitialState.zeros())
                .integrator(integrator(method)).stop(StopCriteria.steps(w.steps())).recordEvery(0)
                .traceInMemory(false).build();
    }

    static boolean run(Workload w, Path dump, int reps, String method) {
        Hierarchy h = w.hierarchy(dump, 0);
        double[] x0 = w.data(dump, 0);
        Settler timed = timedSettler(h, w, x0, method);
        warmUp(timed::run);
        double best = Double.POSITIVE_INFINITY;
        long rhs = 0;
        long steps = 0;
        for (int r = 0; r < reps; r++) {
            long s = System.nanoTime();
            SettleResult res = timed.run();
            best = Math.min(best, (System.nanoTime() - s) * 1e-9);
            rhs = res.rhsEvaluations();
            steps = res.steps();
        }
        double energy = peerComparableEnergy(h, x0, w, method);
        double peer = method.equals("euler") ? w.peerEnergy(dump) : Double.NaN;
        double rel = Math.abs(energy - peer) / Math.abs(peer);
        boolean ok = Double.isNaN(peer) || rel <= 1e-9;
        print(w, method, steps, best, rhs, energy, peer, rel, "");
        if (!ok) {
            System.err.printf(Locale.ROOT, "%s: energy %.17g differs from the peer's %.17g by %.3g relative (> 1e-9)%n",
                    w.name(), energy, peer, rel);
        }
        return ok;
    }

    /**
     * The cost per right-hand-side evaluation of several integrators side by side in one JVM: each
     * warmed up, then {@code reps} rounds in which every method settles once in turn, so the
     * machine's slow and fast spells (see bench/PERFORMANCE.md) fall on all of them alike; prints
     * one line per method (best settle, as {@link #run}) with {@code rhs_vs_first}, its cost per
     * evaluation over the first method's, best against best, and the median of the per-round
     * ratios.
     */
    static void compareMethods(Workload w, Path dump, int reps, List<String> methods) {
        Hierarchy h = w.hierarchy(dump, 0);
        double[] x0 = w.data(dump, 0);
        int n = methods.size();
        Settler[] settlers = new Settler[n];
        for (int i = 0; i < n; i++) {
            settlers[i] = timedSettler(h, w, x0, methods.get(i));
            warmUp(settlers[i]::run);
        }
        double[][] perRhs = new double[n][reps];
        double[] best = new double[n];
        long[] rhs = new long[n];
        long[] steps = new long[n];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                SettleResult res = settlers[i].run();
                double sec = (System.nanoTime() - t) * 1e-9;
                best[i] = Math.min(best[i], sec);
                rhs[i] = res.rhsEvaluations();
                steps[i] = res.steps();
                perRhs[i][r] = sec / rhs[i];
            }
        }
        for (int i = 0; i < n; i++) {
            double[] ratios = new double[reps];
            for (int r = 0; r < reps; r++) {
                ratios[r] = perRhs[i][r] / perRhs[0][r];
            }
            double median = new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(ratios);
            double vsFirst = (best[i] / rhs[i]) / (best[0] / rhs[0]);
            print(w, methods.get(i), steps[i], best[i], rhs[i], Double.NaN, Double.NaN, Double.NaN,
                    String.format(Locale.ROOT, ", \"rhs_vs_first\": %.3f, \"rhs_vs_first_median_round\": %.3f", vsFirst,
                            median));
        }
    }

    /**
     * Runs {@code run} until the JIT and the heap are warm: at least three times and three seconds,
     * then, when one run allocates more than a megabyte (a {@link Settler} builds its workspace per
     * run: about 25 MB on mnist-mlp), on until the runs have allocated more than the young
     * generation's current size and the collector has run since (at most 30 s more): only then do
     * new workspaces land on heap pages the process has touched before. Until then their page faults
     * (a paravirtualised kernel path on this machine: 3-8% of a mnist-mlp settle's samples in a perf
     * profile, more or less from JVM to JVM with when the collector first runs) are start-up, not
     * the steady state of a long sweep; NumPy's allocator reuses its freed blocks from the second
     * step on.
     */
    static void warmUp(Runnable run) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes0 = threads.getCurrentThreadAllocatedBytes();
        long runs = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 3_000_000_000L || runs < 3) {
            run.run();
            runs++;
        }
        if ((threads.getCurrentThreadAllocatedBytes() - bytes0) / runs <= (1L << 20)) {
            return;
        }
        long t1 = System.nanoTime();
        long from = threads.getCurrentThreadAllocatedBytes();
        long gc = collections();
        // once the runs since "from" have allocated more than the young generation holds, a collection
        // since then has recycled pages touched before
        while (System.nanoTime() - t1 < 30_000_000_000L
                && (threads.getCurrentThreadAllocatedBytes() - from <= youngBytes() || collections() == gc)) {
            run.run();
        }
    }

    /** Committed size of the young generation's pools (eden and survivors), 0 if the collector does not say. */
    private static long youngBytes() {
        long n = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = p.getName();
            if (p.getType() == MemoryType.HEAP && (name.contains("Eden") || name.contains("Survivor"))) {
                n += p.getUsage().getCommitted();
            }
        }
        return n;
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** One JSON line with the peer scripts' fields, then FENA's own; {@code extra} is appended as is. */
    private static void print(Workload w, String method, long steps, double best, long rhs, double energy, double peer,
            double rel, String extra) {
        StringBuilder dims = new StringBuilder("[");
        for (int i = 0; i < w.dims().length; i++) {
            dims.append(i == 0 ? "" : ", ").append(w.dims()[i]);
        }
        dims.append(']');
        System.out.println(String.format(Locale.ROOT,
                "{\"peer\": \"fena-%s\", \"blas\": \"%s\", \"vector_kernels\": %s, \"gemm_bits\": %d, \"method\": \"%s\", "
                        + "\"workload\": \"%s\", \"dims\": %s, "
                        + "\"batch\": %d, \"steps\": %d, \"dtype\": \"float64\", \"seconds\": %.5f, \"steps_per_s\": %.1f, "
                        + "\"gflops\": %.2f, \"rhs_evaluations\": %d, \"seconds_per_rhs\": %.4g, \"energy\": %s, "
                        + "\"peer_energy\": %s, \"energy_rel_diff\": %s, \"peak_rss_mb\": %d%s}",
                version(), Blas.backendKind(), Blas.vectorKernels().startsWith("on"), Blas.batchProductBits(), method,
                w.name(), dims,
                w.batch(), steps, best, steps / best,
                w.flopsPerStep() * steps / best / 1e9, rhs, best / rhs, energy,
                Double.isNaN(peer) ? "null" : Double.toString(peer), Double.isNaN(peer) ? "null" : String.format(Locale.ROOT, "%.3g", rel),
                peakRssMb(), extra));
    }

    /**
     * {@code mnist-mlp-learn} through FENA's training path: {@link BatchSettler} (the settle
     * {@code PcTrainer} runs per batch) and one {@link LocalLearner} SGD step, timed together as the
     * PyTorch peer times its settle and weight step; every repetition starts from the same weights.
     * Checks the settle's energy against the peer's {@code mnist-mlp} result and the weight step
     * against the rule computed anew from the settled state with plain loops and {@code Math.tanh}.
     */
    static boolean runLearning(Workload w, Path dump, int reps) {
        Hierarchy h = w.hierarchy(dump, 0);
        double[] x0 = w.data(dump, 0);
        int top = h.top();
        double[][] w0 = new double[top][];
        double[][] b0 = new double[top][];
        for (int l = 0; l < top; l++) {
            w0[l] = h.weights(l).clone();
            b0[l] = h.bias(l).clone();
        }
        boolean[] mask = new boolean[h.layers()];
        mask[0] = true;
        BatchSettler bs = new BatchSettler(h, w.batch(), mask, integrator("euler"), StopCriteria.steps(w.steps()));
        bs.clamp(0, x0, 0);
        LocalLearner learner = new LocalLearner(h, UpdateRule.sgd(), w.learnRate());
        double[] y = bs.newState();
        warmUp(() -> settleAndLearn(h, w0, b0, bs, learner, y, null));
        double best = Double.POSITIVE_INFINITY;
        long rhs = 0;
        double[] seconds = new double[1];
        for (int r = 0; r < reps; r++) {
            rhs = settleAndLearn(h, w0, b0, bs, learner, y, seconds).rhsEvaluations();
            best = Math.min(best, seconds[0]);
        }
        double stepRel = weightStepError(h, w0, b0, x0, y, bs.workspace(), w);
        restore(h, w0, b0);
        double energy = peerComparableEnergy(h, x0, w, "euler");
        double peer = w.peerEnergy(dump);
        double rel = Math.abs(energy - peer) / Math.abs(peer);
        boolean ok = (Double.isNaN(peer) || rel <= 1e-9) && stepRel <= 1e-9;
        print(w, "euler", w.steps(), best, rhs, energy, peer, rel,
                String.format(Locale.ROOT, ", \"learn_rate\": %s, \"weight_step_rel_diff\": %.3g", w.learnRate(), stepRel));
        if (!ok) {
            System.err.printf(Locale.ROOT, "%s: energy %.17g (peer %.17g, %.3g relative), weight step off by %.3g relative"
                    + " (both must be <= 1e-9)%n", w.name(), energy, peer, rel, stepRel);
        }
        return ok;
    }

    /**
     * One repetition from the original weights: settle from zeros, then one weight step; the pair's
     * wall time goes to {@code seconds[0]} when {@code seconds} is given.
     */
    private static BatchSettler.Outcome settleAndLearn(Hierarchy h, double[][] w0, double[][] b0, BatchSettler bs,
            LocalLearner learner, double[] y, double[] seconds) {
        restore(h, w0, b0);
        bs.initialise(y, InitMode.ZEROS, null);
        long s = System.nanoTime();
        BatchSettler.Outcome o = bs.settle(y);
        learner.step(bs.workspace(), y);
        if (seconds != null) {
            seconds[0] = (System.nanoTime() - s) * 1e-9;
        }
        return o;
    }

    /**
     * The energy per sample that the peers report, from an untimed settle with a trace: with Euler, E
     * at the start of the last step (the peers' eps of their last iteration, after {@code steps - 1}
     * updates); with other methods, at the final state.
     */
    private static double peerComparableEnergy(Hierarchy h, double[] x0, Workload w, String method) {
        Settler traced = Settler.builder(h).batch(w.batch()).clamp(0, x0).initial(InitialState.zeros())
                .integrator(integrator(method)).stop(StopCriteria.steps(w.steps())).recordEvery(1).build();
        SettleResult tr = traced.run();
        return method.equals("euler") ? tr.trace().energy(tr.trace().size() - 2) / w.batch()
                : tr.energyFinalPerSample();
    }

    private static void restore(Hierarchy h, double[][] w0, double[][] b0) {
        for (int l = 0; l < w0.length; l++) {
            System.arraycopy(w0[l], 0, h.weights(l), 0, w0[l].length);
            System.arraycopy(b0[l], 0, h.bias(l), 0, b0[l].length);
        }
    }

    /**
     * The last repetition's weight change against {@code eta (1/B) sum_b (eps_l ⊙ f'_l)_b x_{l+1,b}'}
     * recomputed from the settled state {@code y} with plain loops and {@code Math.tanh}: the largest
     * difference over the largest expected change, all layers.
     */
    static double weightStepError(Hierarchy h, double[][] w0, double[][] b0, double[] x0, double[] y,
            EnergyWorkspace ws, Workload w) {
        int batch = w.batch();
        double worst = 0;
        double scale = 0;
        for (int l = 0; l < h.top(); l++) {
            int d = h.dim(l);
            int dn = h.dim(l + 1);
            double[] below = l == 0 ? x0 : y;
            int belowOff = l == 0 ? 0 : ws.freeOffset(l);
            int aboveOff = ws.freeOffset(l + 1);
            double[] expect = new double[d * dn];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < d; j++) {
                    double a = b0[l][j];
                    for (int k = 0; k < dn; k++) {
                        a += w0[l][j * dn + k] * y[aboveOff + b * dn + k];
                    }
                    double t = Math.tanh(a);
                    double z = (1 - t * t) * (below[belowOff + b * d + j] - t);
                    for (int k = 0; k < dn; k++) {
                        expect[j * dn + k] += w.learnRate() / batch * z * y[aboveOff + b * dn + k];
                    }
                }
            }
            double[] got = h.weights(l);
            for (int i = 0; i < expect.length; i++) {
                worst = Math.max(worst, Math.abs((got[i] - w0[l][i]) - expect[i]));
                scale = Math.max(scale, Math.abs(expect[i]));
            }
        }
        return worst / scale;
    }

    /**
     * One settle in this (fresh) JVM, no warm-up: prints the peak resident set beside the sizes it
     * should grow with — the weights and {@code B x} the number of units — so that runs of several
     * model sizes show the growth. Run each size in its own JVM.
     */
    static void memory(Workload w) {
        long before = peakRssMb();
        Hierarchy h = w.hierarchy(null, 0);
        Settler s = timedSettler(h, w, w.data(null, 0), "euler");
        s.run();
        long weights = 0;
        long units = 0;
        for (int l = 0; l < w.dims().length; l++) {
            units += w.dims()[l];
            if (l + 1 < w.dims().length) {
                weights += (long) w.dims()[l] * w.dims()[l + 1];
            }
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"workload\": \"%s\", \"weights\": %d, \"batch_x_units\": %d, \"rss_before_mb\": %d, "
                        + "\"peak_rss_mb\": %d}", w.name(), weights, w.batch() * units, before, peakRssMb()));
    }

    /**
     * The machine's ceiling as the peers' README defines it: GFLOP/s of an {@code n x n} dgemm through
     * the same BLAS the settle uses (best of {@code reps} after a warm-up).
     */
    static void dgemm(int n, int reps) {
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble();
            b[i] = rng.nextDouble();
        }
        dev.ludovic.netlib.blas.BLAS blas = Blas.instance();
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < reps + 3; r++) {
            long s = System.nanoTime();
            blas.dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n);
            double t = (System.nanoTime() - s) * 1e-9;
            if (r >= 3) {
                best = Math.min(best, t);
            }
        }
        System.out.println(String.format(Locale.ROOT, "{\"dgemm\": %d, \"blas\": \"%s\", \"seconds\": %.5f, \"gflops\": %.2f}",
                n, Blas.backendKind(), best, 2.0 * n * n * n / best / 1e9));
    }

    static String version() {
        Package p = Harness.class.getPackage();
        return p.getImplementationVersion() == null ? "dev" : p.getImplementationVersion();
    }

    /** Peak resident set of this process (VmHWM), in MB; -1 where /proc is not there. */
    static long peakRssMb() {
        long kb = peakRssKb();
        return kb < 0 ? -1 : kb / 1024;
    }

    /** Peak resident set of this process (VmHWM), in kB; -1 where /proc is not there. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux: no figure
        }
        return -1;
    }
}
