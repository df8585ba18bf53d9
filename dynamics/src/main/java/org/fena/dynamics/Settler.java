package org.fena.dynamics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.DivergenceException;
import org.fena.integrators.IntegrationException;
import org.fena.integrators.IntegrationResult;
import org.fena.integrators.Integrator;
import org.fena.integrators.SampledObserver;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepState;
import org.fena.integrators.StopRule;
import org.fena.integrators.StopRules;
import org.fena.integrators.Termination;

/**
 * Settles a hierarchy: clamps some layers to data, starts the free ones from an
 * {@link InitialState}, and integrates {@code tau_l dx_l/dt = -dE/dx_l} with the chosen
 * integrator until the {@link StopCriteria} end it, recording energy, per-layer energy and the
 * gradient norm, and optionally the states at sample times.
 *
 * <p>A settler is an immutable description: {@link #run()} sizes a fresh workspace each time, so
 * one settler may be run from several threads at once.
 */
public final class Settler {

    private final Hierarchy hierarchy;
    private final int batch;
    private final Map<Integer, double[]> clamps;
    private final InitialState initial;
    private final Integrator integrator;
    private final StopCriteria stop;
    private final int recordEvery;
    private final boolean traceInMemory;
    private final List<TraceSink> traceSinks;
    private final double[] sampleTimes;
    private final List<StateSink> stateSinks;
    private final List<StepObserver> observers;
    private final org.fena.dynamics.stability.Feedback feedback;

    private Settler(Builder b) {
        this.feedback = b.feedback;
        this.hierarchy = b.hierarchy;
        this.batch = b.batch;
        this.clamps = new LinkedHashMap<>(b.clamps);
        this.initial = b.initial;
        this.integrator = b.integrator;
        this.stop = b.stop;
        this.recordEvery = b.recordEvery;
        this.traceInMemory = b.traceInMemory;
        this.traceSinks = List.copyOf(b.traceSinks);
        this.sampleTimes = b.sampleTimes == null ? null : b.sampleTimes.clone();
        this.stateSinks = List.copyOf(b.stateSinks);
        this.observers = List.copyOf(b.observers);
    }

    /** Starts describing a settle of {@code hierarchy}. */
    public static Builder builder(Hierarchy hierarchy) {
        return new Builder(hierarchy);
    }

    /** The hierarchy being settled. */
    public Hierarchy hierarchy() {
        return hierarchy;
    }

    /** Which layers are clamped, indexed by layer. */
    public boolean[] clampMask() {
        boolean[] mask = new boolean[hierarchy.layers()];
        for (int l : clamps.keySet()) {
            mask[l] = true;
        }
        return mask;
    }

    /** A workspace with this settle's clamps set, ready for evaluation. */
    public EnergyWorkspace newWorkspace() {
        EnergyWorkspace ws = new EnergyWorkspace(hierarchy, batch, clampMask());
        for (Map.Entry<Integer, double[]> e : clamps.entrySet()) {
            ws.setClamped(e.getKey(), broadcast(e.getValue(), e.getKey(), "clamp"));
        }
        return ws;
    }

    /** The initial free state, laid out as the workspace's free vector. */
    public double[] initialState(EnergyWorkspace ws) {
        double[] y = new double[ws.freeDimension()];
        fillInitial(ws, y, initial);
        return y;
    }

    /** Runs the settle and returns its result; a diverging state is reported, not thrown. */
    public SettleResult run() {
        EnergyWorkspace ws = newWorkspace();
        double[] y = initialState(ws);
        // the workspace stays inside this run and nothing here reads its error buffers
        PcFlow flow = new PcFlow(ws, feedback, true);
        Trace trace = traceInMemory ? new Trace(hierarchy.layers()) : null;
        Recorder recorder = new Recorder(flow, trace);
        List<StepObserver> all = new ArrayList<>();
        all.add(recorder);
        if (sampleTimes != null && !stateSinks.isEmpty()) {
            double[][] layerBuffers = new double[hierarchy.layers()][];
            for (int l = 0; l < layerBuffers.length; l++) {
                layerBuffers[l] = new double[batch * hierarchy.dim(l)];
            }
            all.add(new SampledObserver(sampleTimes, (t, state) -> emitStates(ws, t, state, layerBuffers)));
        }
        all.addAll(observers);
        StopRule rule = stopRule(flow);
        long start = System.nanoTime();
        boolean diverged = false;
        String stopRule;
        String detail;
        boolean converged;
        long steps;
        long rejected;
        double tFinal;
        try {
            IntegrationResult r = integrator.integrate(flow, 0.0, y, rule, all.toArray(new StepObserver[0]));
            Termination term = r.termination();
            stopRule = term.rule();
            detail = term.detail();
            converged = term.converged();
            steps = r.steps();
            rejected = r.rejectedSteps();
            tFinal = r.t();
        } catch (DivergenceException e) {
            diverged = true;
            converged = false;
            stopRule = "diverged";
            detail = e.getMessage();
            steps = e.step();
            rejected = recorder.rejected;
            tFinal = e.time();
        } catch (IntegrationException e) {
            // an adaptive method that cannot find a finite step gives up by step underflow: report it as a
            // failed run, like a divergence, rather than losing the trace recorded so far
            diverged = true;
            converged = false;
            stopRule = "integration-failed";
            detail = e.getMessage();
            steps = recorder.steps;
            rejected = recorder.rejected;
            tFinal = recorder.t;
        }
        double wall = (System.nanoTime() - start) * 1e-9;
        double[][] finals = new double[hierarchy.layers()][];
        for (int l = 0; l < finals.length; l++) {
            finals[l] = new double[batch * hierarchy.dim(l)];
            ws.layerState(y, l, finals[l]);
        }
        double[] perLayerFinal = diverged ? nanArray(hierarchy.layers()) : recorder.lastPerLayer.clone();
        return new SettleResult(converged, diverged, stopRule, detail, integrator.name(), batch, steps,
                rejected, flow.evaluations(), tFinal, recorder.energyInitial,
                diverged ? Double.NaN : recorder.lastEnergy, recorder.perLayerInitial, perLayerFinal,
                recorder.gradInitial, diverged ? Double.NaN : recorder.lastGrad, wall, finals, trace);
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private StopRule stopRule(PcFlow flow) {
        List<StopRule> rules = new ArrayList<>();
        if (!Double.isInfinite(stop.tMax())) {
            rules.add(StopRules.finalTime(stop.tMax()));
        }
        if (stop.maxSteps() != Long.MAX_VALUE) {
            rules.add(StopRules.stepBudget(stop.maxSteps()));
        }
        if (stop.gradTol() > 0 || stop.gradRtol() > 0) {
            rules.add(StopRules.derivativeNorm(stop.gradTol(), stop.gradRtol(), flow.tauPerComponent()));
        }
        if (stop.energyTol() > 0) {
            rules.add(StopRules.change(s -> flow.energy(s.t(), s.y(), null), stop.energyTol(),
                    stop.energyTol(), stop.energyWindow()));
        }
        return StopRules.anyOf(rules.toArray(new StopRule[0]));
    }

    /** Hands every layer's state to the sinks through buffers sized once per run (sinks copy what they keep). */
    private void emitStates(EnergyWorkspace ws, double t, double[] state, double[][] buffers) {
        for (int l = 0; l < hierarchy.layers(); l++) {
            double[] buf = buffers[l];
            ws.layerState(state, l, buf);
            for (StateSink sink : stateSinks) {
                sink.state(t, l, buf);
            }
        }
    }

    private double[] broadcast(double[] values, int l, String what) {
        int d = hierarchy.dim(l);
        if (values.length == batch * d) {
            return values.clone();
        }
        if (values.length == d) {
            double[] out = new double[batch * d];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(values, 0, out, b * d, d);
            }
            return out;
        }
        throw new IllegalArgumentException(String.format(
                "%s of layer %d: expected %d values (batch %d x dim %d) or one row of %d, got %d",
                what, l, batch * d, batch, d, d, values.length));
    }

    private void fillInitial(EnergyWorkspace ws, double[] y, InitialState rule) {
        if (rule instanceof InitialState.Zeros) {
            return;
        }
        if (rule instanceof InitialState.Random r) {
            SplittableRandom rng = new SplittableRandom(r.seed());
            for (int i = 0; i < y.length; i++) {
                y[i] = r.std() * rng.nextGaussian();
            }
            return;
        }
        if (rule instanceof InitialState.TopDown) {
            topDown(ws, y);
            return;
        }
        InitialState.Explicit ex = (InitialState.Explicit) rule;
        fillInitial(ws, y, ex.fallback());
        for (Map.Entry<Integer, double[]> e : ex.values().entrySet()) {
            int l = e.getKey();
            int off = ws.freeOffset(l);
            if (off < 0) {
                throw new IllegalArgumentException("initial state given for layer " + l
                        + ", which is clamped");
            }
            double[] v = broadcast(e.getValue(), l, "initial state");
            System.arraycopy(v, 0, y, off, v.length);
        }
    }

    private void topDown(EnergyWorkspace ws, double[] y) {
        int top = hierarchy.layers() - 1;
        int topOff = ws.freeOffset(top);
        if (topOff >= 0 && hierarchy.hasPrior()) {
            double[] m = hierarchy.priorMean();
            for (int b = 0; b < batch; b++) {
                System.arraycopy(m, 0, y, topOff + b * m.length, m.length);
            }
        }
        for (int l = top - 1; l >= 0; l--) {
            int off = ws.freeOffset(l);
            if (off >= 0) {
                double[] mu = new double[batch * hierarchy.dim(l)];
                ws.topDownPrediction(y, l, mu);
                System.arraycopy(mu, 0, y, off, mu.length);
            }
        }
    }

    /** Records energy and gradient norm at the start, every {@code recordEvery} steps, and at the end. */
    private final class Recorder implements StepObserver {
        private final PcFlow flow;
        private final Trace trace;
        private final double[] perLayer;
        double[] lastPerLayer;
        double[] perLayerInitial;
        double energyInitial;
        double gradInitial;
        double lastEnergy;
        double lastGrad;
        long rejected;
        long steps;
        double t;
        private long lastRecordedStep = -1;

        Recorder(PcFlow flow, Trace trace) {
            this.flow = flow;
            this.trace = trace;
            this.perLayer = new double[hierarchy.layers()];
            this.lastPerLayer = new double[hierarchy.layers()];
        }

        @Override
        public void start(StepState s) {
            measure(s);
            energyInitial = lastEnergy;
            gradInitial = lastGrad;
            perLayerInitial = lastPerLayer.clone();
            emit(s);
        }

        @Override
        public void step(StepState s) {
            rejected = s.rejectedSteps();
            steps = s.steps();
            t = s.t();
            if (recordEvery > 0 && s.steps() % recordEvery == 0) {
                measure(s);
                emit(s);
            }
        }

        @Override
        public void finish(StepState s, Termination termination) {
            if (lastRecordedStep != s.steps()) {
                measure(s);
                if (recordEvery > 0) {
                    emit(s);
                }
            }
        }

        private void measure(StepState s) {
            lastEnergy = flow.energy(s.t(), s.y(), perLayer);
            System.arraycopy(perLayer, 0, lastPerLayer, 0, perLayer.length);
            lastGrad = flow.gradientNorm(s.yDot());
            lastRecordedStep = s.steps();
        }

        private void emit(StepState s) {
            if (trace != null) {
                trace.row(s.t(), lastEnergy, lastGrad, perLayer);
            }
            for (TraceSink sink : traceSinks) {
                sink.row(s.t(), lastEnergy, lastGrad, perLayer);
            }
        }
    }

    /** Describes a settle; every setting has a default except the integrator. */
    public static final class Builder {
        private final Hierarchy hierarchy;
        private int batch = 1;
        private final Map<Integer, double[]> clamps = new LinkedHashMap<>();
        private InitialState initial = InitialState.zeros();
        private Integrator integrator;
        private StopCriteria stop = StopCriteria.gradient(1e-6, 1e4, 10_000_000L);
        private int recordEvery = 1;
        private boolean traceInMemory = true;
        private final List<TraceSink> traceSinks = new ArrayList<>();
        private double[] sampleTimes;
        private final List<StateSink> stateSinks = new ArrayList<>();
        private final List<StepObserver> observers = new ArrayList<>();
        private org.fena.dynamics.stability.Feedback feedback;

        private Builder(Hierarchy hierarchy) {
            this.hierarchy = hierarchy;
        }

        /** Number of samples settled together (default 1). */
        public Builder batch(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + b);
            }
            this.batch = b;
            return this;
        }

        /** Clamps layer {@code l} to {@code values} ({@code B x d_l}, or one row for every sample). */
        public Builder clamp(int l, double[] values) {
            if (l < 0 || l >= hierarchy.layers()) {
                throw new IllegalArgumentException("clamp: no layer " + l + " (layers 0.."
                        + (hierarchy.layers() - 1) + ")");
            }
            clamps.put(l, values.clone());
            return this;
        }

        /** How the free layers start (default zeros). */
        public Builder initial(InitialState s) {
            this.initial = s;
            return this;
        }

        /** The integrator that steps the flow. */
        public Builder integrator(Integrator i) {
            this.integrator = i;
            return this;
        }

        /** When settling stops (default {@code |dE/dx| <= 1e-6}, {@code t <= 1e4}). */
        public Builder stop(StopCriteria s) {
            this.stop = s;
            return this;
        }

        /** Record a trace row every {@code n} accepted steps (0: only start and end go to result). */
        public Builder recordEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("record every must be >= 0, got " + n);
            }
            this.recordEvery = n;
            return this;
        }

        /** Whether the trace is kept in memory in the result (default true; false for long runs). */
        public Builder traceInMemory(boolean keep) {
            this.traceInMemory = keep;
            return this;
        }

        /** Also send every recorded row to {@code sink} (e.g. a CSV stream). */
        public Builder traceSink(TraceSink sink) {
            traceSinks.add(sink);
            return this;
        }

        /** Send the states of every layer at these increasing times to {@code sink}. */
        public Builder sampleStates(double[] times, StateSink sink) {
            this.sampleTimes = times.clone();
            stateSinks.add(sink);
            return this;
        }

        /**
         * How errors travel up (default: the exact transpose, a gradient flow). Random feedback
         * (feedback alignment) settles a field that is not a gradient flow: energy may rise.
         */
        public Builder feedback(org.fena.dynamics.stability.Feedback f) {
            this.feedback = f;
            return this;
        }

        /** An extra observer of every accepted step of the free state. */
        public Builder observer(StepObserver o) {
            observers.add(o);
            return this;
        }

        /** Checks the description and freezes it. */
        public Settler build() {
            if (integrator == null) {
                throw new IllegalArgumentException("no integrator given");
            }
            if (clamps.size() == hierarchy.layers()) {
                throw new IllegalArgumentException("every layer is clamped: nothing to settle");
            }
            Settler s = new Settler(this);
            for (Map.Entry<Integer, double[]> e : clamps.entrySet()) {
                s.broadcast(e.getValue(), e.getKey(), "clamp");
            }
            return s;
        }
    }
}
