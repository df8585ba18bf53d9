package org.fena.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Shared pieces of FENA's XY figures: empty plots, line and scatter layers, markers, the colour scale. */
final class Charts {

    private Charts() {
    }

    /** An XY chart with number axes and a legend, not yet styled. */
    static JFreeChart xy(String title, ValueAxis x, ValueAxis y) {
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 22), plot, true);
        return chart;
    }

    /** A number axis that does not insist on zero. */
    static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    /** A series that keeps insertion order and NaN gaps (so one series can hold broken lines). */
    static XYSeries series(String name) {
        return new XYSeries(name, false, true);
    }

    /** Adds a layer of lines (and optionally shapes) at dataset index {@code index}. */
    static XYLineAndShapeRenderer lines(XYPlot plot, int index, XYSeriesCollection data, boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        plot.setDataset(index, data);
        plot.setRenderer(index, r);
        return r;
    }

    /** Adds a layer of shapes only at dataset index {@code index}. */
    static XYLineAndShapeRenderer points(XYPlot plot, int index, XYSeriesCollection data) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        plot.setDataset(index, data);
        plot.setRenderer(index, r);
        return r;
    }

    /** Paints series {@code s} of {@code r}. */
    static void paint(XYLineAndShapeRenderer r, int s, Paint p, float width, Shape shape) {
        r.setSeriesPaint(s, p);
        r.setSeriesStroke(s, new BasicStroke(width));
        if (shape != null) {
            r.setSeriesShape(s, shape);
        }
    }

    /** A thin dashed line at {@code value} across the plot (e.g. Re(lambda) = 0). */
    static ValueMarker marker(double value, String label) {
        ValueMarker m = new ValueMarker(value, new Color(0x55, 0x55, 0x55), new BasicStroke(1.5f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        if (label != null) {
            m.setLabel(label);
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        }
        return m;
    }

    /**
     * Viridis, sampled at nine anchors and interpolated: perceptually uniform, legible in grey and
     * under the common colour-vision deficiencies.
     */
    static final class Viridis implements PaintScale {
        private static final int[] ANCHORS = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962,
            0xADDC30, 0xFDE725};
        private final double lo;
        private final double hi;

        Viridis(double lo, double hi) {
            this.lo = lo;
            this.hi = hi > lo ? hi : lo + 1;
        }

        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double v) {
            double f = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
            double p = f * (ANCHORS.length - 1);
            int k = Math.min((int) p, ANCHORS.length - 2);
            double w = p - k;
            int a = ANCHORS[k];
            int b = ANCHORS[k + 1];
            int r = (int) Math.round(((a >> 16) & 255) * (1 - w) + ((b >> 16) & 255) * w);
            int g = (int) Math.round(((a >> 8) & 255) * (1 - w) + ((b >> 8) & 255) * w);
            int bl = (int) Math.round((a & 255) * (1 - w) + (b & 255) * w);
            return new Color(r, g, bl);
        }
    }
}
