package org.fena.plots;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * The prediction errors over time as a heat map: one row per unit (grouped by layer, bottom first,
 * layers separated by dashed lines), one column per sample time, colour {@code |eps_l,i|} on the
 * viridis scale. Reads a table with columns {@code t, eps_l<L>_u<I>, ...} at evenly spaced times
 * (a stability run's {@code errors.csv}).
 */
public final class ErrorHeatmapFigure {

    private ErrorHeatmapFigure() {
    }

    /** The chart of {@code errors}. */
    public static JFreeChart chart(Table errors, String title) {
        double[] t = errors.numbers("t");
        List<String> units = new ArrayList<>();
        for (String c : errors.header()) {
            if (c.startsWith("eps_l")) {
                units.add(c);
            }
        }
        int m = t.length;
        double[][] xyz = new double[3][m * units.size()];
        double max = 0;
        for (int u = 0; u < units.size(); u++) {
            double[] e = errors.numbers(units.get(u));
            for (int k = 0; k < m; k++) {
                int q = u * m + k;
                xyz[0][q] = t[k];
                xyz[1][q] = u;
                xyz[2][q] = Math.abs(e[k]);
                if (Double.isFinite(xyz[2][q])) {
                    max = Math.max(max, xyz[2][q]);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("|eps|", xyz);
        XYBlockRenderer r = new XYBlockRenderer();
        double dt = m > 1 ? (t[m - 1] - t[0]) / (m - 1) : 1;
        r.setBlockWidth(dt);
        r.setBlockHeight(1.0);
        Charts.Viridis scale = new Charts.Viridis(0, max);
        r.setPaintScale(scale);
        NumberAxis x = Charts.axis("t [time units]");
        x.setRange(t[0] - dt / 2, t[m - 1] + dt / 2);
        NumberAxis y = new NumberAxis("unit (grouped by layer, bottom first)");
        y.setRange(-0.5, units.size() - 0.5);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        JFreeChart chart = Charts.xy(title, x, y);
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(0, data);
        plot.setRenderer(0, r);
        chart.removeLegend();
        Figures.style(chart);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        String prev = null;
        for (int u = 0; u < units.size(); u++) {
            String layer = units.get(u).substring(0, units.get(u).indexOf("_u"));
            if (!layer.equals(prev)) {
                var mk = Charts.marker(u - 0.5, "layer " + layer.substring(5));
                mk.setPaint(Color.WHITE);
                plot.addRangeMarker(mk);
                prev = layer;
            }
        }
        NumberAxis scaleAxis = new NumberAxis("|eps| (prediction error)");
        scaleAxis.setRange(0, max > 0 ? max : 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setMargin(8, 8, 8, 8);
        chart.addSubtitle(legend);
        return chart;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static List<Path> render(Table errors, String title, Path base) throws IOException {
        return Figures.save(chart(errors, title), base);
    }
}
