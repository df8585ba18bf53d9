package org.fena.plots;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.fena.dynamics.stability.StabilityRegion;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The eigenvalues of the flow's Jacobian in the complex plane, with the chosen integrator's
 * stability region {@code {lambda : |R(h lambda)| <= 1}} (the region of {@code R} scaled by
 * {@code 1/h}) shaded behind them: every eigenvalue inside means the step converges; one outside
 * means it blows up. Reads a table with columns {@code re, im} (a stability run's
 * {@code spectrum.csv}); the method and step come from {@code stability.json}.
 */
public final class SpectrumFigure {

    private SpectrumFigure() {
    }

    /** The chart; {@code method} null or {@code h} not finite: no region. */
    public static JFreeChart chart(Table spectrum, String method, double h, String title) {
        double[] re = spectrum.numbers("re");
        double[] im = spectrum.numbers("im");
        StabilityRegion region = method == null || !(h > 0) || !Double.isFinite(h) ? null
                : StabilityRegion.forIntegrator(method);
        double minRe = 0;
        double maxRe = 0;
        double maxIm = 0;
        for (int k = 0; k < re.length; k++) {
            minRe = Math.min(minRe, re[k]);
            maxRe = Math.max(maxRe, re[k]);
            maxIm = Math.max(maxIm, Math.abs(im[k]));
        }
        if (region != null) {
            minRe = Math.min(minRe, -region.largestStableStep(-1, 0) / h);
        }
        if (minRe == 0) {
            minRe = -1;
        }
        double x0 = 1.15 * minRe;
        double x1 = Math.max(0.2 * -minRe, 1.15 * maxRe);
        double ym = Math.max(1.2 * maxIm, 0.6 * -minRe);
        JFreeChart chart = Charts.xy(title, Charts.axis("Re(lambda) [1/time units]"), Charts.axis("Im(lambda) [1/time units]"));
        XYPlot plot = chart.getXYPlot();
        XYSeriesCollection eig = new XYSeriesCollection();
        XYSeries s = Charts.series("eigenvalues of A = -T^-1 G");
        for (int k = 0; k < re.length; k++) {
            s.add(re[k], im[k]);
        }
        eig.addSeries(s);
        XYLineAndShapeRenderer pts = Charts.points(plot, 0, eig);
        if (region != null) {
            int nx = 240;
            int ny = 160;
            double dx = (x1 - x0) / nx;
            double dy = 2 * ym / ny;
            double[][] cells = new double[3][nx * ny];
            int c = 0;
            for (int a = 0; a < nx; a++) {
                for (int b = 0; b < ny; b++) {
                    double x = x0 + (a + 0.5) * dx;
                    double y = -ym + (b + 0.5) * dy;
                    if (region.contains(h * x, h * y)) {
                        cells[0][c] = x;
                        cells[1][c] = y;
                        cells[2][c] = 1;
                        c++;
                    }
                }
            }
            double[][] used = {java.util.Arrays.copyOf(cells[0], c), java.util.Arrays.copyOf(cells[1], c),
                java.util.Arrays.copyOf(cells[2], c)};
            DefaultXYZDataset reg = new DefaultXYZDataset();
            reg.addSeries(region.method() + " stable region / h, h = " + String.format(java.util.Locale.ROOT, "%.4g", h), used);
            XYBlockRenderer br = new XYBlockRenderer();
            br.setBlockWidth(dx);
            br.setBlockHeight(dy);
            LookupPaintScale ps = new LookupPaintScale(0, 2, Color.WHITE);
            ps.add(0.5, new Color(0x56, 0xB4, 0xE9, 90));
            br.setPaintScale(ps);
            plot.setDataset(1, reg);
            plot.setRenderer(1, br);
        }
        plot.getDomainAxis().setRange(x0, x1);
        plot.getRangeAxis().setRange(-ym, ym);
        plot.addDomainMarker(Charts.marker(0, null));
        plot.addRangeMarker(Charts.marker(0, null));
        Figures.style(chart);
        if (region != null) {
            // the block renderer paints cells from its scale but the legend swatch from the series
            // paint, which style() sets to the palette: match the swatch to the region's colour
            plot.getRenderer(1).setSeriesPaint(0, new Color(0x56, 0xB4, 0xE9));
        }
        Charts.paint(pts, 0, Figures.color(1), 2f, ShapeUtils.createDiagonalCross(5f, 1.5f));
        return chart;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static List<Path> render(Table spectrum, String method, double h, String title, Path base) throws IOException {
        return Figures.save(chart(spectrum, method, h, title), base);
    }
}
