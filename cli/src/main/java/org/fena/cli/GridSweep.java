package org.fena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.fena.dynamics.jobs.Engine;
import org.fena.dynamics.jobs.Job;
import org.fena.dynamics.jobs.JobResult;
import org.fena.dynamics.jobs.SweepGrid;
import org.fena.dynamics.stability.FixedPointType;
import org.fena.dynamics.stability.ParameterSweep;
import org.fena.dynamics.stability.SweepParameter;
import org.fena.plots.BifurcationFigure;
import org.fena.plots.Figures;
import org.fena.plots.JobFigures;
import org.fena.plots.Table;

/**
 * The grid form of {@code fena sweep}: a 1-D or 2-D grid of independent points run as a job on an
 * engine (local threads or Spark), every point relaxed from the experiment's own initial state.
 * Described by flags ({@code --param ... [--param2 ...]}) or by the config's {@code sweep:} section:
 *
 * <pre>
 * sweep:
 *   sample: 0
 *   parameters:
 *     - {param: layers[1].tau, from: 0.5, to: 8, points: 12, log: true}
 *     - {param: feedback.scale, from: 0, to: 3, points: 12}
 * </pre>
 */
final class GridSweep {

    /** One axis of the grid. */
    record Axis(SweepParameter parameter, double from, double to, int points, boolean log) {

        double[] values() {
            return points == 1 ? new double[] {from} : ParameterSweep.values(from, to, points, log);
        }
    }

    private GridSweep() {
    }

    /** The axes from the {@code sweep:} section, or an error naming the key. */
    static List<Axis> fromConfig(Experiment exp) {
        ConfigNode s = exp.section("sweep");
        if (s.isMissing()) {
            throw new UserError(exp.file + ": sweep: no 'sweep:' section and no --param: say what to sweep, e.g. --param"
                    + " layers[1].tau --from 0.5 --to 4 --points 20, or sweep: {parameters: [{param: layers[1].tau,"
                    + " from: 0.5, to: 4, points: 20}]}");
        }
        s.requireObject(Set.of("parameters", "sample"));
        ConfigNode ps = s.get("parameters");
        if (ps.isMissing() || ps.elements().isEmpty() || ps.elements().size() > 2) {
            throw ps.error("a list of one or two parameters, each {param, from, to, points, log}");
        }
        List<Axis> axes = new ArrayList<>();
        for (ConfigNode a : ps.elements()) {
            a.requireObject(Set.of("param", "from", "to", "points", "log"));
            SweepParameter p;
            try {
                p = SweepParameter.parse(a.get("param").isMissing() ? null : a.get("param").asText());
            } catch (IllegalArgumentException e) {
                throw a.get("param").error(e.getMessage().replace("unknown parameter", "a known parameter, not"));
            }
            if (!a.has("from") || !a.has("to")) {
                throw a.error("{param, from, to, points, log}: 'from' and 'to' are required");
            }
            double from = a.doubleOr("from", Double.NaN);
            double to = a.doubleOr("to", Double.NaN);
            int points = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, a.has("points")
                    ? a.get("points").asLong() : 21));
            axes.add(check(new Axis(p, from, to, points, a.boolOr("log", false)), a.path() + ": "));
        }
        return axes;
    }

    /** The sample the config's {@code sweep:} section names (default 0). */
    static int sampleFromConfig(Experiment exp) {
        ConfigNode s = exp.section("sweep");
        return s.isMissing() ? 0 : s.intAtLeast("sample", 0, 0);
    }

    /** Checks an axis; {@code where} prefixes messages. */
    static Axis check(Axis a, String where) {
        SweepParameter p = a.parameter();
        if (a.points() < 1) {
            throw new UserError(where + "a grid with zero points: expected points >= 1, got " + a.points());
        }
        if (a.points() > 1_000_000) {
            throw new UserError(where + "points: at most 1000000 per axis, got " + a.points());
        }
        if (!Double.isFinite(a.from()) || !Double.isFinite(a.to()) || (a.points() > 1 && a.from() == a.to())) {
            throw new UserError(where + p.path() + ": expected two different finite numbers, got " + a.from() + " and " + a.to());
        }
        boolean positive = p.kind() != SweepParameter.Kind.FEEDBACK_SCALE && p.kind() != SweepParameter.Kind.FEEDBACK_MIX
                && p.kind() != SweepParameter.Kind.WEIGHT_GAIN;
        if ((a.log() || positive) && (a.from() <= 0 || a.to() <= 0)) {
            throw new UserError(where + p.path() + (a.log() ? " on a log scale" : "") + " needs values > 0, got "
                    + a.from() + " and " + a.to());
        }
        if (p.kind() == SweepParameter.Kind.FEEDBACK_MIX && (Math.min(a.from(), a.to()) < 0 || Math.max(a.from(), a.to()) > 1)) {
            throw new UserError(where + "feedback.mix lies in [0, 1], got " + a.from() + " and " + a.to());
        }
        return a;
    }

    /** Runs the grid and writes the run directory; returns the exit status. */
    static int run(SweepCommand cmd, Experiment exp, List<Axis> axes, int sample, EngineFlags flags, String started)
            throws IOException {
        if (axes.size() == 2 && axes.get(0).parameter().equals(axes.get(1).parameter())) {
            throw new UserError("--param2: the two parameters must differ, both are " + axes.get(0).parameter().path());
        }
        List<SweepParameter> ps = new ArrayList<>();
        double[][] values = new double[axes.size()][];
        for (int k = 0; k < axes.size(); k++) {
            ps.add(axes.get(k).parameter());
            values[k] = axes.get(k).values();
        }
        long total = 1;
        for (double[] v : values) {
            total *= v.length;
        }
        if (total > 100_000_000L) {
            throw new UserError("the grid has " + total + " points; at most 10^8 in one job");
        }
        AnalysisRunStep step = new AnalysisRunStep(exp);
        SweepTask task = new SweepTask(exp, sample, ps, values, step.value);
        SweepTask.Prepared prep = task.prepared();
        for (SweepParameter p : ps) {
            try {
                p.check(prep.problem());
            } catch (IllegalArgumentException e) {
                throw new UserError("--param: " + e.getMessage() + " in " + exp.file);
            }
        }
        SweepGrid grid = prep.grid();
        Job job = new Job(exp.name, grid.columns(), grid.size(), exp.seed, task);
        PrintWriter o = cmd.spec.commandLine().getOut();
        try (RunDirectory run = RunDirectory.open(cmd.out); Engine engine = flags.open()) {
            JobResult r = EngineFlags.run(engine, job, cmd.spec.commandLine().getErr());
            int nSum = grid.summaryColumns();
            int freeUnits = (grid.columns().size() - nSum) / 3;
            List<String> hd = new ArrayList<>(List.of("task"));
            hd.addAll(grid.columns().subList(0, nSum));
            Table sw = new Table(hd);
            List<String> eh = new ArrayList<>(grid.columns().subList(0, ps.size()));
            eh.addAll(List.of("mode", "re", "im"));
            Table eig = new Table(eh);
            int stable = 0;
            int diverged = 0;
            int unconverged = 0;
            List<ParameterSweep.Point> points = new ArrayList<>();
            for (int i = 0; i < r.rows().length; i++) {
                double[] row = r.rows()[i];
                double[] s = new double[nSum + 1];
                s[0] = i;
                System.arraycopy(row, 0, s, 1, nSum);
                sw.add(s);
                int c = ps.size();
                stable += row[c + 1] > 0 ? 1 : 0;
                diverged += row[c + 2] > 0 ? 1 : 0;
                unconverged += row[c] > 0 ? 0 : 1;
                double[] re = new double[freeUnits];
                double[] im = new double[freeUnits];
                double[] x = new double[freeUnits];
                System.arraycopy(row, nSum, re, 0, freeUnits);
                System.arraycopy(row, nSum + freeUnits, im, 0, freeUnits);
                System.arraycopy(row, nSum + 2 * freeUnits, x, 0, freeUnits);
                if (row[c + 2] == 0) {
                    for (int k = 0; k < freeUnits; k++) {
                        double[] e = new double[ps.size() + 3];
                        System.arraycopy(row, 0, e, 0, ps.size());
                        e[ps.size()] = k;
                        e[ps.size() + 1] = re[k];
                        e[ps.size() + 2] = im[k];
                        eig.add(e);
                    }
                }
                if (ps.size() == 1) {
                    FixedPointType type = row[c + 2] > 0 ? FixedPointType.DEGENERATE
                            : FixedPointType.values()[(int) row[c + 3]];
                    points.add(new ParameterSweep.Point(row[0], x, row[c + 4], row[c] > 0 && row[c + 2] == 0, type,
                            re, im, row[c + 7], row[c + 8]));
                }
            }
            sw.write(run.file("sweep.csv"));
            eig.write(run.file("eigenvalues.csv"));
            Map<String, Object> js = new LinkedHashMap<>();
            List<Object> axesJs = new ArrayList<>();
            for (Axis a : axes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("parameter", a.parameter().path());
                m.put("label", a.parameter().label());
                m.put("from", a.from());
                m.put("to", a.to());
                m.put("points", a.points());
                m.put("log", a.log());
                axesJs.add(m);
            }
            js.put("mode", "grid");
            js.put("axes", axesJs);
            js.put("sample", sample);
            js.put("tasks", job.tasks());
            js.put("stable", stable);
            js.put("unconverged", unconverged);
            js.put("diverged", diverged);
            js.put("integrator", exp.integrator.name());
            js.put("step", AnalysisRun.num(step.value));
            js.put("feedback", exp.feedback.toString());
            String title = exp.name + ": sweep of " + ps.get(0).path() + (ps.size() == 2 ? " x " + ps.get(1).path() : "");
            if (ps.size() == 1) {
                // crossings need bisection between neighbours: a short sequential step on the driver
                List<ParameterSweep.Crossing> cr = new ParameterSweep(prep.problem(), ps.get(0), prep.region(), step.value)
                        .crossings(points);
                Table crt = new Table("kind", "value", "from", "to");
                List<Object> crs = new ArrayList<>();
                for (ParameterSweep.Crossing c : cr) {
                    crt.addCells(c.kind(), Table.format(c.value()), c.from(), c.to());
                    crs.add(Map.of("kind", c.kind(), "value", c.value(), "from", c.from(), "to", c.to()));
                }
                crt.write(run.file("crossings.csv"));
                js.put("crossings", crs);
                Table bif = new Table(sw.header());
                for (int i = 0; i < sw.size(); i++) {
                    if (sw.number(i, "diverged") == 0) {
                        double[] v = new double[sw.header().size()];
                        for (int k = 0; k < v.length; k++) {
                            v[k] = sw.number(i, sw.header().get(k));
                        }
                        bif.add(v);
                    }
                }
                BifurcationFigure.render(eig, bif, crt, ps.get(0).label(), title, run.file("bifurcation"));
            } else {
                Axis a = axes.get(0);
                Axis b = axes.get(1);
                Figures.save(JobFigures.gridHeatmap(sw, "value1", "value2", "leading_re", a.parameter().label(),
                        b.parameter().label(), "leading Re(lambda) [1/time units]", a.log(), b.log(),
                        title + ": leading eigenvalue"), run.file("heatmap_leading_re"));
                if (hasFinite(sw.numbers("spectral_radius"))) {
                    Figures.save(JobFigures.gridHeatmap(sw, "value1", "value2", "spectral_radius", a.parameter().label(),
                            b.parameter().label(), "spectral radius of the one-step map", a.log(), b.log(),
                            title + ": " + exp.integrator.name() + " one-step map"), run.file("heatmap_spectral_radius"));
                }
            }
            AnalysisRun.json().writeValue(run.file("sweep.json").toFile(), js);
            Map<String, Object> m = EngineFlags.manifest(exp, "sweep", started, engine, r, job);
            m.put("sample", sample);
            m.put("integrator", exp.integrator.name());
            m.put("feedback", exp.feedback.toString());
            List<String> extra = EngineFlags.finish(run, engine, job, r, "sweep", m, exp);
            run.commit();
            o.printf(Locale.ROOT, "%s: %s, %d points on %s (%s), %.3g tasks/s: %d stable, %d not converged, %d diverged%n",
                    exp.name, describe(axes), job.tasks(), engine.name(), engine.master(), r.tasksPerSecond(), stable,
                    unconverged, diverged);
            if (!extra.isEmpty()) {
                o.println("also wrote " + String.join(", ", extra));
            }
            o.println("wrote " + run.target());
            o.flush();
            return Main.OK;
        }
    }

    private static String describe(List<Axis> axes) {
        StringBuilder sb = new StringBuilder();
        for (Axis a : axes) {
            sb.append(sb.length() == 0 ? "" : " x ").append(String.format(Locale.ROOT, "%s %.4g..%.4g (%d%s)",
                    a.parameter().path(), a.from(), a.to(), a.points(), a.log() ? ", log" : ""));
        }
        return sb.toString();
    }

    private static boolean hasFinite(double[] v) {
        for (double x : v) {
            if (Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }

    /** The configured integrator step, read as the continuation sweep reads it. */
    private static final class AnalysisRunStep {
        final double value;

        AnalysisRunStep(Experiment exp) {
            double v;
            try {
                com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(exp.bytes)
                        .path("integrator").path("step");
                v = n.isNumber() ? n.asDouble() : Double.NaN;
            } catch (IOException e) {
                v = Double.NaN;
            }
            this.value = v;
        }
    }
}
