package org.fena.plots;

import java.util.Map;

import org.fena.annealing.NoiseSchedule;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Figures of annealed settling: energy against time with the temperature {@code T(t)} on a second
 * axis, histograms of final energies per schedule, and the schedules themselves. Each returns a
 * styled chart; write it with {@link Figures#save}.
 */
public final class AnnealingFigures {

    private AnnealingFigures() {
    }

    /**
     * Energy {@code E(t)} (left axis) and {@code T(t)} (right axis, dashed) over simulated time.
     */
    public static JFreeChart energyAndTemperature(String title, double[] t, double[] energy, double[] temperature) {
        XYSeries e = new XYSeries("energy E");
        XYSeries temp = new XYSeries("temperature T(t)");
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(energy[i])) {
                e.add(t[i], energy[i]);
            }
            temp.add(t[i], temperature[i]);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "time t", "energy E",
                new XYSeriesCollection(e), PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis right = new NumberAxis("temperature T(t)");
        right.setAutoRangeIncludesZero(true);
        plot.setRangeAxis(1, right);
        plot.setDataset(1, new XYSeriesCollection(temp));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(0, new XYLineAndShapeRenderer(true, false));
        plot.setRenderer(1, new XYLineAndShapeRenderer(true, false));
        ((NumberAxis) plot.getRangeAxis(0)).setAutoRangeIncludesZero(false);
        Figures.style(chart);
        plot.getRenderer(1).setSeriesStroke(0, new java.awt.BasicStroke(2.0f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        return chart;
    }

    /**
     * Overlaid histograms of the final energies, one per schedule (translucent bars, shared bins
     * over the range of all of them); non-finite energies are left out.
     */
    public static JFreeChart finalEnergyHistograms(String title, Map<String, double[]> finalEnergies, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : finalEnergies.values()) {
            for (double x : v) {
                if (Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1e-9 + Math.abs(lo) * 1e-9;
        }
        double pad = 0.02 * (hi - lo);
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        for (Map.Entry<String, double[]> e : finalEnergies.entrySet()) {
            double[] finite = java.util.Arrays.stream(e.getValue()).filter(Double::isFinite).toArray();
            if (finite.length > 0) {
                data.addSeries(e.getKey(), finite, bins, lo - pad, hi + pad);
            }
        }
        JFreeChart chart = ChartFactory.createHistogram(title, "final energy E", "fraction of runs", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.55f);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        Figures.style(chart);
        return chart;
    }

    /** Each schedule's {@code T(t)} over {@code [0, tEnd]}, sampled at {@code points} times. */
    public static JFreeChart schedules(String title, Map<String, NoiseSchedule> schedules, double tEnd, int points) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, NoiseSchedule> e : schedules.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            double[][] tt = e.getValue().sample(tEnd, points);
            for (int i = 0; i < points; i++) {
                s.add(tt[0][i], tt[1][i]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "time t", "temperature T(t)", data,
                PlotOrientation.VERTICAL, true, false, false);
        Figures.style(chart);
        return chart;
    }
}
