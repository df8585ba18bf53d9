package org.fena.dynamics.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.data.LabelledData;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.WeightInit;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.EulerMaruyama;
import org.fena.integrators.StepSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Annealed generation from a hierarchy trained (briefly) with labels clamped at the top and digits
 * at the bottom: seeded, and at T = 0 the deterministic top-down settle.
 */
class AnnealedGenerationTest {

    static final double STEP = 0.25;
    static final double T_END = 5.0;
    static Hierarchy h;
    static TrainingSettings s;
    static double[] causes;

    @BeforeAll
    static void trainGenerativeClassifier() throws IOException {
        Path data = Path.of("..", "data");
        LabelledData all = LabelledData.readIdx(data.resolve("mnist-10k-images-idx3-ubyte.gz"),
                data.resolve("mnist-10k-labels-idx1-ubyte.gz"));
        h = Hierarchy.builder().layer(784, 1).layer(24, 1).layer(10, 1)
                .activation(0, Activations.LOGISTIC).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 5).build();
        // deterministic reference: the same Euler step, run to the same final time
        StopCriteria toTEnd = new StopCriteria(T_END, 0, 0, 0, 1, Long.MAX_VALUE);
        StopCriteria train = new StopCriteria(Double.POSITIVE_INFINITY, 0, 1e-2, 0, 1, 30);
        s = TrainingSettings.supervisedDefaults(2).withLayers(0, 2).withBatch(32).withEpochs(1)
                .withUpdate(UpdateRule.adam(), 3e-3).withSettling("euler", StepSettings.fixed(STEP), train, toTEnd)
                .withSeed(3);
        new PcTrainer(h, s).trainEpoch(all.head(640));
        causes = new double[3 * 10];
        for (int c = 0; c < 3; c++) {
            causes[c * 10 + c] = 1.0;
        }
    }

    static AnnealedGeneration annealed(long seed, int samples) {
        return new AnnealedGeneration(NoiseSchedule.exponential(0.3, 0.8), new EulerMaruyama(STEP), T_END, seed,
                samples);
    }

    @Test
    void sameSeedGivesSameSamples() {
        double[] a = annealed(11, 4).sample(h, causes, 3);
        double[] b = annealed(11, 4).sample(h, causes, 3);
        assertEquals(3 * 4 * 784, a.length);
        assertArrayEquals(a, b, 0.0);
        // threads and chunks only spread the work: the draws stay the same
        double[] c = new AnnealedGeneration(NoiseSchedule.exponential(0.3, 0.8), new EulerMaruyama(STEP), T_END, 11,
                4, 2, 5).sample(h, causes, 3);
        assertArrayEquals(a, c, 1e-12);
    }

    @Test
    void differentSeedGivesDifferentSamples() {
        double[] a = annealed(11, 2).sample(h, causes, 3);
        double[] b = annealed(12, 2).sample(h, causes, 3);
        assertFalse(Arrays.equals(a, b));
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff > 1e-3, "largest difference " + diff);
    }

    @Test
    void drawsOfOneCauseDifferFromEachOther() {
        double[] a = annealed(11, 2).sample(h, causes, 3);
        double[] first = Arrays.copyOfRange(a, 0, 784);
        double[] second = Arrays.copyOfRange(a, 784, 2 * 784);
        assertFalse(Arrays.equals(first, second));
    }

    @Test
    void noiseFreeScheduleEqualsTheDeterministicGeneration() {
        double[] cold = annealed(11, 1).with(NoiseSchedule.noiseFree(), 1).sample(h, causes, 3);
        double[] plain = PcTrainer.generate(h, s, causes, 3);
        assertArrayEquals(plain, cold, 1e-12);
        // and the noise changes it: the reference is not trivially equal to every draw
        assertFalse(Arrays.equals(plain, annealed(11, 1).sample(h, causes, 3)));
    }

    @Test
    void bottomPredictionOfTheNoiseFreeSettleIsItsBottomState() {
        // with only the top clamped, the top-down start has every error at zero: x_0 = mu_0(x_1)
        org.fena.dynamics.langevin.LangevinResult cold = annealed(11, 1).with(NoiseSchedule.noiseFree(), 1)
                .run(h, causes, 3);
        assertArrayEquals(cold.finalState(0), AnnealedGeneration.bottomPrediction(h, cold.finalState(1), 3), 1e-12);
        org.fena.dynamics.langevin.LangevinResult hot = annealed(11, 1).run(h, causes, 3);
        assertFalse(Arrays.equals(cold.finalState(0), AnnealedGeneration.bottomPrediction(h, hot.finalState(1), 3)));
    }
}
