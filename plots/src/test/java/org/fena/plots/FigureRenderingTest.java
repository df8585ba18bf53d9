package org.fena.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Every figure type rendered from the tables a run writes, saved as PNG and SVG, and checked: the
 * PNG decodes at the expected size, the SVG parses as XML with an svg root, and the data is drawn —
 * pixels differ from the white background where a series lies, while an empty spot stays white.
 */
class FigureRenderingTest {

    @TempDir
    Path dir;

    /** Saves, checks both files, and returns the PNG with the data area the chart was laid out in. */
    private Rendered save(JFreeChart chart, String name) throws Exception {
        List<Path> files = Figures.save(chart, dir.resolve(name));
        Path png = files.get(0);
        Path svg = files.get(1);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(Figures.WIDTH, img.getWidth(), name);
        assertEquals(Figures.HEIGHT, img.getHeight(), name);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // the SVG names the W3C DTD; parsing must not go to the network for it
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName(), name);
        assertTrue(Files.size(svg) > 1000, name + ".svg is nearly empty");
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage probe = new BufferedImage(Figures.WIDTH, Figures.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, Figures.WIDTH, Figures.HEIGHT), info);
        g.dispose();
        return new Rendered(img, chart.getXYPlot(), info.getPlotInfo().getDataArea());
    }

    private record Rendered(BufferedImage img, XYPlot plot, Rectangle2D area) {
        int[] pixel(double x, double y) {
            int px = (int) Math.round(plot.getDomainAxis().valueToJava2D(x, area, plot.getDomainAxisEdge()));
            int py = (int) Math.round(plot.getRangeAxis().valueToJava2D(y, area, plot.getRangeAxisEdge()));
            return new int[] {px, py};
        }

        /** Whether some pixel within 3 px of the data point (x, y) is not white and not the light grid. */
        boolean drawnAt(double x, double y) {
            int[] p = pixel(x, y);
            for (int dx = -3; dx <= 3; dx++) {
                for (int dy = -3; dy <= 3; dy++) {
                    int qx = p[0] + dx;
                    int qy = p[1] + dy;
                    if (qx < 0 || qy < 0 || qx >= img.getWidth() || qy >= img.getHeight()) {
                        continue;
                    }
                    int rgb = img.getRGB(qx, qy) & 0xFFFFFF;
                    int r = (rgb >> 16) & 255;
                    int gg = (rgb >> 8) & 255;
                    int b = rgb & 255;
                    if (Math.min(r, Math.min(gg, b)) < 200) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static Table trace() {
        Table t = new Table("t", "energy", "grad_norm", "energy_l0", "energy_l1");
        for (int k = 0; k <= 50; k++) {
            double time = k * 0.2;
            double e0 = 2 * Math.exp(-time);
            double e1 = 0.5 * Math.exp(-0.3 * time);
            t.add(time, e0 + e1, e0, e0, e1);
        }
        return t;
    }

    @Test
    void energyFigureDrawsTotalAndLayersOnLinearAndLogAxes() throws Exception {
        Rendered lin = save(EnergyFigure.chart(trace(), false, "energy"), "energy");
        assertTrue(lin.drawnAt(2.0, 2 * Math.exp(-2) + 0.5 * Math.exp(-0.6)), "total energy line");
        assertTrue(lin.drawnAt(6.0, 0.5 * Math.exp(-1.8)), "layer 1 line");
        assertFalse(lin.drawnAt(8.0, 2.3), "an empty corner must stay blank");
        Rendered log = save(EnergyFigure.chart(trace(), true, "energy (log)"), "energy_log");
        assertTrue(log.drawnAt(9.0, 2 * Math.exp(-9)), "layer 0 on the log axis");
    }

    @Test
    void errorHeatmapColoursEveryUnitOverTime() throws Exception {
        Table t = new Table("t", "eps_l0_u0", "eps_l0_u1", "eps_l1_u0");
        for (int k = 0; k < 40; k++) {
            t.add(k * 0.5, Math.exp(-k * 0.1), -0.5, 0.0);
        }
        Rendered r = save(ErrorHeatmapFigure.chart(t, "errors"), "errors");
        int[] p = r.pixel(0.0, 0);
        int rgb = r.img.getRGB(p[0], p[1]) & 0xFFFFFF;
        assertEquals(0xFDE725, rgb, 0x030303, "the largest |eps| is the top of the viridis scale (yellow)");
        int[] q = r.pixel(5.0, 2);
        assertEquals(0x440154, r.img.getRGB(q[0], q[1]) & 0xFFFFFF, "a zero error is the bottom of the scale (purple)");
    }

    @Test
    void phasePortraitDrawsFieldNullclinesTrajectoriesAndFixedPoints() throws Exception {
        Table field = new Table("x", "y", "u", "v");
        for (int a = 0; a < 9; a++) {
            for (int b = 0; b < 9; b++) {
                double x = -2 + a * 0.5;
                double y = -2 + b * 0.5;
                field.add(x, y, -x + y, -y);
            }
        }
        Table nc = new Table("which", "x1", "y1", "x2", "y2");
        nc.add(0, -2, -2, 2, 2);   // dx/dt = 0 on y = x
        nc.add(1, -2, 0, 2, 0);    // dy/dt = 0 on y = 0
        Table tr = new Table("id", "t", "x", "y");
        for (int k = 0; k < 30; k++) {
            tr.add(0, k * 0.1, 1.5 * Math.exp(-k * 0.1), -1.5 * Math.exp(-k * 0.1));
        }
        Table fp = new Table("x", "y", "type");
        fp.addCells("0.0", "0.0", "stable node");
        fp.addCells("1.0", "-1.0", "saddle");
        Rendered r = save(PhasePortraitFigure.chart(field, nc, tr, fp, "x_1:0", "x_1:1", "phase"), "phase");
        assertTrue(r.drawnAt(0, 0), "stable node marker");
        assertTrue(r.drawnAt(1, -1), "saddle marker");
        assertTrue(r.drawnAt(-1.5, 0), "the dy/dt nullcline");
        assertTrue(r.drawnAt(-1.2, -1.2), "the dx/dt nullcline");
        assertTrue(r.drawnAt(1.5 * Math.exp(-1.5), -1.5 * Math.exp(-1.5)), "trajectory");
    }

    @Test
    void spectrumFigureShadesTheStabilityRegionBehindTheEigenvalues() throws Exception {
        Table sp = new Table("re", "im");
        sp.add(-1, 0);
        sp.add(-3, 2);
        sp.add(-3, -2);
        Rendered r = save(SpectrumFigure.chart(sp, "euler", 0.25, "spectrum"), "spectrum");
        assertTrue(r.drawnAt(-3, 2), "eigenvalue marker");
        // inside the Euler disc |1 + h lambda| <= 1 (centre -1/h = -4, radius 4) and away from markers: shaded
        int[] in = r.pixel(-4, 2.5);
        int rgb = r.img.getRGB(in[0], in[1]) & 0xFFFFFF;
        assertTrue(rgb != 0xFFFFFF && (rgb & 255) > ((rgb >> 16) & 255), "region shaded blue, got " + Integer.toHexString(rgb));
        int[] out = r.pixel(-4, 4.6);
        assertEquals(0xFFFFFF, r.img.getRGB(out[0], out[1]) & 0xFFFFFF, "outside the disc stays white");
    }

    @Test
    void bifurcationDiagramsDrawEigenvaluesStatesAndCrossings() throws Exception {
        Table eig = new Table("value", "mode", "re", "im");
        Table sweep = new Table("value", "stable", "leading_re", "leading_im", "norm_l1");
        for (int k = 0; k <= 20; k++) {
            double v = k * 0.1;
            eig.add(v, 0, v - 1, 0);
            eig.add(v, 1, -2, 0);
            sweep.add(v, v < 1 ? 1 : 0, v - 1, 0, v);
        }
        Table cr = new Table("kind", "value", "from", "to");
        cr.addCells("eigenvalue", "1.0", "stable node", "saddle");
        Rendered e = save(BifurcationFigure.eigenvalues(eig, sweep, cr, "gain g_0", "sweep"), "bif_eig");
        assertTrue(e.drawnAt(0.5, -0.5), "leading eigenvalue line");
        assertTrue(e.drawnAt(1.5, -2), "another mode's points");
        assertTrue(e.drawnAt(1.0, 0.6), "crossing marker at the bisected value");
        Rendered s = save(BifurcationFigure.states(sweep, cr, "gain g_0", "sweep"), "bif_states");
        assertTrue(s.drawnAt(0.5, 0.5), "stable branch");
        assertTrue(s.drawnAt(1.8, 1.8), "unstable branch");
    }

    @Test
    void timeConstantsFigurePlacesModesAtTheirLayers() throws Exception {
        Table sp = new Table("re", "im", "dominant_layer");
        sp.add(-0.1, 0, 1);
        sp.add(-2, 0, 0);
        Table layers = new Table("layer", "tau");
        layers.add(0, 1.0);
        layers.add(1, 5.0);
        Rendered r = save(TimeConstantsFigure.chart(sp, layers, "time constants"), "tc");
        assertTrue(r.drawnAt(1, 10), "slow mode at layer 1");
        assertTrue(r.drawnAt(0, 0.5), "fast mode at layer 0");
        assertTrue(r.drawnAt(1.2, 5.0), "tau_1 bar");
    }

    @Test
    void tablesRoundTripThroughCsv() throws IOException {
        Table t = new Table("a", "b");
        t.add(1.5, Double.NaN);
        t.add(Double.POSITIVE_INFINITY, -2e-300);
        t.write(dir.resolve("t.csv"));
        Table u = Table.read(dir.resolve("t.csv"));
        assertEquals(List.of("a", "b"), u.header());
        assertEquals(1.5, u.number(0, "a"));
        assertTrue(Double.isNaN(u.number(0, "b")));
        assertEquals(Double.POSITIVE_INFINITY, u.number(1, "a"));
        assertEquals(-2e-300, u.number(1, "b"));
    }
}
