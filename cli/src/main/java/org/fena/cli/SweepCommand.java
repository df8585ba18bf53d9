package org.fena.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fena.dynamics.stability.ParameterSweep;
import org.fena.dynamics.stability.StabilityRegion;
import org.fena.dynamics.stability.SweepParameter;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.plots.BifurcationFigure;
import org.fena.plots.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena sweep}: varies one parameter over a range, continues the fixed point along it,
 * records its type and spectrum at every value, and locates by bisection where the leading
 * eigenvalue crosses zero or the configured integrator's one-step spectral radius crosses one.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Sweep a parameter: fixed points, leading eigenvalues, stability crossings (bifurcation data).",
        footer = {"", "Example:",
                "  ./fena sweep --config examples/stability-feedback.yaml --param feedback.scale --from 0 --to 3 --points 13 --out runs/sweep",
                "  ./fena sweep --config examples/sweep-2d.yaml --out runs/sweep-2d          # grid from the sweep: section",
                "", "With --engine, --master, --param2 or a sweep: section in the config (and no --param), the points",
                "form a 1-D or 2-D grid of independent tasks on the local engine or Spark (see docs/cluster.md);",
                "otherwise the fixed point is continued from point to point on one thread.",
                "", "PATH: layers[L].tau, layers[L].precision (a scale on Pi_L), weights[L].gain, integrator.step,",
                "feedback.scale, feedback.mix.",
                "Writes DIR/sweep.csv, eigenvalues.csv, crossings.csv, sweep.json, bifurcation_eigenvalues.{png,svg},",
                "bifurcation_states.{png,svg}, manifest.json, config.yaml. Exit status: 0 ok, 2 bad input."})
final class SweepCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML experiment file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--param", paramLabel = "PATH", description = "The parameter, e.g. layers[1].tau (or the config's sweep: section).")
    String param;

    @Option(names = "--from", paramLabel = "A", description = "First value.")
    Double from;

    @Option(names = "--to", paramLabel = "B", description = "Last value.")
    Double to;

    @Option(names = "--points", defaultValue = "21", paramLabel = "N", description = "Number of values (default 21).")
    int points;

    @Option(names = "--log", description = "Geometric spacing (A and B > 0).")
    boolean log;

    @Option(names = "--sample", paramLabel = "K", description = "Which sample of the batch (default 0).")
    Integer sample;

    @Option(names = "--param2", paramLabel = "PATH", description = "A second parameter: a 2-D grid (first parameter slowest).")
    String param2;

    @Option(names = "--from2", paramLabel = "A", description = "First value of the second parameter.")
    Double from2;

    @Option(names = "--to2", paramLabel = "B", description = "Last value of the second parameter.")
    Double to2;

    @Option(names = "--points2", defaultValue = "21", paramLabel = "N", description = "Values of the second parameter (default 21).")
    int points2;

    @Option(names = "--log2", description = "Geometric spacing of the second parameter.")
    boolean log2;

    @picocli.CommandLine.Mixin
    EngineFlags engineFlags;

    @Override
    public Integer call() throws IOException {
        String started = EngineFlags.now();
        Experiment exp = Experiment.load(config);
        boolean fromConfig = param == null && !exp.section("sweep").isMissing();
        if (engineFlags.given() || param2 != null || fromConfig) {
            // independent grid points as a job: the form that runs on an engine, and the only 2-D one
            List<GridSweep.Axis> axes;
            if (param == null) {
                axes = GridSweep.fromConfig(exp);
            } else {
                axes = new ArrayList<>();
                axes.add(GridSweep.check(new GridSweep.Axis(parse("--param", param), need("--from", from),
                        need("--to", to), points, log), "--param: "));
                if (param2 != null) {
                    axes.add(GridSweep.check(new GridSweep.Axis(parse("--param2", param2), need("--from2", from2),
                            need("--to2", to2), points2, log2), "--param2: "));
                }
            }
            int k = sample != null ? sample : GridSweep.sampleFromConfig(exp);
            return GridSweep.run(this, exp, axes, k, engineFlags, started);
        }
        if (param == null) {
            throw new UserError("--param: say what to sweep (e.g. --param layers[1].tau --from 0.5 --to 4), or give the"
                    + " config a sweep: section");
        }
        double from = need("--from", this.from);
        double to = need("--to", this.to);
        int sample = this.sample == null ? 0 : this.sample;
        SweepParameter p;
        try {
            p = SweepParameter.parse(param);
        } catch (IllegalArgumentException e) {
            throw new UserError("--param: " + e.getMessage());
        }
        if (points < 2 || points > 10_000) {
            throw new UserError("--points: expected a whole number in 2..10000, got " + points);
        }
        if (!Double.isFinite(from) || !Double.isFinite(to) || from == to) {
            throw new UserError("--from/--to: expected two different finite numbers, got " + from + " and " + to);
        }
        boolean positive = p.kind() != SweepParameter.Kind.FEEDBACK_SCALE && p.kind() != SweepParameter.Kind.FEEDBACK_MIX
                && p.kind() != SweepParameter.Kind.WEIGHT_GAIN;
        if ((log || positive) && (from <= 0 || to <= 0)) {
            throw new UserError("--from/--to: " + p.path() + (log ? " on a log scale" : "") + " needs values > 0, got "
                    + from + " and " + to);
        }
        if (p.kind() == SweepParameter.Kind.FEEDBACK_MIX && (Math.min(from, to) < 0 || Math.max(from, to) > 1)) {
            throw new UserError("--from/--to: feedback.mix lies in [0, 1], got " + from + " and " + to);
        }
        try (RunDirectory run = RunDirectory.open(out)) {
            AnalysisRun a = new AnalysisRun(exp, sample, false);
            try {
                p.check(a.problem);
            } catch (IllegalArgumentException e) {
                throw new UserError("--param: " + e.getMessage() + " in " + exp.file);
            }
            StabilityRegion region = StabilityRegion.forIntegrator(exp.integrator.name());
            double step = a.configuredStep();
            ParameterSweep sweep = new ParameterSweep(a.problem, p, region, step);
            double[] values = ParameterSweep.values(from, to, points, log);
            List<ParameterSweep.Point> pts = sweep.run(values, a.initial);
            List<ParameterSweep.Crossing> cr = sweep.crossings(pts);
            var h = a.problem.hierarchy();
            List<String> hd = new ArrayList<>(List.of("value", "converged", "stable", "type_code", "residual",
                    "leading_re", "leading_im", "spectral_radius", "largest_stable_step"));
            for (int l = 0; l < h.layers(); l++) {
                if (!a.problem.clamped()[l]) {
                    hd.add("norm_l" + l);
                }
            }
            Table sw = new Table(hd);
            Table eig = new Table("value", "mode", "re", "im");
            for (ParameterSweep.Point q : pts) {
                double[] row = new double[hd.size()];
                row[0] = q.value();
                row[1] = q.converged() ? 1 : 0;
                row[2] = q.type().isStable() ? 1 : 0;
                row[3] = q.type().ordinal();
                row[4] = q.residual();
                row[5] = q.leadingReal();
                row[6] = q.leadingImaginary();
                row[7] = q.spectralRadius();
                row[8] = q.largestStableStep();
                EnergyWorkspace ws = sweepWorkspace(a, p, q.value());
                int c = 9;
                for (int l = 0; l < h.layers(); l++) {
                    if (!a.problem.clamped()[l]) {
                        double[] v = new double[h.dim(l)];
                        ws.layerState(q.state(), l, v);
                        double s = 0;
                        for (double e : v) {
                            s += e * e;
                        }
                        row[c++] = Math.sqrt(s);
                    }
                }
                sw.add(row);
                for (int k = 0; k < q.re().length; k++) {
                    eig.add(q.value(), k, q.re()[k], q.im()[k]);
                }
            }
            Table crt = new Table("kind", "value", "from", "to");
            for (ParameterSweep.Crossing c : cr) {
                crt.addCells(c.kind(), Table.format(c.value()), c.from(), c.to());
            }
            sw.write(run.file("sweep.csv"));
            eig.write(run.file("eigenvalues.csv"));
            crt.write(run.file("crossings.csv"));
            Map<String, Object> js = new LinkedHashMap<>();
            js.put("parameter", p.path());
            js.put("label", p.label());
            js.put("from", from);
            js.put("to", to);
            js.put("points", points);
            js.put("log", log);
            js.put("integrator", exp.integrator.name());
            js.put("step", AnalysisRun.num(step));
            js.put("feedback", exp.feedback.toString());
            List<Object> types = new ArrayList<>();
            for (ParameterSweep.Point q : pts) {
                types.add(q.type().label());
            }
            js.put("types", types);
            List<Object> crs = new ArrayList<>();
            for (ParameterSweep.Crossing c : cr) {
                crs.add(Map.of("kind", c.kind(), "value", c.value(), "from", c.from(), "to", c.to()));
            }
            js.put("crossings", crs);
            AnalysisRun.json().writeValue(run.file("sweep.json").toFile(), js);
            BifurcationFigure.render(eig, sw, crt, p.label(), exp.name + ": sweep of " + p.path(), run.file("bifurcation"));
            a.writeManifestAndConfig(run, "sweep");
            run.commit();
            java.io.PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s: %s from %.4g to %.4g, %d points; %d crossing(s)%n", exp.name, p.path(), from, to,
                    points, cr.size());
            for (ParameterSweep.Crossing c : cr) {
                o.printf(Locale.ROOT, "  %s at %s = %.8g (%s -> %s)%n", c.kind().equals("eigenvalue")
                        ? "leading Re(lambda) crosses 0" : "spectral radius crosses 1", p.path(), c.value(), c.from(), c.to());
            }
            o.println("wrote " + run.target());
            o.flush();
            return Main.OK;
        }
    }

    private static SweepParameter parse(String flag, String path) {
        try {
            return SweepParameter.parse(path);
        } catch (IllegalArgumentException e) {
            throw new UserError(flag + ": " + e.getMessage());
        }
    }

    private static double need(String flag, Double v) {
        if (v == null) {
            throw new UserError(flag + ": required with --param (a number)");
        }
        return v;
    }

    private static EnergyWorkspace sweepWorkspace(AnalysisRun a, SweepParameter p, double v) {
        return p.apply(a.problem, v).workspace();
    }
}
