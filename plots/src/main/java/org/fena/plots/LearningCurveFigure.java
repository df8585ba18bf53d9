package org.fena.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Learning curves from a training run's {@code epochs.csv}: held-out accuracy of predictive coding
 * against the same-shape backprop reference, and the settled energy of each layer per epoch (which
 * layer holds the error as learning proceeds). Columns missing from the table are left out, so an
 * unsupervised run draws energies only.
 */
public final class LearningCurveFigure {

    private LearningCurveFigure() {
    }

    /** Held-out accuracy per epoch: PC (and backprop when the table has it). */
    public static JFreeChart accuracy(Table epochs, String title) {
        double[] e = epochs.numbers("epoch");
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("predictive coding", e, epochs.numbers("test_accuracy")));
        if (epochs.has("backprop_accuracy")) {
            data.addSeries(series("backprop reference", e, epochs.numbers("backprop_accuracy")));
        }
        JFreeChart chart = Charts.xy(title, Charts.axis("epoch"), Charts.axis("held-out accuracy"));
        XYLineAndShapeRenderer r = Charts.lines(chart.getXYPlot(), 0, data, true);
        Figures.style(chart);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            Charts.paint(r, s, Figures.color(s), 2.5f, null);
        }
        return chart;
    }

    /** Settled training energy per layer and epoch, log scale (columns {@code energy_l0, ...}). */
    public static JFreeChart layerEnergies(Table epochs, String title) {
        double[] e = epochs.numbers("epoch");
        XYSeriesCollection data = new XYSeriesCollection();
        for (int l = 0; epochs.has("energy_l" + l); l++) {
            data.addSeries(series("layer " + l, e, epochs.numbers("energy_l" + l)));
        }
        LogAxis y = new LogAxis("settled energy of the layer (log scale)");
        y.setSmallestValue(1e-300);
        JFreeChart chart = Charts.xy(title, Charts.axis("epoch"), y);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = Charts.lines(plot, 0, data, true);
        Figures.style(chart);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            Charts.paint(r, s, Figures.color(s), 2.5f, null);
        }
        return chart;
    }

    /** Writes {@code dir/learning_accuracy.*} (supervised runs only) and {@code dir/learning_energy.*}. */
    public static List<Path> render(Table epochs, String name, Path dir) throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        boolean supervised = false;
        for (double a : epochs.numbers("test_accuracy")) {
            supervised |= Double.isFinite(a);
        }
        if (supervised) {
            out.addAll(Figures.save(accuracy(epochs, name + ": held-out accuracy"), dir.resolve("learning_accuracy")));
        }
        out.addAll(Figures.save(layerEnergies(epochs, name + ": settled energy per layer"), dir.resolve("learning_energy")));
        return out;
    }

    private static XYSeries series(String name, double[] x, double[] y) {
        XYSeries s = Charts.series(name);
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i]) && (y[i] > 0 || !name.startsWith("layer"))) {
                s.add(x[i], y[i]);
            }
        }
        return s;
    }
}
