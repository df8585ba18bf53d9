package org.fena.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fena.dynamics.stability.PhasePlane;
import org.fena.dynamics.stability.Relaxation;
import org.fena.plots.PhasePortraitFigure;
import org.fena.plots.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena phase}: the phase plane of two free units through the settled fixed point (every
 * other unit held there): direction field, nullclines, trajectories from a grid of starts, the
 * plane's fixed points with their types; or, with {@code --pca}, the trajectory in the plane of its
 * first two principal components.
 */
@Command(name = "phase", mixinStandardHelpOptions = true,
        description = "Phase portrait of two units (others held at the fixed point): field, nullclines, trajectories, fixed points.",
        footer = {"", "Example:", "  ./fena phase --config examples/phase-plane.yaml --x 1:0 --y 2:0 --out runs/phase", "",
                "Writes DIR/field.csv, nullclines.csv, trajectories.csv, fixed_points.csv, phase.json,",
                "phase.{png,svg} (with --pca also pca.csv, pca.{png,svg}), manifest.json, config.yaml.",
                "Exit status: 0 ok, 2 bad input."})
final class PhaseCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML experiment file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--x", required = true, paramLabel = "L:I", description = "Horizontal unit: layer L, index I (a free layer).")
    String x;

    @Option(names = "--y", required = true, paramLabel = "L:I", description = "Vertical unit.")
    String y;

    @Option(names = "--span", defaultValue = "NaN", paramLabel = "S",
            description = "Half-width of the window around the fixed point (default: 1.5 x max(1, |x*|) per axis).")
    double span;

    @Option(names = "--grid", defaultValue = "21", paramLabel = "N", description = "Arrows per axis (default 21).")
    int grid;

    @Option(names = "--starts", defaultValue = "4", paramLabel = "M", description = "Trajectories from an M x M grid (default 4).")
    int starts;

    @Option(names = "--sample", defaultValue = "0", paramLabel = "K", description = "Which sample of the batch (default 0).")
    int sample;

    @Option(names = "--pca", description = "Also draw the relaxation in the plane of its first two principal components.")
    boolean pca;

    @Override
    public Integer call() throws IOException {
        Experiment exp = Experiment.load(config);
        if (grid < 3 || grid > 200) {
            throw new UserError("--grid: expected a whole number in 3..200, got " + grid);
        }
        if (starts < 1 || starts > 20) {
            throw new UserError("--starts: expected a whole number in 1..20, got " + starts);
        }
        if (!Double.isNaN(span) && !(span > 0)) {
            throw new UserError("--span: expected a number > 0, got " + span);
        }
        try (RunDirectory run = RunDirectory.open(out)) {
            AnalysisRun a = new AnalysisRun(exp, sample, pca);
            int i = a.coordinate(x, "--x");
            int j = a.coordinate(y, "--y");
            if (i == j) {
                throw new UserError("--x and --y name the same unit " + x);
            }
            double[] xs = a.fixedPoint.state();
            double sx = Double.isNaN(span) ? 1.5 * Math.max(1, Math.abs(xs[i])) : span;
            double sy = Double.isNaN(span) ? 1.5 * Math.max(1, Math.abs(xs[j])) : span;
            double x0 = xs[i] - sx;
            double x1 = xs[i] + sx;
            double y0 = xs[j] - sy;
            double y1 = xs[j] + sy;
            PhasePlane plane = new PhasePlane(a.problem, xs, i, j);
            double tMax = 0;
            for (int l = 0; l < a.problem.hierarchy().layers(); l++) {
                tMax = Math.max(tMax, 20 * a.problem.hierarchy().tau(l));
            }
            Table field = new Table("x", "y", "u", "v");
            for (PhasePlane.Arrow ar : plane.field(x0, x1, y0, y1, grid)) {
                field.add(ar.x(), ar.y(), ar.u(), ar.v());
            }
            Table nc = new Table("which", "x1", "y1", "x2", "y2");
            for (PhasePlane.Segment s : plane.nullclines(x0, x1, y0, y1, 4 * grid)) {
                nc.add(s.which(), s.x1(), s.y1(), s.x2(), s.y2());
            }
            Table tr = new Table("id", "t", "x", "y");
            for (PhasePlane.Path p : plane.trajectories(x0, x1, y0, y1, starts, tMax)) {
                for (int k = 0; k < p.t().length; k++) {
                    tr.add(p.id(), p.t()[k], p.x()[k], p.y()[k]);
                }
            }
            Table fp = new Table("x", "y", "type", "re1", "im1", "re2", "im2");
            List<PhasePlane.Point> points = plane.fixedPoints(x0, x1, y0, y1, 6);
            for (PhasePlane.Point p : points) {
                fp.addCells(Table.format(p.x()), Table.format(p.y()), p.type().label(), Table.format(p.re()[0]),
                        Table.format(p.im()[0]), Table.format(p.re()[1]), Table.format(p.im()[1]));
            }
            field.write(run.file("field.csv"));
            nc.write(run.file("nullclines.csv"));
            tr.write(run.file("trajectories.csv"));
            fp.write(run.file("fixed_points.csv"));
            String xl = "x_" + x.replace(" ", "");
            String yl = "x_" + y.replace(" ", "");
            Map<String, Object> js = new LinkedHashMap<>();
            js.put("x", x);
            js.put("y", y);
            js.put("x_label", xl);
            js.put("y_label", yl);
            js.put("window", List.of(x0, x1, y0, y1));
            js.put("mode", a.problem.freeDimension() == 2 ? "whole system (two free units)"
                    : "slice: the other " + (a.problem.freeDimension() - 2) + " free units held at the fixed point");
            js.put("feedback", exp.feedback.toString());
            js.put("fixed_point", List.of(xs[i], xs[j]));
            js.put("fixed_point_residual", AnalysisRun.num(a.fixedPoint.residual()));
            js.put("plane_fixed_points", points.size());
            AnalysisRun.json().writeValue(run.file("phase.json").toFile(), js);
            String title = exp.name + ": phase plane";
            PhasePortraitFigure.render(field, nc, tr, fp, xl, yl, title, run.file("phase"));
            if (pca && a.relaxation.states() != null && a.relaxation.size() > 2) {
                double[][] plane2 = PhasePlane.principalPlane(a.relaxation.states());
                Table pc = new Table("id", "t", "x", "y");
                for (int k = 0; k < a.relaxation.size(); k++) {
                    double[] p = PhasePlane.project(plane2, a.relaxation.states()[k]);
                    pc.add(0, a.relaxation.t()[k], p[0], p[1]);
                }
                Table end = new Table("x", "y", "type");
                double[] pe = PhasePlane.project(plane2, xs);
                end.addCells(Table.format(pe[0]), Table.format(pe[1]), "fixed point");
                pc.write(run.file("pca.csv"));
                PhasePortraitFigure.render(null, null, pc, end,
                        String.format(Locale.ROOT, "PC1 (%.1f%% of variance)", 100 * plane2[3][0]),
                        String.format(Locale.ROOT, "PC2 (%.1f%% of variance)", 100 * plane2[3][1]),
                        exp.name + ": relaxation in its principal plane", run.file("pca"));
            }
            a.writeManifestAndConfig(run, "phase");
            run.commit();
            java.io.PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s: plane of %s and %s through x* = (%.4g, %.4g); %d fixed point(s) in the window%n",
                    exp.name, xl, yl, xs[i], xs[j], points.size());
            for (PhasePlane.Point p : points) {
                o.printf(Locale.ROOT, "  (%.4g, %.4g): %s%n", p.x(), p.y(), p.type().label());
            }
            o.println("wrote " + run.target());
            o.flush();
            return Main.OK;
        }
    }
}
