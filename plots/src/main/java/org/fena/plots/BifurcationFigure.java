package org.fena.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Bifurcation diagrams of a parameter sweep. {@link #eigenvalues}: the real part of every
 * eigenvalue at each parameter value (small points), the leading one as a line, {@code Re = 0}
 * dashed, and each located crossing as a vertical marker. {@link #states}: the size of the fixed
 * point per free layer, {@code |x*_l|}, against the parameter, stable points filled and unstable
 * ones as crosses. Reads a sweep run's {@code eigenvalues.csv (value, mode, re, im)},
 * {@code sweep.csv (value, stable, leading_re, norm_l<L> ...)} and {@code crossings.csv (kind, value)}.
 */
public final class BifurcationFigure {

    private BifurcationFigure() {
    }

    /** Re(lambda) of every mode against the parameter. */
    public static JFreeChart eigenvalues(Table eigen, Table sweep, Table crossings, String paramLabel, String title) {
        JFreeChart chart = Charts.xy(title, Charts.axis(paramLabel), Charts.axis("Re(lambda) [1/time units]"));
        XYPlot plot = chart.getXYPlot();
        XYSeries lead = Charts.series("leading Re(lambda)");
        for (int k = 0; k < sweep.size(); k++) {
            lead.add(sweep.number(k, "value"), sweep.number(k, "leading_re"));
        }
        XYSeries all = Charts.series("every Re(lambda)");
        for (int k = 0; k < eigen.size(); k++) {
            all.add(eigen.number(k, "value"), eigen.number(k, "re"));
        }
        XYLineAndShapeRenderer lr = Charts.lines(plot, 0, new XYSeriesCollection(lead), true);
        XYLineAndShapeRenderer ar = Charts.points(plot, 1, new XYSeriesCollection(all));
        plot.addRangeMarker(Charts.marker(0, null));
        addCrossings(plot, crossings);
        Figures.style(chart);
        Charts.paint(lr, 0, Figures.color(1), 2.5f, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        Charts.paint(ar, 0, Figures.color(5), 1f, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
        return chart;
    }

    /** |x*_l| per free layer against the parameter, stable and unstable fixed points apart. */
    public static JFreeChart states(Table sweep, Table crossings, String paramLabel, String title) {
        JFreeChart chart = Charts.xy(title, Charts.axis(paramLabel), Charts.axis("|x*_l| (fixed point, per layer)"));
        XYPlot plot = chart.getXYPlot();
        XYSeriesCollection stable = new XYSeriesCollection();
        XYSeries unstable = Charts.series("unstable fixed point");
        for (String c : sweep.header()) {
            if (!c.startsWith("norm_l")) {
                continue;
            }
            XYSeries s = Charts.series("layer " + c.substring(6) + " (stable)");
            for (int k = 0; k < sweep.size(); k++) {
                double v = sweep.number(k, "value");
                double y = sweep.number(k, c);
                if (sweep.number(k, "stable") > 0) {
                    s.add(v, y);
                } else {
                    s.add(v, Double.NaN);
                    unstable.add(v, y);
                }
            }
            stable.addSeries(s);
        }
        XYLineAndShapeRenderer sr = Charts.lines(plot, 0, stable, true);
        XYLineAndShapeRenderer ur = Charts.points(plot, 1, new XYSeriesCollection(unstable));
        addCrossings(plot, crossings);
        Figures.style(chart);
        for (int s = 0; s < stable.getSeriesCount(); s++) {
            Charts.paint(sr, s, Figures.color(s), 2f, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        Charts.paint(ur, 0, Figures.color(7), 2f, ShapeUtils.createDiagonalCross(4f, 1.2f));
        return chart;
    }

    /** Writes both diagrams: {@code base_eigenvalues} and {@code base_states} (PNG and SVG each). */
    public static List<Path> render(Table eigen, Table sweep, Table crossings, String paramLabel, String title, Path base)
            throws IOException {
        List<Path> a = Figures.save(eigenvalues(eigen, sweep, crossings, paramLabel, title),
                base.resolveSibling(base.getFileName() + "_eigenvalues"));
        List<Path> b = Figures.save(states(sweep, crossings, paramLabel, title),
                base.resolveSibling(base.getFileName() + "_states"));
        return List.of(a.get(0), a.get(1), b.get(0), b.get(1));
    }

    private static void addCrossings(XYPlot plot, Table crossings) {
        if (crossings == null) {
            return;
        }
        for (int k = 0; k < crossings.size(); k++) {
            String kind = crossings.text(k, "kind");
            double v = crossings.number(k, "value");
            plot.addDomainMarker(Charts.marker(v, (kind.equals("eigenvalue") ? "Re(lambda) = 0" : "rho = 1")
                    + String.format(java.util.Locale.ROOT, " at %.4g", v)));
        }
    }
}
