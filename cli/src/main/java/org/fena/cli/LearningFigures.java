package org.fena.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * Figures of learning runs written straight as PNG: a grid of generated (or reconstructed) digits,
 * each a {@code side x side} image whose values are mapped linearly from [0, 1] to black..white
 * (clipped), magnified {@code scale} times, separated by a one-pixel grey border.
 */
final class LearningFigures {

    private LearningFigures() {
    }

    /** Writes {@code n} images of {@code side x side} values (row-major, one after another) as a grid. */
    static void digitGrid(double[] images, int n, int side, int cols, int scale, Path png) throws IOException {
        int rows = (n + cols - 1) / cols;
        int cell = side * scale + 1;
        BufferedImage img = new BufferedImage(cols * cell + 1, rows * cell + 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        for (int k = 0; k < n; k++) {
            int ox = (k % cols) * cell + 1;
            int oy = (k / cols) * cell + 1;
            for (int i = 0; i < side; i++) {
                for (int j = 0; j < side; j++) {
                    double v = images[k * side * side + i * side + j];
                    int g = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
                    int rgb = (g << 16) | (g << 8) | g;
                    for (int a = 0; a < scale; a++) {
                        for (int b = 0; b < scale; b++) {
                            img.setRGB(ox + j * scale + b, oy + i * scale + a, rgb);
                        }
                    }
                }
            }
        }
        ImageIO.write(img, "png", png.toFile());
    }
}
