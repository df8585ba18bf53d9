package org.fena.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.fena.bench.Workload;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One evaluation of the settling vector field {@code dx/dt = -(1/tau) dE/dx} of a peer workload:
 * the unit every integrator pays per stage, as a settle evaluates it ({@code stepFlow}) and as a
 * learning rule does ({@code flow}, which also keeps {@code eps}, {@code Pi eps} and {@code f'}).
 * Run with {@code -prof gc} to see the allocation per evaluation once warmed (the target is none).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FlowBenchmark {

    /** Which peer workload. */
    @Param({"tiny", "small-batch1", "mnist-mlp", "wide"})
    public String workload;

    /** Which evaluation. */
    @Param({"stepFlow", "flow"})
    public String call;

    private boolean step;
    private EnergyWorkspace ws;
    private double[] y;
    private double[] out;

    /** Builds the workload's hierarchy, clamps its data and starts the free layers at small values. */
    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.named(workload);
        Hierarchy h = w.hierarchy(null, 0);
        boolean[] clamped = new boolean[w.dims().length];
        clamped[0] = true;
        ws = new EnergyWorkspace(h, w.batch(), clamped);
        ws.setClamped(0, w.data(null, 0));
        y = new double[ws.freeDimension()];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.01 * Math.sin(i);
        }
        out = new double[y.length];
        step = "stepFlow".equals(call);
    }

    /** One evaluation of the field; returns the energy so nothing is optimised away. */
    @Benchmark
    public double flow() {
        return step ? ws.stepFlow(y, out, null) : ws.flow(y, out, null);
    }
}
