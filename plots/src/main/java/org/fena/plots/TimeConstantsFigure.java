package org.fena.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Time constants per layer: every mode's {@code 1/|Re lambda|} placed at the layer that holds most
 * of it (spread a little sideways so equal values stay visible), on a log axis, beside each layer's
 * own {@code tau_l} (a short black bar). A mode far slower than its layer's tau is a layer fighting
 * its neighbours. Reads {@code spectrum.csv (re, im, dominant_layer)} and {@code layers.csv (layer, tau)}.
 */
public final class TimeConstantsFigure {

    private TimeConstantsFigure() {
    }

    /** The chart. */
    public static JFreeChart chart(Table spectrum, Table layers, String title) {
        double[] re = spectrum.numbers("re");
        double[] dom = spectrum.numbers("dominant_layer");
        XYSeries modes = Charts.series("mode time constant 1/|Re(lambda)|");
        int[] count = new int[64];
        for (int k = 0; k < re.length; k++) {
            if (re[k] < 0 && dom[k] >= 0) {
                int l = (int) dom[k];
                int j = count[Math.min(l, 63)]++ % 9;
                double jitter = 0.06 * ((j + 1) / 2) * (j % 2 == 0 ? -1 : 1); // 0, +1, -1, +2, ... steps
                modes.add(l + jitter, 1.0 / -re[k]);
            }
        }
        XYSeries tau = Charts.series("tau_l of the layer");
        for (int k = 0; k < layers.size(); k++) {
            double l = layers.number(k, "layer");
            double t = layers.number(k, "tau");
            tau.add(l - 0.3, t);
            tau.add(l + 0.3, t);
            tau.add(Double.NaN, Double.NaN);
        }
        NumberAxis x = new NumberAxis("layer (dominant in the mode)");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(-0.5, layers.size() - 0.5);
        LogAxis y = new LogAxis("time constant [time units]");
        JFreeChart chart = Charts.xy(title, x, y);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer mr = Charts.points(plot, 0, new XYSeriesCollection(modes));
        XYLineAndShapeRenderer tr = Charts.lines(plot, 1, new XYSeriesCollection(tau), false);
        Figures.style(chart);
        Charts.paint(mr, 0, Figures.color(0), 2f, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
        Charts.paint(tr, 0, Figures.color(7), 4f, null);
        return chart;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static List<Path> render(Table spectrum, Table layers, String title, Path base) throws IOException {
        return Figures.save(chart(spectrum, layers, title), base);
    }
}
