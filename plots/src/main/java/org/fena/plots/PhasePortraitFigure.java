package org.fena.plots;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.VectorRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.VectorSeries;
import org.jfree.data.xy.VectorSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A phase portrait of two coordinates: the direction field (grey arrows of equal length), the two
 * nullclines, trajectories, and fixed points marked by type (stable: filled circle; saddle: cross;
 * unstable: open circle; others: square). Reads four tables a phase run writes:
 * {@code field.csv (x, y, u, v)}, {@code nullclines.csv (which, x1, y1, x2, y2)},
 * {@code trajectories.csv (id, t, x, y)} and {@code fixed_points.csv (x, y, type, ...)}.
 */
public final class PhasePortraitFigure {

    private PhasePortraitFigure() {
    }

    /** The chart; any table may be null (that layer is left out). */
    public static JFreeChart chart(Table field, Table nullclines, Table trajectories, Table fixedPoints,
            String xLabel, String yLabel, String title) {
        JFreeChart chart = Charts.xy(title, Charts.axis(xLabel), Charts.axis(yLabel));
        XYPlot plot = chart.getXYPlot();
        // dataset order is drawing order reversed: fixed points (0) on top, the field (3) at the back
        XYLineAndShapeRenderer fpR = null;
        XYSeriesCollection fp = new XYSeriesCollection();
        if (fixedPoints != null && fixedPoints.size() > 0) {
            Map<String, XYSeries> byType = new LinkedHashMap<>();
            for (int k = 0; k < fixedPoints.size(); k++) {
                String type = fixedPoints.text(k, "type");
                byType.computeIfAbsent(type, Charts::series).add(fixedPoints.number(k, "x"), fixedPoints.number(k, "y"));
            }
            byType.values().forEach(fp::addSeries);
            fpR = Charts.points(plot, 0, fp);
        }
        XYLineAndShapeRenderer trR = null;
        if (trajectories != null && trajectories.size() > 0) {
            XYSeries s = Charts.series("trajectories");
            double last = Double.NaN;
            for (int k = 0; k < trajectories.size(); k++) {
                double id = trajectories.number(k, "id");
                if (k > 0 && id != last) {
                    s.add(Double.NaN, Double.NaN); // break the line between trajectories
                }
                s.add(trajectories.number(k, "x"), trajectories.number(k, "y"));
                last = id;
            }
            trR = Charts.lines(plot, 1, new XYSeriesCollection(s), false);
        }
        XYLineAndShapeRenderer ncR = null;
        if (nullclines != null && nullclines.size() > 0) {
            XYSeries a = Charts.series("nullcline d" + stripUnit(xLabel) + "/dt = 0");
            XYSeries b = Charts.series("nullcline d" + stripUnit(yLabel) + "/dt = 0");
            for (int k = 0; k < nullclines.size(); k++) {
                XYSeries s = nullclines.number(k, "which") == 0 ? a : b;
                s.add(nullclines.number(k, "x1"), nullclines.number(k, "y1"));
                s.add(nullclines.number(k, "x2"), nullclines.number(k, "y2"));
                s.add(Double.NaN, Double.NaN);
            }
            XYSeriesCollection nc = new XYSeriesCollection();
            nc.addSeries(a);
            nc.addSeries(b);
            ncR = Charts.lines(plot, 2, nc, false);
        }
        if (field != null && field.size() > 0) {
            double[] x = field.numbers("x");
            double[] y = field.numbers("y");
            double[] u = field.numbers("u");
            double[] v = field.numbers("v");
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < x.length; k++) {
                minX = Math.min(minX, x[k]);
                maxX = Math.max(maxX, x[k]);
                minY = Math.min(minY, y[k]);
                maxY = Math.max(maxY, y[k]);
            }
            int n = (int) Math.round(Math.sqrt(x.length));
            double cx = 0.7 * (maxX - minX) / Math.max(1, n - 1);
            double cy = 0.7 * (maxY - minY) / Math.max(1, n - 1);
            VectorSeries vs = new VectorSeries("direction of (dx/dt, dy/dt)");
            for (int k = 0; k < x.length; k++) {
                // equal-length arrows in screen proportion: direction is what a portrait reads
                double nu = u[k] / Math.max(cx, 1e-300);
                double nv = v[k] / Math.max(cy, 1e-300);
                double len = Math.hypot(nu, nv);
                if (len > 0 && Double.isFinite(len)) {
                    vs.add(x[k] - 0.5 * cx * nu / len, y[k] - 0.5 * cy * nv / len, cx * nu / len, cy * nv / len);
                }
            }
            VectorSeriesCollection vc = new VectorSeriesCollection();
            vc.addSeries(vs);
            VectorRenderer vr = new VectorRenderer();
            plot.setDataset(3, vc);
            plot.setRenderer(3, vr);
            plot.getDomainAxis().setRange(minX, maxX);
            plot.getRangeAxis().setRange(minY, maxY);
        }
        Figures.style(chart);
        if (plot.getRenderer(3) != null) {
            plot.getRenderer(3).setSeriesPaint(0, new Color(0x99, 0x99, 0x99));
        }
        if (ncR != null) {
            Charts.paint(ncR, 0, Figures.color(1), 2.5f, null);
            Charts.paint(ncR, 1, Figures.color(2), 2.5f, null);
        }
        if (trR != null) {
            Charts.paint(trR, 0, Figures.color(0), 1.5f, null);
        }
        if (fpR != null) {
            for (int s = 0; s < fp.getSeriesCount(); s++) {
                String type = (String) fp.getSeriesKey(s);
                Shape shape;
                boolean filled = true;
                if (type.startsWith("stable")) {
                    shape = new Ellipse2D.Double(-7, -7, 14, 14);
                } else if (type.equals("saddle")) {
                    shape = ShapeUtils.createDiagonalCross(8f, 2.5f);
                } else if (type.startsWith("unstable")) {
                    shape = new Ellipse2D.Double(-7, -7, 14, 14);
                    filled = false;
                } else {
                    shape = new java.awt.Rectangle(-6, -6, 12, 12);
                }
                Charts.paint(fpR, s, Figures.color(7), 2.5f, shape);
                fpR.setSeriesShapesFilled(s, filled);
            }
        }
        return chart;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static List<Path> render(Table field, Table nullclines, Table trajectories, Table fixedPoints,
            String xLabel, String yLabel, String title, Path base) throws IOException {
        return Figures.save(chart(field, nullclines, trajectories, fixedPoints, xLabel, yLabel, title), base);
    }

    private static String stripUnit(String label) {
        int k = label.indexOf(' ');
        return k < 0 ? label : label.substring(0, k);
    }
}
