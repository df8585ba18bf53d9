package org.fena.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Energy against time: the total {@code E} (black) and each layer's term
 * {@code 1/2 eps_l' Pi_l eps_l}, on a linear or log axis, from a trace table with columns
 * {@code t, energy, energy_l0, energy_l1, ...} (a settle's or stability run's {@code trace.csv}).
 * On the log axis non-positive values are left out.
 */
public final class EnergyFigure {

    private EnergyFigure() {
    }

    /** The chart of {@code trace}; {@code log} picks a logarithmic energy axis. */
    public static JFreeChart chart(Table trace, boolean log, String title) {
        double[] t = trace.numbers("t");
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("E (total)", t, trace.numbers("energy"), log));
        for (int l = 0; trace.has("energy_l" + l); l++) {
            data.addSeries(series("layer " + l + ": 1/2 eps_" + l + "' Pi_" + l + " eps_" + l, t,
                    trace.numbers("energy_l" + l), log));
        }
        ValueAxis y = log ? new LogAxis("E (energy, log scale)") : Charts.axis("E (energy)");
        if (y instanceof LogAxis la) {
            la.setSmallestValue(1e-300);
        }
        JFreeChart chart = Charts.xy(title, Charts.axis("t [time units]"), y);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = Charts.lines(plot, 0, data, false);
        Figures.style(chart);
        Charts.paint(r, 0, Figures.color(7), 3f, null);
        for (int s = 1; s < data.getSeriesCount(); s++) {
            Charts.paint(r, s, Figures.color(s - 1), 2f, null);
        }
        return chart;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static List<Path> render(Table trace, boolean log, String title, Path base) throws IOException {
        return Figures.save(chart(trace, log, title), base);
    }

    private static XYSeries series(String name, double[] t, double[] v, boolean log) {
        XYSeries s = Charts.series(name);
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(v[i]) && (!log || v[i] > 0)) {
                s.add(t[i], v[i]);
            }
        }
        return s;
    }
}
