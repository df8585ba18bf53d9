package org.fena.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning curves from an {@code epochs.csv}: a supervised run gets the accuracy figure (PC and the
 * backprop reference) and the per-layer energy figure; an unsupervised run, whose accuracy cells are
 * empty, gets the energy figure only, and a layer whose energy is zero is left off the log axis.
 */
class LearningCurveFigureTest {

    @TempDir
    Path dir;

    private static Table epochs(boolean supervised) {
        Table t = new Table("epoch", "energy_l0", "energy_l1", "energy_l2", "test_accuracy", "backprop_accuracy");
        for (int e = 1; e <= 3; e++) {
            String acc = supervised ? Table.format(0.5 + 0.1 * e) : "";
            t.addCells(String.valueOf(e), Table.format(1.0 / e), Table.format(0.1 / e), "0", acc, acc);
        }
        return t;
    }

    @Test
    void aSupervisedRunDrawsAccuracyAndLayerEnergiesAsPngAndSvg() throws Exception {
        List<Path> files = LearningCurveFigure.render(epochs(true), "run", dir);
        assertEquals(4, files.size(), files.toString());
        for (Path f : files) {
            assertTrue(Files.size(f) > 1000, f.toString());
        }
        BufferedImage img = ImageIO.read(dir.resolve("learning_accuracy.png").toFile());
        assertEquals(Figures.WIDTH, img.getWidth());
        assertEquals(2, LearningCurveFigure.accuracy(epochs(true), "t").getXYPlot().getDataset().getSeriesCount());
    }

    @Test
    void anUnsupervisedRunDrawsEnergiesOnlyAndSkipsZeroEnergies() throws Exception {
        List<Path> files = LearningCurveFigure.render(epochs(false), "run", dir);
        assertEquals(List.of(dir.resolve("learning_energy.png"), dir.resolve("learning_energy.svg")), files);
        var data = LearningCurveFigure.layerEnergies(epochs(false), "t").getXYPlot().getDataset();
        assertEquals(3, data.getSeriesCount());
        assertEquals(3, data.getItemCount(0));
        assertEquals(0, data.getItemCount(2), "a zero energy has no place on a log axis");
    }
}
