package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightInitTest {

    private static double[] draw(WeightInit init, int rows, int cols, long seed) {
        double[] w = new double[rows * cols];
        init.fill(w, rows, cols, new SplittableRandom(seed));
        return w;
    }

    private static double variance(double[] w) {
        double m = Arrays.stream(w).average().orElse(0);
        return Arrays.stream(w).map(v -> (v - m) * (v - m)).sum() / (w.length - 1);
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        for (WeightInit init : new WeightInit[] {WeightInit.xavierUniform(), WeightInit.xavierNormal(),
                WeightInit.heNormal(), WeightInit.normal(0.3), WeightInit.zeros()}) {
            assertArrayEquals(draw(init, 7, 5, 42), draw(init, 7, 5, 42), init.name());
            if (!init.name().equals("zeros")) {
                assertFalse(Arrays.equals(draw(init, 7, 5, 42), draw(init, 7, 5, 43)), init.name());
            }
        }
    }

    /** 200 x 300 = 60,000 draws: the sample variance is within ~1.5% (4 standard errors) of the target. */
    @Test
    void eachRuleHasTheVarianceItPromises() {
        int rows = 200;
        int cols = 300;
        double xavier = 2.0 / (rows + cols); // uniform on ±sqrt(6/(in+out)) has variance 2/(in+out)
        assertEquals(xavier, variance(draw(WeightInit.xavierUniform(), rows, cols, 1)), 0.015 * xavier);
        assertEquals(xavier, variance(draw(WeightInit.xavierNormal(), rows, cols, 2)), 0.025 * xavier);
        assertEquals(2.0 / cols, variance(draw(WeightInit.heNormal(), rows, cols, 3)), 0.025 * 2.0 / cols);
        assertEquals(0.09, variance(draw(WeightInit.normal(0.3), rows, cols, 4)), 0.025 * 0.09);
        assertEquals(4 * xavier, variance(draw(WeightInit.xavierUniform(2.0), rows, cols, 5)), 0.015 * 4 * xavier);
        double limit = Math.sqrt(6.0 / (rows + cols));
        assertTrue(Arrays.stream(draw(WeightInit.xavierUniform(), rows, cols, 6)).allMatch(v -> Math.abs(v) <= limit));
        assertTrue(Arrays.stream(draw(WeightInit.zeros(), 3, 4, 7)).allMatch(v -> v == 0.0));
    }

    @Test
    void builderSplitsOneGeneratorPerLayerSoExplicitWeightsLeaveTheOthersAlone() {
        Hierarchy a = Hierarchy.builder().layer(3, 1).layer(4, 1).layer(2, 1)
                .weightInit(WeightInit.heNormal(), 77).build();
        Hierarchy b = Hierarchy.builder().layer(3, 1).layer(4, 1).layer(2, 1)
                .weights(0, new double[12])
                .weightInit(WeightInit.heNormal(), 77).build();
        assertArrayEquals(a.weights(1), b.weights(1));
        SplittableRandom root = new SplittableRandom(77);
        double[] w0 = new double[12];
        WeightInit.heNormal().fill(w0, 3, 4, root.split());
        assertArrayEquals(w0, a.weights(0), "layer l draws from the l-th split of SplittableRandom(seed)");
        Hierarchy c = Hierarchy.builder().layer(3, 1).layer(4, 1).build();
        double[] x0 = new double[12];
        WeightInit.xavierUniform().fill(x0, 3, 4, new SplittableRandom(0).split());
        assertArrayEquals(x0, c.weights(0), "default: xavier_uniform with seed 0");
    }

    @Test
    void byNameKnowsTheConfigNamesAndListsThemWhenItDoesNot() {
        assertEquals("xavier_uniform", WeightInit.byName("xavier_uniform", Double.NaN).name());
        assertEquals("xavier_normal", WeightInit.byName("Xavier_Normal", Double.NaN).name());
        assertEquals("he_normal", WeightInit.byName("he_normal", Double.NaN).name());
        assertEquals("zeros", WeightInit.byName("zeros", Double.NaN).name());
        assertArrayEquals(draw(WeightInit.normal(0.2), 3, 3, 1), draw(WeightInit.byName("normal", 0.2), 3, 3, 1));
        assertArrayEquals(draw(WeightInit.heNormal(0.5), 3, 3, 1), draw(WeightInit.byName("he_normal", 0.5), 3, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightInit.byName("orthogonal", 1));
        assertTrue(e.getMessage().contains("'orthogonal'") && e.getMessage().contains("xavier_uniform, xavier_normal, he_normal, normal, zeros"),
                e.getMessage());
        IllegalArgumentException std = assertThrows(IllegalArgumentException.class, () -> WeightInit.byName("normal", Double.NaN));
        assertTrue(std.getMessage().contains("std"), std.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightInit.normal(-1));
    }
}
