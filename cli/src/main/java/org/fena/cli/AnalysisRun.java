package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.fena.dynamics.Settler;
import org.fena.dynamics.stability.FixedPoint;
import org.fena.dynamics.stability.Problem;
import org.fena.dynamics.stability.Relaxation;
import org.fena.hierarchy.EnergyWorkspace;

/**
 * What the analysis commands (stability, phase, sweep) share: one sample of the experiment as a
 * {@link Problem}, its relaxation with the configured integrator and stop rule, the fixed point
 * polished by Newton from where it ended, the configured step, and the manifest.
 */
final class AnalysisRun {

    final Experiment exp;
    final int sample;
    final Problem problem;
    final double[] initial;
    final Relaxation relaxation;
    final FixedPoint fixedPoint;
    final String started = Instant.now().toString();
    final long startNanos = System.nanoTime();

    AnalysisRun(Experiment exp, int sample, boolean keepStates) {
        this.exp = exp;
        if (sample < 0 || sample >= exp.batch) {
            throw new UserError("--sample: expected a sample index in 0.." + (exp.batch - 1) + " (batch " + exp.batch
                    + " in " + exp.file + "), got " + sample);
        }
        this.sample = sample;
        Settler s;
        try {
            s = exp.settler().build();
        } catch (IllegalArgumentException e) {
            throw new UserError(exp.file + ": " + e.getMessage(), e);
        }
        EnergyWorkspace ws = s.newWorkspace();
        double[] y0 = s.initialState(ws);
        Object[] pair = Problem.sample(ws, y0, sample, exp.feedback);
        this.problem = (Problem) pair[0];
        this.initial = (double[]) pair[1];
        this.relaxation = Relaxation.run(problem.flow(), exp.integrator, initial, exp.stop, keepStates);
        double[] from = relaxation.diverged() ? initial : relaxation.finalState();
        this.fixedPoint = FixedPoint.polish(problem.workspace(), exp.feedback, from, FixedPoint.TOLERANCE, 50);
    }

    /** The integrator's configured step ({@code integrator.step}), NaN when the file gives none. */
    double configuredStep() {
        try {
            JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(exp.bytes).path("integrator").path("step");
            return n.isNumber() ? n.asDouble() : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Parses {@code L:I} into the free coordinate it names. */
    int coordinate(String spec, String flag) {
        String[] p = spec == null ? new String[0] : spec.split(":");
        int l;
        int i;
        try {
            if (p.length != 2) {
                throw new NumberFormatException();
            }
            l = Integer.parseInt(p[0].trim());
            i = Integer.parseInt(p[1].trim());
        } catch (NumberFormatException e) {
            throw new UserError(flag + ": expected LAYER:INDEX such as 1:0, got '" + spec + "'");
        }
        var h = problem.hierarchy();
        if (l < 0 || l >= h.layers() || i < 0 || i >= h.dim(l)) {
            throw new UserError(flag + ": no unit " + spec + " in " + exp.file + " (layers 0.." + (h.layers() - 1)
                    + (l >= 0 && l < h.layers() ? ", layer " + l + " has units 0.." + (h.dim(l) - 1) : "") + ")");
        }
        int k = problem.index(l, i);
        if (k < 0) {
            throw new UserError(flag + ": layer " + l + " is clamped in " + exp.file + "; pick a unit of a free layer");
        }
        return k;
    }

    /** Writes manifest.json and config.yaml into the run. */
    void writeManifestAndConfig(RunDirectory run, String command) throws IOException {
        Map<String, Object> m = RunInfo.manifest(command);
        m.put("seed", exp.seed);
        m.put("config_file", exp.file.toString());
        m.put("config_sha256", RunInfo.sha256(exp.bytes));
        m.put("inputs", exp.inputs());
        m.put("integrator", exp.integrator.name());
        m.put("feedback", exp.feedback.toString());
        m.put("sample", sample);
        m.put("started_at", started);
        m.put("wall_seconds", (System.nanoTime() - startNanos) * 1e-9);
        json().writeValue(run.file("manifest.json").toFile(), m);
        Files.write(run.file("config.yaml"), exp.bytes);
    }

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    static Object num(double v) {
        return Double.isFinite(v) ? (Object) v : (Double.isNaN(v) ? null : (v > 0 ? "inf" : "-inf"));
    }
}
