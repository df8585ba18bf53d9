package org.fena.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.fena.bench.Workload;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.Integrator;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * A whole settle of a peer workload through {@link Settler} — integrator, stop rule, observers and
 * the vector field — for its step count at step 0.05 ({@code steps} sets another: a short settle, such as
 * {@code -p workload=small-batch1 -p steps=50}, shows what each settle costs besides its steps: a new
 * workspace, its weight copies, the result). With {@code method=rk4} or {@code dopri5}
 * the auxiliary counter {@code rhs} gives the evaluations per settle, so the cost per evaluation
 * can be compared with Euler's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SettleBenchmark {

    /** Which peer workload. */
    @Param({"tiny", "small-batch1", "mnist-mlp"})
    public String workload;

    /** Which integrator. */
    @Param({"euler", "rk4", "dopri5"})
    public String method;

    /** Steps per settle; 0 takes the workload's own count. */
    @Param({"0"})
    public int steps;

    private Settler settler;

    /** Evaluations of the vector field per settle, reported beside the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cost {
        /** Right-hand-side evaluations. */
        public long rhs;
    }

    /** Describes the settle once; each invocation runs it from the start. */
    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.named(workload);
        Hierarchy h = w.hierarchy(null, 0);
        Integrator it = method.equals("dopri5")
                ? Integrators.create(method, StepSettings.tolerances(1e-6, 1e-9).withStep(0.05))
                : Integrators.create(method, StepSettings.fixed(0.05));
        settler = Settler.builder(h).batch(w.batch()).clamp(0, w.data(null, 0)).initial(InitialState.zeros())
                .integrator(it).stop(StopCriteria.steps(steps > 0 ? steps : w.steps())).recordEvery(0).traceInMemory(false).build();
    }

    /** One settle; returns the final energy so nothing is optimised away. */
    @Benchmark
    public double settle(Cost cost) {
        SettleResult r = settler.run();
        cost.rhs += r.rhsEvaluations();
        return r.energyFinal();
    }
}
