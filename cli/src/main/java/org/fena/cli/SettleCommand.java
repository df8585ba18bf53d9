package org.fena.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.TraceSink;
import org.fena.hierarchy.Hierarchy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fena settle}: settles the hierarchy an experiment file describes and writes the run. */
@Command(name = "settle", mixinStandardHelpOptions = true,
        description = "Settle a hierarchy to a stop rule; write summary, trace, final state and manifest.",
        footer = {"", "Example:", "  ./fena settle --config examples/two-layer.yaml --out runs/two-layer", "",
                "Writes DIR/summary.json, trace.csv, final_state.csv, manifest.json and config.yaml",
                "(and states.csv when record.states is true). Exit status: 0 ok, 2 bad input, 3 diverged."})
final class SettleCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML experiment file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Experiment exp = Experiment.load(config);
        String started = Instant.now().toString();
        try (RunDirectory run = RunDirectory.open(out)) {
            Hierarchy h = exp.hierarchy;
            SettleResult r;
            try (BufferedWriter trace = Files.newBufferedWriter(run.file("trace.csv"), StandardCharsets.UTF_8);
                 BufferedWriter states = exp.sampleTimes == null ? null
                         : Files.newBufferedWriter(run.file("states.csv"), StandardCharsets.UTF_8)) {
                StringBuilder header = new StringBuilder("t,energy,grad_norm");
                for (int l = 0; l < h.layers(); l++) {
                    header.append(",energy_l").append(l);
                }
                trace.write(header.append('\n').toString());
                Settler.Builder b = exp.settler().traceInMemory(false).traceSink(csvTrace(trace));
                if (states != null) {
                    states.write("t,layer,sample,index,value\n");
                    int batch = exp.batch;
                    b.sampleStates(exp.sampleTimes, (t, l, v) -> {
                        int d = h.dim(l);
                        try {
                            for (int i = 0; i < v.length; i++) {
                                states.write(t + "," + l + "," + (i / d) + "," + (i % d) + "," + v[i] + "\n");
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    assert batch >= 1;
                }
                r = b.build().run();
            } catch (UncheckedIOException e) {
                throw new UserError(out + ": cannot write the run (" + e.getCause().getMessage() + ")", e);
            }
            writeFinalState(run.file("final_state.csv"), h, r::finalState);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), summary(r));
            json.writeValue(run.file("manifest.json").toFile(), manifest(exp, started, r));
            Files.write(run.file("config.yaml"), exp.bytes);
            run.commit();
            java.io.PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(java.util.Locale.ROOT,
                    "%s: %s after %d steps (%d rhs evaluations), t = %.6g, energy %.6g -> %.6g, |dE/dx| = %.3g%n",
                    exp.name, r.diverged() ? "DIVERGED" : r.converged() ? "converged" : "stopped (" + r.stopRule() + ")",
                    r.steps(), r.rhsEvaluations(), r.tFinal(), r.energyInitial(), r.energyFinal(), r.gradNormFinal());
            stdout.println("wrote " + run.target());
            stdout.flush();
            if (r.diverged()) {
                spec.commandLine().getErr().println("fena: the run " + (r.stopRule().equals("diverged")
                        ? "diverged: " : "failed: ") + r.stopDetail());
                return Main.DIVERGED;
            }
            return Main.OK;
        }
    }

    private static TraceSink csvTrace(Writer w) {
        StringBuilder line = new StringBuilder(256);
        return (t, e, g, perLayer) -> {
            line.setLength(0);
            line.append(t).append(',').append(e).append(',').append(g);
            for (double v : perLayer) {
                line.append(',').append(v);
            }
            line.append('\n');
            try {
                w.append(line);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        };
    }

    /** {@code final_state.csv}: {@code layer,sample,index,value} for every layer's {@code B x d_l} block. */
    static void writeFinalState(Path file, Hierarchy h, java.util.function.IntFunction<double[]> finalState)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("layer,sample,index,value\n");
            for (int l = 0; l < h.layers(); l++) {
                double[] v = finalState.apply(l);
                int d = h.dim(l);
                for (int i = 0; i < v.length; i++) {
                    w.write(l + "," + (i / d) + "," + (i % d) + "," + v[i] + "\n");
                }
            }
        }
    }

    static Object num(double v) {
        return Double.isFinite(v) ? (Object) v : null;
    }

    static List<Object> nums(double[] v) {
        List<Object> out = new ArrayList<>();
        for (double x : v) {
            out.add(num(x));
        }
        return out;
    }

    private static Map<String, Object> summary(SettleResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("converged", r.converged());
        m.put("diverged", r.diverged());
        m.put("stop_rule", r.stopRule());
        m.put("stop_detail", r.stopDetail());
        m.put("steps", r.steps());
        m.put("rejected_steps", r.rejectedSteps());
        m.put("rhs_evaluations", r.rhsEvaluations());
        m.put("t_final", num(r.tFinal()));
        m.put("batch", r.batch());
        m.put("energy_initial", num(r.energyInitial()));
        m.put("energy_final", num(r.energyFinal()));
        m.put("energy_final_per_sample", num(r.energyFinalPerSample()));
        m.put("energy_per_layer_initial", nums(r.energyPerLayerInitial()));
        m.put("energy_per_layer_final", nums(r.energyPerLayerFinal()));
        m.put("grad_norm_initial", num(r.gradNormInitial()));
        m.put("grad_norm_final", num(r.gradNormFinal()));
        m.put("integrator", r.integrator());
        m.put("wall_seconds", r.wallSeconds());
        return m;
    }

    private Map<String, Object> manifest(Experiment exp, String started, SettleResult r) {
        Map<String, Object> m = RunInfo.manifest("settle");
        m.put("seed", exp.seed);
        m.put("config_file", exp.file.toString());
        m.put("config_sha256", RunInfo.sha256(exp.bytes));
        m.put("inputs", exp.inputs());
        m.put("integrator", r.integrator());
        m.put("started_at", started);
        m.put("wall_seconds", r.wallSeconds());
        return m;
    }
}
