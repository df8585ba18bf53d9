package org.fena.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;



/**
 * A labelled grid of images (generated digits): {@code rows x cols} cells, each a
 * {@code side x side} image of values mapped linearly from [0, 1] to black..white (clipped), with a
 * label left of every row, a header above every column and a title. Written as PNG and SVG side by
 * side; the SVG keeps title and labels as text and each cell's pixels as an embedded image.
 */
public final class DigitGridFigure {

    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_TOP = 64;
    private static final int GAP = 4;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    private DigitGridFigure() {
    }

    /**
     * Writes {@code base.png} and {@code base.svg}; returns the two paths.
     *
     * @param images    {@code rows * cols} images, row-major over the grid, each {@code side * side} values
     * @param rowLabels one label per row
     * @param colLabels one header per column
     * @param scale     pixels per image value
     */
    public static List<Path> render(double[] images, int side, String[] rowLabels, String[] colLabels, String title,
            int scale, Path base) throws IOException {
        int rows = rowLabels.length;
        int cols = colLabels.length;
        if (images.length != rows * cols * side * side) {
            throw new IllegalArgumentException("expected " + rows + " x " + cols + " images of " + side + " x " + side
                    + " values, got " + images.length + " values");
        }
        int cell = side * scale;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        int titleWidth = pg.getFontMetrics(TITLE_FONT).stringWidth(title);
        pg.dispose();
        // wide enough for the title: a cut title hides the schedule and seed that made the figure
        int width = Math.max(MARGIN_LEFT + cols * (cell + GAP) + GAP, titleWidth + 2 * GAP);
        int height = MARGIN_TOP + rows * (cell + GAP) + GAP;
        BufferedImage[] cells = new BufferedImage[rows * cols];
        for (int k = 0; k < cells.length; k++) {
            cells[k] = cellImage(images, k, side);
        }
        return Figures.save(base, width, height,
                g -> draw(g, cells, rowLabels, colLabels, title, cell, width, height));
    }

    private static BufferedImage cellImage(double[] images, int k, int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        int base = k * side * side;
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                double v = images[base + i * side + j];
                int gr = Double.isNaN(v) ? 0 : (int) Math.round(255 * Math.max(0, Math.min(1, v)));
                img.setRGB(j, i, (gr << 16) | (gr << 8) | gr);
            }
        }
        return img;
    }

    private static void draw(Graphics2D g, BufferedImage[] cells, String[] rowLabels, String[] colLabels,
            String title, int cell, int width, int height) {
        // nearest-neighbour magnification: each value stays one visible square
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        g.drawString(title, GAP, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int cols = colLabels.length;
        for (int c = 0; c < cols; c++) {
            int x = MARGIN_LEFT + GAP + c * (cell + GAP);
            g.drawString(colLabels[c], x + (cell - fm.stringWidth(colLabels[c])) / 2, MARGIN_TOP - 8);
        }
        for (int r = 0; r < rowLabels.length; r++) {
            int y = MARGIN_TOP + GAP + r * (cell + GAP);
            g.setColor(Color.BLACK);
            g.drawString(rowLabels[r], MARGIN_LEFT - 8 - fm.stringWidth(rowLabels[r]), y + cell / 2 + fm.getAscent() / 2);
            for (int c = 0; c < cols; c++) {
                int x = MARGIN_LEFT + GAP + c * (cell + GAP);
                g.drawImage(cells[r * cols + c], x, y, cell, cell, null);
            }
        }
    }
}
