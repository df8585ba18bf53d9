package org.fena.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.svg.SVGGraphics2D;

/**
 * Writes a chart as PNG and SVG side by side, each file written to a temporary name and moved into
 * place, and holds the shared look of every FENA figure: paper-size fonts, white background, and
 * the Okabe–Ito colour-blind-safe palette.
 */
public final class Figures {

    /** Okabe–Ito palette: distinguishable under the common colour-vision deficiencies. */
    public static final List<Color> PALETTE = List.of(
            new Color(0x00, 0x72, 0xB2), // blue
            new Color(0xD5, 0x5E, 0x00), // vermillion
            new Color(0x00, 0x9E, 0x73), // bluish green
            new Color(0xCC, 0x79, 0xA7), // reddish purple
            new Color(0xE6, 0x9F, 0x00), // orange
            new Color(0x56, 0xB4, 0xE9), // sky blue
            new Color(0xF0, 0xE4, 0x42), // yellow
            new Color(0x00, 0x00, 0x00)); // black

    /** Default figure size in pixels: a single-column paper figure at about 150 dpi. */
    public static final int WIDTH = 960;
    /** Default figure height in pixels. */
    public static final int HEIGHT = 640;

    private Figures() {
    }

    /** Colour {@code i} of the palette, cycling. */
    public static Color color(int i) {
        return PALETTE.get(Math.floorMod(i, PALETTE.size()));
    }

    /**
     * Applies FENA's look to a chart: white background, light grid, fonts legible when the figure is
     * printed at column width, series in palette order with 2-pixel lines.
     */
    public static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
            xy.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
            for (int a = 0; a < xy.getDomainAxisCount(); a++) {
                if (xy.getDomainAxis(a) != null) {
                    xy.getDomainAxis(a).setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
                    xy.getDomainAxis(a).setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
                }
            }
            for (int a = 0; a < xy.getRangeAxisCount(); a++) {
                if (xy.getRangeAxis(a) != null) {
                    xy.getRangeAxis(a).setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
                    xy.getRangeAxis(a).setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
                }
            }
            for (int r = 0; r < xy.getRendererCount(); r++) {
                if (xy.getRenderer(r) != null) {
                    int series = xy.getDataset(r) == null ? 0 : xy.getDataset(r).getSeriesCount();
                    for (int s = 0; s < series; s++) {
                        xy.getRenderer(r).setSeriesPaint(s, color(r == 0 ? s : s + 3));
                        xy.getRenderer(r).setSeriesStroke(s, new BasicStroke(2.0f));
                    }
                }
            }
        }
        return chart;
    }

    /**
     * Writes {@code base.png} and {@code base.svg} (base is a path without extension) at the given
     * size; returns the two paths. Each file is written under a temporary name and moved into place.
     */
    public static List<Path> save(JFreeChart chart, Path base, int width, int height) throws IOException {
        return save(base, width, height, g -> {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        });
    }

    /**
     * Writes {@code base.png} and {@code base.svg} of a {@code width x height} picture that
     * {@code painter} draws (once on each canvas); each file through a temporary name and a move.
     */
    public static List<Path> save(Path base, int width, int height, java.util.function.Consumer<Graphics2D> painter)
            throws IOException {
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        if (base.toAbsolutePath().getParent() != null) {
            Files.createDirectories(base.toAbsolutePath().getParent());
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        painter.accept(g);
        g.dispose();
        writeAtomically(png, out -> ImageIO.write(image, "png", out));
        SVGGraphics2D sg = new SVGGraphics2D(width, height);
        painter.accept(sg);
        String doc = sg.getSVGDocument();
        writeAtomically(svg, out -> out.write(doc.getBytes(StandardCharsets.UTF_8)));
        return List.of(png, svg);
    }

    /** {@link #save(JFreeChart, Path, int, int)} at the default size. */
    public static List<Path> save(JFreeChart chart, Path base) throws IOException {
        return save(chart, base, WIDTH, HEIGHT);
    }

    /** Something that writes a whole file's bytes. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} through a temporary sibling and an atomic move: never half a file. */
    public static void writeAtomically(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
