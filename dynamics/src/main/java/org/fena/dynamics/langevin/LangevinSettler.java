package org.fena.dynamics.langevin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.PcFlow;
import org.fena.dynamics.Settler;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.DivergenceException;
import org.fena.integrators.IntegrationResult;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepState;
import org.fena.integrators.StochasticIntegrator;
import org.fena.integrators.StopRules;
import org.fena.integrators.Termination;

/**
 * Annealed (Langevin) settling of a hierarchy's free layers,
 * {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t) / tau_l) dW_l}, from {@code t = 0} to
 * {@code tEnd}, with a fixed-step {@link StochasticIntegrator}. Clamped layers never move and get
 * no noise. Records {@code t}, {@code T(t)}, {@code E}, {@code |dE/dx|} and the per-layer energies.
 *
 * <p>Reproducibility: every sample draws its noise from its own stream ({@link SampleStreams}),
 * so a sample's path depends on the seed, its index and its initial state only. The batch is cut
 * into chunks of {@code samplesPerChunk} samples, each stepped with its own workspace; chunks are
 * spread over {@code threads} threads and recombined in chunk order, so the thread count never
 * changes a result. (Changing the chunk size changes only the rounding of batched products.)
 *
 * <p>With {@code T = 0} throughout, the path is exactly the deterministic method's (explicit Euler
 * for Euler–Maruyama, Heun for stochastic Heun) at the same step.
 */
public final class LangevinSettler {

    private final Settler base;
    private final NoiseSchedule schedule;
    private final StochasticIntegrator integrator;
    private final double tEnd;
    private final long maxSteps;
    private final long seed;
    private final int recordEvery;
    private final int samplesPerChunk;
    private final int threads;
    private final boolean sampleEnergies;

    private LangevinSettler(Builder b) {
        this.base = b.base();
        this.schedule = b.schedule;
        this.integrator = b.integrator;
        this.tEnd = b.tEnd;
        this.maxSteps = b.maxSteps;
        this.seed = b.seed;
        this.recordEvery = b.recordEvery;
        this.samplesPerChunk = b.samplesPerChunk;
        this.threads = b.threads;
        this.sampleEnergies = b.sampleEnergies;
    }

    /**
     * Anneals the settle {@code base} describes (hierarchy, batch, clamps, initial state); its own
     * integrator and stop criteria are not used.
     */
    public static Builder builder(Settler base) {
        return new Builder(base, null);
    }

    /** Anneals {@code hierarchy}; batch, clamps and initial state are set on the builder. */
    public static Builder builder(Hierarchy hierarchy) {
        return new Builder(null, hierarchy);
    }

    /** The temperature schedule. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Runs the annealed settle; a diverging sample is reported, not thrown. */
    public LangevinResult run() {
        long start = System.nanoTime();
        EnergyWorkspace full = base.newWorkspace();
        int batch = full.batch();
        int chunk = samplesPerChunk <= 0 ? batch : Math.min(samplesPerChunk, batch);
        if (chunk == batch) {
            // one chunk, stepped on this very workspace: the prediction a clamped layer makes (the
            // data's, when they sit at the top) is then computed once for the top-down start and
            // every step instead of twice, with the same bits (EnergyWorkspace#holdWeights); nothing
            // changes the weights or the clamps during the run
            full.holdWeights();
        }
        double[] y0 = base.initialState(full);
        SplittableRandom[] streams = SampleStreams.split(seed, batch);
        List<int[]> ranges = new ArrayList<>();
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            ranges.add(new int[] {b0, Math.min(batch, b0 + chunk)});
        }
        List<ChunkOutcome> outcomes = new ArrayList<>();
        int pool = Math.min(threads, ranges.size());
        if (pool <= 1) {
            for (int[] r : ranges) {
                outcomes.add(runChunk(full, y0, streams, r[0], r[1]));
            }
        } else {
            ExecutorService ex = Executors.newFixedThreadPool(pool, task -> {
                Thread t = new Thread(task, "fena-langevin");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<ChunkOutcome>> futures = new ArrayList<>();
                for (int[] r : ranges) {
                    futures.add(ex.submit(() -> runChunk(full, y0, streams, r[0], r[1])));
                }
                for (Future<ChunkOutcome> f : futures) {
                    outcomes.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while settling", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
            } finally {
                ex.shutdownNow();
            }
        }
        return combine(outcomes, batch, (System.nanoTime() - start) * 1e-9);
    }

    private ChunkOutcome runChunk(EnergyWorkspace full, double[] y0, SplittableRandom[] streams, int b0, int b1) {
        Hierarchy h = full.hierarchy();
        int layers = h.layers();
        boolean whole = b0 == 0 && b1 == full.batch();
        EnergyWorkspace ws = whole ? full : slice(full, b0, b1);
        double[] y = whole ? y0.clone() : sliceFree(full, y0, ws, b0);
        // nothing in a chunk reads the workspace's error buffers: states and energies only
        PcFlow flow = new PcFlow(ws, null, true);
        LangevinSystem system = new LangevinSystem(flow, flow.tauPerComponent(), schedule,
                new HierarchyNoise(ws, streams, b0));
        Recorder rec = new Recorder(flow, layers);
        ChunkOutcome out = new ChunkOutcome();
        try {
            IntegrationResult r = integrator.integrate(system, 0.0, y,
                    StopRules.anyOf(StopRules.finalTime(tEnd), StopRules.stepBudget(maxSteps)), rec);
            out.stopRule = r.termination().rule();
            out.detail = r.termination().detail();
            out.steps = r.steps();
            out.tFinal = r.t();
        } catch (DivergenceException e) {
            out.diverged = true;
            out.stopRule = "diverged";
            out.detail = String.format(java.util.Locale.ROOT, "samples %d..%d: %s", b0, b1 - 1, e.getMessage());
            out.steps = e.step();
            out.tFinal = e.time();
        }
        out.evaluations = flow.evaluations();
        out.trace = rec.trace;
        out.finals = new double[layers][];
        for (int l = 0; l < layers; l++) {
            out.finals[l] = new double[ws.batch() * h.dim(l)];
            ws.layerState(y, l, out.finals[l]);
        }
        if (sampleEnergies) {
            out.sampleEnergies = out.diverged ? nan(ws.batch()) : sampleEnergies(ws, y);
        }
        return out;
    }

    private LangevinResult combine(List<ChunkOutcome> outs, int batch, double wall) {
        Hierarchy h = base.hierarchy();
        int layers = h.layers();
        int rows = Integer.MAX_VALUE;
        boolean diverged = false;
        String stopRule = null;
        String detail = null;
        long steps = 0;
        long evals = 0;
        double tFinal = Double.POSITIVE_INFINITY;
        for (ChunkOutcome o : outs) {
            rows = Math.min(rows, o.trace.size());
            evals += o.evaluations;
            if (o.diverged && !diverged) {
                diverged = true;
                stopRule = o.stopRule;
                detail = o.detail;
            }
            if (!diverged) {
                stopRule = o.stopRule;
                detail = o.detail;
            }
            steps = Math.max(steps, o.steps);
            tFinal = Math.min(tFinal, o.tFinal);
        }
        LangevinTrace trace = new LangevinTrace(layers);
        double[] perLayer = new double[layers];
        for (int i = 0; i < rows; i++) {
            double e = 0;
            double g2 = 0;
            Arrays.fill(perLayer, 0.0);
            for (ChunkOutcome o : outs) {
                e += o.trace.energy(i);
                double g = o.trace.gradNorm(i);
                g2 += g * g;
                for (int l = 0; l < layers; l++) {
                    perLayer[l] += o.trace.layerEnergy(i, l);
                }
            }
            LangevinTrace first = outs.get(0).trace;
            trace.row(first.t(i), first.temperature(i), e, Math.sqrt(g2), perLayer);
        }
        double[][] finals = new double[layers][];
        double[] sampleEnergies = this.sampleEnergies ? new double[batch] : null;
        for (int l = 0; l < layers; l++) {
            finals[l] = new double[batch * h.dim(l)];
            int pos = 0;
            for (ChunkOutcome o : outs) {
                System.arraycopy(o.finals[l], 0, finals[l], pos, o.finals[l].length);
                pos += o.finals[l].length;
            }
        }
        int pos = 0;
        for (ChunkOutcome o : outs) {
            if (sampleEnergies != null) {
                System.arraycopy(o.sampleEnergies, 0, sampleEnergies, pos, o.sampleEnergies.length);
                pos += o.sampleEnergies.length;
            }
        }
        int last = trace.size() - 1;
        double[] perLayerInitial = new double[layers];
        double[] perLayerFinal = new double[layers];
        for (int l = 0; l < layers; l++) {
            perLayerInitial[l] = trace.layerEnergy(0, l);
            perLayerFinal[l] = diverged ? Double.NaN : trace.layerEnergy(last, l);
        }
        return new LangevinResult(schedule.label(), integrator.name(), integrator.step(), seed, batch, diverged,
                stopRule, detail, steps, evals, tFinal, schedule.temperature(tFinal), trace.energy(0),
                diverged ? Double.NaN : trace.energy(last), sampleEnergies, perLayerInitial, perLayerFinal,
                trace.gradNorm(0), diverged ? Double.NaN : trace.gradNorm(last), wall, finals, trace);
    }

    /** A workspace for samples {@code b0..b1-1} of {@code full}, with their clamps. */
    static EnergyWorkspace slice(EnergyWorkspace full, int b0, int b1) {
        Hierarchy h = full.hierarchy();
        boolean[] mask = new boolean[h.layers()];
        for (int l = 0; l < mask.length; l++) {
            mask[l] = full.isClamped(l);
        }
        EnergyWorkspace ws = new EnergyWorkspace(h, b1 - b0, mask);
        for (int l = 0; l < mask.length; l++) {
            if (mask[l]) {
                int d = h.dim(l);
                ws.setClamped(l, Arrays.copyOfRange(full.clampedValues(l), b0 * d, b1 * d));
            }
        }
        return ws;
    }

    /** Samples {@code b0..} of a free vector of {@code full}, laid out for {@code part}. */
    static double[] sliceFree(EnergyWorkspace full, double[] y, EnergyWorkspace part, int b0) {
        Hierarchy h = full.hierarchy();
        double[] out = new double[part.freeDimension()];
        for (int l = 0; l < h.layers(); l++) {
            if (!full.isClamped(l)) {
                int d = h.dim(l);
                System.arraycopy(y, full.freeOffset(l) + b0 * d, out, part.freeOffset(l), part.batch() * d);
            }
        }
        return out;
    }

    /** Each sample's energy at free state {@code y} of {@code ws}. */
    static double[] sampleEnergies(EnergyWorkspace ws, double[] y) {
        int batch = ws.batch();
        if (batch == 1) {
            return new double[] {ws.energy(y, null)};
        }
        double[] out = new double[batch];
        for (int s = 0; s < batch; s++) {
            EnergyWorkspace one = slice(ws, s, s + 1);
            out[s] = one.energy(sliceFree(ws, y, one, s), null);
        }
        return out;
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** One chunk's run. */
    private static final class ChunkOutcome {
        boolean diverged;
        String stopRule;
        String detail;
        long steps;
        double tFinal;
        long evaluations;
        LangevinTrace trace;
        double[][] finals;
        double[] sampleEnergies;
    }

    /** Records {@code t, T(t), E, |dE/dx|} at the start, every {@code recordEvery} steps and at the end. */
    private final class Recorder implements StepObserver {
        private final PcFlow flow;
        private final double[] perLayer;
        final LangevinTrace trace;
        private long lastRecorded = -1;

        Recorder(PcFlow flow, int layers) {
            this.flow = flow;
            this.perLayer = new double[layers];
            this.trace = new LangevinTrace(layers);
        }

        @Override
        public void start(StepState s) {
            record(s);
        }

        @Override
        public void step(StepState s) {
            if (recordEvery > 0 && s.steps() % recordEvery == 0) {
                record(s);
            }
        }

        @Override
        public void finish(StepState s, Termination termination) {
            if (lastRecorded != s.steps()) {
                record(s);
            }
        }

        private void record(StepState s) {
            double e = flow.energy(s.t(), s.y(), perLayer);
            trace.row(s.t(), schedule.temperature(s.t()), e, flow.gradientNorm(s.yDot()), perLayer);
            lastRecorded = s.steps();
        }
    }

    /** Describes an annealed settle; schedule and integrator are required. */
    public static final class Builder {
        private final Settler settler;
        private final Settler.Builder own;
        private NoiseSchedule schedule;
        private StochasticIntegrator integrator;
        private double tEnd = Double.NaN;
        private long maxSteps = Long.MAX_VALUE;
        private long seed;
        private int recordEvery = 1;
        private int samplesPerChunk;
        private int threads = 1;
        private boolean sampleEnergies = true;

        private Builder(Settler settler, Hierarchy hierarchy) {
            this.settler = settler;
            // the description needs an integrator to be built; the stochastic one below replaces it
            this.own = settler == null ? Settler.builder(hierarchy)
                    .integrator(new org.fena.integrators.EulerMaruyama(1.0)) : null;
        }

        private Settler base() {
            return settler != null ? settler : own.build();
        }

        private Settler.Builder own(String what) {
            if (own == null) {
                throw new IllegalStateException(what + " comes from the Settler this builder was given");
            }
            return own;
        }

        /** Number of samples settled together (default 1). */
        public Builder batch(int b) {
            own("batch").batch(b);
            return this;
        }

        /** Clamps layer {@code l} to {@code values} ({@code B x d_l}, or one row for every sample). */
        public Builder clamp(int l, double[] values) {
            own("clamp").clamp(l, values);
            return this;
        }

        /** Initial state of the free layers (default zeros). */
        public Builder initial(InitialState s) {
            own("initial").initial(s);
            return this;
        }

        /** Initial values of some free layers, the rest at {@code fallback}. */
        public Builder initial(Map<Integer, double[]> values, InitialState fallback) {
            return initial(InitialState.explicit(values, fallback));
        }

        /** {@code T(t)}. */
        public Builder schedule(NoiseSchedule s) {
            this.schedule = s;
            return this;
        }

        /** The fixed-step stochastic integrator. */
        public Builder integrator(StochasticIntegrator i) {
            this.integrator = i;
            return this;
        }

        /** Final simulated time (required). */
        public Builder tEnd(double t) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("t_end must be a finite number > 0, got " + t);
            }
            this.tEnd = t;
            return this;
        }

        /** Budget of steps (default none). */
        public Builder maxSteps(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("max_steps must be >= 1, got " + n);
            }
            this.maxSteps = n;
            return this;
        }

        /** Master seed of the per-sample noise streams (default 0). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** A trace row every {@code n >= 1} steps (first and last always; 0: those two only). */
        public Builder recordEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("record every must be >= 0, got " + n);
            }
            this.recordEvery = n;
            return this;
        }

        /** Samples per chunk stepped by one thread (default 0: the whole batch in one chunk). */
        public Builder samplesPerChunk(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("samples per chunk must be >= 0, got " + n);
            }
            this.samplesPerChunk = n;
            return this;
        }

        /** Threads over chunks (default 1); never changes the result. */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + n);
            }
            this.threads = n;
            return this;
        }

        /**
         * Whether the result carries each sample's final energy
         * ({@link LangevinResult#energyFinalPerSample}; default true, else that is null). Each is
         * evaluated on a workspace of its own sample, so that it does not depend on the chunks: B
         * single-sample evaluations after the run, which a caller that reads only the final states
         * (a dream of generative replay) need not pay.
         */
        public Builder sampleEnergies(boolean keep) {
            this.sampleEnergies = keep;
            return this;
        }

        /** Checks the description and freezes it. */
        public LangevinSettler build() {
            if (schedule == null) {
                throw new IllegalArgumentException("no temperature schedule given");
            }
            if (integrator == null) {
                throw new IllegalArgumentException("no stochastic integrator given");
            }
            if (Double.isNaN(tEnd)) {
                throw new IllegalArgumentException("no final time t_end given");
            }
            return new LangevinSettler(this);
        }
    }
}
