package org.fena.plots;

import java.awt.Color;
import java.util.Arrays;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Figures of distributed studies, drawn from their one-row-per-task tables: the heat map of a 2-D
 * sweep ({@code sweep.csv}: a quantity such as the leading {@code Re lambda} over the grid), and the
 * escape-time histogram and survival curve of a Langevin ensemble ({@code ensemble.csv}).
 */
public final class JobFigures {

    private JobFigures() {
    }

    /**
     * A quantity over a 2-D grid: column {@code z} of {@code sweep} at {@code (x, y)}, on the viridis
     * scale, missing (NaN) cells left blank. With {@code logX}/{@code logY} an axis shows
     * {@code log10} of the values, where a geometric grid is evenly spaced.
     */
    public static JFreeChart gridHeatmap(Table sweep, String x, String y, String z, String xLabel, String yLabel,
            String zLabel, boolean logX, boolean logY, String title) {
        double[] xs = transform(sweep.numbers(x), logX);
        double[] ys = transform(sweep.numbers(y), logY);
        double[] zs = sweep.numbers(z);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : zs) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(z, new double[][] {xs, ys, zs});
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockWidth(spacing(xs));
        r.setBlockHeight(spacing(ys));
        Charts.Viridis scale = new Charts.Viridis(lo, hi);
        r.setPaintScale(new org.jfree.chart.renderer.PaintScale() {
            @Override
            public double getLowerBound() {
                return scale.getLowerBound();
            }

            @Override
            public double getUpperBound() {
                return scale.getUpperBound();
            }

            @Override
            public java.awt.Paint getPaint(double v) {
                return Double.isFinite(v) ? scale.getPaint(v) : new Color(0, 0, 0, 0);
            }
        });
        NumberAxis xa = Charts.axis(logX ? "log10 " + xLabel : xLabel);
        NumberAxis ya = Charts.axis(logY ? "log10 " + yLabel : yLabel);
        double dx = spacing(xs);
        double dy = spacing(ys);
        xa.setRange(min(xs) - dx / 2, max(xs) + dx / 2);
        ya.setRange(min(ys) - dy / 2, max(ys) + dy / 2);
        JFreeChart chart = Charts.xy(title, xa, ya);
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(0, data);
        plot.setRenderer(0, r);
        chart.removeLegend();
        Figures.style(chart);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        NumberAxis scaleAxis = new NumberAxis(zLabel);
        scaleAxis.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setMargin(8, 8, 8, 8);
        chart.addSubtitle(legend);
        return chart;
    }

    /**
     * Overlaid histograms of first-arrival (escape) times, one per group (e.g. temperature); runs
     * that never arrived (NaN) are left out — the survival curve shows them.
     */
    public static JFreeChart escapeTimes(String title, Map<String, double[]> hitTimes, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : hitTimes.values()) {
            for (double t : v) {
                if (Double.isFinite(t)) {
                    lo = Math.min(lo, t);
                    hi = Math.max(hi, t);
                }
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo : 0;
            hi = lo + 1;
        }
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        for (Map.Entry<String, double[]> e : hitTimes.entrySet()) {
            double[] finite = Arrays.stream(e.getValue()).filter(Double::isFinite).toArray();
            if (finite.length > 0) {
                data.addSeries(e.getKey(), finite, bins, lo, hi);
            }
        }
        JFreeChart chart = ChartFactory.createHistogram(title, "first arrival at the target, t [time units]",
                "fraction of arriving runs", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.55f);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        Figures.style(chart);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            r.setSeriesPaint(s, Figures.color(s));
        }
        return chart;
    }

    /**
     * The survival curve {@code S(t)}: the fraction of runs not yet at the target by time {@code t},
     * per group, from 0 to {@code tEnd} (NaN arrival: never arrived).
     */
    public static JFreeChart survival(String title, Map<String, double[]> hitTimes, double tEnd) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : hitTimes.entrySet()) {
            double[] t = e.getValue().clone();
            Arrays.sort(t); // NaN sorts last: runs that never arrived keep S above 0
            XYSeries s = Charts.series(e.getKey());
            int n = t.length;
            s.add(0.0, 1.0);
            for (int k = 0; k < n && Double.isFinite(t[k]); k++) {
                s.add(t[k], 1.0 - (k + 1) / (double) n);
            }
            s.add(tEnd, s.getY(s.getItemCount() - 1));
            data.addSeries(s);
        }
        NumberAxis y = Charts.axis("S(t): fraction not yet arrived");
        y.setRange(0, 1.02);
        JFreeChart chart = Charts.xy(title, Charts.axis("t [time units]"), y);
        XYPlot plot = chart.getXYPlot();
        XYStepRenderer r = new XYStepRenderer();
        plot.setDataset(0, data);
        plot.setRenderer(0, r);
        Figures.style(chart);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            r.setSeriesPaint(s, Figures.color(s));
            r.setSeriesStroke(s, new java.awt.BasicStroke(2f));
        }
        return chart;
    }

    private static double[] transform(double[] v, boolean log) {
        double[] out = v.clone();
        if (log) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.log10(out[i]);
            }
        }
        return out;
    }

    /** The smallest positive gap between distinct values (1 when there is only one value). */
    private static double spacing(double[] v) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().distinct().toArray();
        double d = Double.POSITIVE_INFINITY;
        for (int i = 1; i < s.length; i++) {
            d = Math.min(d, s[i] - s[i - 1]);
        }
        return Double.isFinite(d) && d > 0 ? d : 1.0;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).max().orElse(1);
    }
}
