package org.fena.dynamics.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.data.LabelledData;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.WeightInit;
import org.fena.hierarchy.learning.PrecisionRule;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.StepSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning on a small slice of the shipped MNIST subset: fast, but real digits. */
class DigitsTest {

    static LabelledData.Split split;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        Path data = Path.of("..", "data");
        LabelledData all = LabelledData.readIdx(data.resolve("mnist-10k-images-idx3-ubyte.gz"),
                data.resolve("mnist-10k-labels-idx1-ubyte.gz"));
        split = all.head(1500).split(1000, 500, 3);
    }

    /** Labels at the bottom (layer 0), image at the top (layer 2): predictions run image -> label. */
    static Hierarchy classifier(long seed) {
        return Hierarchy.builder().layer(10, 1).layer(32, 1).layer(784, 1)
                .activation(0, Activations.IDENTITY).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), seed).build();
    }

    static TrainingSettings settings(int epochs) {
        return TrainingSettings.supervisedDefaults(2).withEpochs(epochs).withBatch(32)
                .withUpdate(UpdateRule.adam(), 3e-3).withSeed(9);
    }

    /** Images at the bottom (layer 0, logistic), a free 8-unit top, no labels. */
    static Hierarchy generative() {
        return Hierarchy.builder().layer(784, 1).layer(32, 1).layer(8, 1)
                .activation(0, Activations.LOGISTIC).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 2).build();
    }

    /** Unsupervised, Adam at 3e-3, Euler at 0.2 until |dE/dx| falls 100-fold or 30 steps. */
    static TrainingSettings generativeSettings() {
        StopCriteria stop = new StopCriteria(Double.POSITIVE_INFINITY, 0, 1e-2, 0, 1, 30);
        return settings(1).withLayers(0, -1).withSettling("euler", StepSettings.fixed(0.2), stop, stop);
    }

    static PcTrainer train(LabelledData data, int epochs) {
        PcTrainer t = new PcTrainer(classifier(1), settings(epochs));
        for (int e = 0; e < epochs; e++) {
            t.trainEpoch(data);
        }
        return t;
    }

    @Test
    void supervisedPcLearnsDigitsLikeItsBackpropTwin() {
        PcTrainer t = new PcTrainer(classifier(1), settings(4));
        BackpropMlp bp = new BackpropMlp(classifier(1), settings(4));
        double untrained = t.evaluate(split.test()).accuracy(split.test().labels());
        EpochReport last = null;
        for (int e = 0; e < 4; e++) {
            last = t.trainEpoch(split.train());
            bp.trainEpoch(split.train());
        }
        double pc = t.evaluate(split.test()).accuracy(split.test().labels());
        double backprop = bp.accuracy(split.test());
        assertTrue(untrained < 0.3, "untrained accuracy " + untrained);
        assertTrue(pc > 0.8, "PC accuracy after 4 epochs on 1,000 digits: " + pc);
        assertTrue(Math.abs(pc - backprop) < 0.05, "PC " + pc + " vs backprop " + backprop);
        assertEquals(31, last.batches());
        assertTrue(last.energyPerLayer()[2] == 0.0 && last.energyPerLayer()[0] > 0, "the clamped image layer has no error");
    }

    @Test
    void evaluationCannotSeeTheTestLabels() {
        PcTrainer t = train(split.train(), 2);
        LabelledData test = split.test();
        LabelledData scrambled = test.withShuffledLabels(4);
        Evaluation a = t.evaluate(test);
        Evaluation b = t.evaluate(scrambled);
        assertArrayEquals(a.predictions(), b.predictions(), "predictions must not depend on the test labels");
        assertArrayEquals(a.energies(), b.energies());
    }

    @Test
    void perSampleEnergiesAddUpToThePerLayerEnergiesOfTheSameSettles() {
        // both come from each batch's settled state: the per-layer ones from the settle's own final
        // evaluation, the per-sample ones from the error buffers it leaves (a stale buffer, say the
        // batch before's, would break the sum); data at the bottom, so the settled energy is not 0,
        // and 500 digits in batches of 32, so the last, shorter batch takes a settler of its own
        Evaluation ev = new PcTrainer(generative(), generativeSettings()).evaluate(split.test());
        double mean = 0;
        for (double e : ev.energies()) {
            mean += e;
        }
        mean /= ev.energies().length;
        double layers = 0;
        for (double e : ev.energyPerLayer()) {
            layers += e;
        }
        assertTrue(mean > 1, "mean settled energy per digit " + mean);
        assertEquals(layers, mean, 1e-12 * mean);
    }

    @Test
    void shuffledTrainingLabelsGiveChanceAccuracy() {
        PcTrainer t = train(split.train().withShuffledLabels(8), 3);
        double acc = t.evaluate(split.test()).accuracy(split.test().labels());
        // chance is 0.1; with 500 test digits its standard error is 0.013, and a network that learned
        // the majority class of the shuffled set cannot exceed that class's share (~0.12)
        assertTrue(acc < 0.2, "accuracy with shuffled training labels: " + acc);
    }

    @Test
    void trainingIsReproducibleFromItsSeed() {
        PcTrainer a = train(split.train().head(320), 1);
        PcTrainer b = train(split.train().head(320), 1);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(a.hierarchy().weights(l), b.hierarchy().weights(l));
            assertArrayEquals(a.hierarchy().bias(l), b.hierarchy().bias(l));
        }
        PcTrainer c = new PcTrainer(classifier(1), settings(1).withSeed(10));
        c.trainEpoch(split.train().head(320));
        assertTrue(!java.util.Arrays.equals(a.hierarchy().weights(0), c.hierarchy().weights(0)),
                "another seed shuffles differently");
    }

    /**
     * Precision learning between a batch's learning step and the next settle moves {@code Pi} and
     * keeps the run reproducible from its seed. (That the trainer's kept workspace sees each new
     * {@code Pi} at its next evaluation is EnergyWorkspaceTest's
     * {@code aReplacedPrecisionTakesEffectAtTheNextEvaluation}.)
     */
    @Test
    void precisionsLearntDuringTrainingChangePiAndAreReproducible() {
        TrainingSettings twoPhase = settings(1);
        TrainingSettings continuous = settings(1).withRegime(TrainingSettings.Regime.CONTINUOUS, new double[] {2.0}, 4.0)
                .withSettling("euler", StepSettings.fixed(0.2), settings(1).stop(), settings(1).evalStop());
        for (TrainingSettings base : List.of(twoPhase, continuous)) {
            TrainingSettings s = base.withPrecision(PrecisionRule.covariance(0.01, 0.01, 100), 1);
            PcTrainer a = new PcTrainer(classifier(1), s);
            PcTrainer b = new PcTrainer(classifier(1), s);
            EpochReport ra = a.trainEpoch(split.train().head(320));
            EpochReport rb = b.trainEpoch(split.train().head(320));
            double[] pi = a.hierarchy().precision(1).toDense();
            assertArrayEquals(pi, b.hierarchy().precision(1).toDense(), s.regime().toString());
            assertArrayEquals(a.hierarchy().weights(0), b.hierarchy().weights(0));
            assertEquals(ra.energyPerSample(), rb.energyPerSample());
            double[] identity = classifier(1).precision(1).toDense();
            assertTrue(!java.util.Arrays.equals(identity, pi), s.regime() + ": ten batches of the covariance rule moved Pi_1");
        }
    }

    @Test
    void settlingAloneLearnsNothingAndLeavesTheTrainingTrajectoryAsItWas() {
        LabelledData data = split.train().head(320);
        PcTrainer plain = train(data, 1);
        PcTrainer t = new PcTrainer(classifier(1), settings(1));
        double[] w0 = t.hierarchy().weights(0).clone();
        EpochReport settled = t.settleEpoch(data);
        assertArrayEquals(w0, t.hierarchy().weights(0), 0.0);
        assertEquals(10, settled.batches());
        assertEquals(0, settled.epoch());
        EpochReport first = t.trainEpoch(data);
        // the first training epoch settles the same batches in the same order, from the same weights;
        // its energy is lower only by the steps taken along the way
        assertEquals(1, first.epoch());
        assertTrue(first.energyPerSample() < settled.energyPerSample(), first.energyPerSample() + " vs "
                + settled.energyPerSample());
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(plain.hierarchy().weights(l), t.hierarchy().weights(l), 0.0);
        }
    }

    @Test
    void continuousRegimeLearnsToo() {
        TrainingSettings s = settings(2).withRegime(TrainingSettings.Regime.CONTINUOUS, new double[] {2.0}, 4.0)
                .withSettling("euler", StepSettings.fixed(0.2), settings(1).stop(), settings(1).evalStop());
        PcTrainer t = new PcTrainer(classifier(1), s);
        double before = t.evaluate(split.test()).accuracy(split.test().labels());
        t.trainEpoch(split.train());
        t.trainEpoch(split.train());
        double after = t.evaluate(split.test()).accuracy(split.test().labels());
        assertTrue(after > before + 0.3 && after > 0.6, "continuous regime: " + before + " -> " + after);
    }

    @Test
    void generativeLearningLowersHeldOutEnergy() {
        Hierarchy h = generative();
        TrainingSettings s = generativeSettings();
        PcTrainer t = new PcTrainer(h, s);
        double before = t.evaluate(split.test()).energyPerLayer()[0];
        t.trainEpoch(split.train());
        t.trainEpoch(split.train());
        double after = t.evaluate(split.test()).energyPerLayer()[0];
        assertTrue(after < 0.5 * before, "held-out bottom-layer energy " + before + " -> " + after);
        double[] digits = PcTrainer.generate(h, s, new double[2 * 8], 2);
        assertEquals(2 * 784, digits.length);
    }

    @Test
    void modelsRoundTripBitExactlyAndRefuseOtherVersionsAndShapes() throws IOException {
        PcTrainer t = train(split.train().head(320), 1);
        Path f = dir.resolve("m.fena");
        ModelFile.save(f, new ModelFile.Model(t.hierarchy(), t.settings(), null));
        ModelFile.Model m = ModelFile.load(f);
        assertEquals(t.hierarchy().toString(), m.hierarchy().toString());
        assertArrayEquals(t.evaluate(split.test()).predictions(),
                PcTrainer.evaluate(m.hierarchy(), m.settings(), null, split.test().inputs(), 500, 784).predictions());
        ModelFile.requireShape(f, m, 784, 10);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.requireShape(f, m, 100, 10));
        assertTrue(shape.getMessage().contains("784 units") && shape.getMessage().contains("100 values"));

        byte[] bytes = Files.readAllBytes(f);
        bytes[12] = 2;
        Path v2 = dir.resolve("v2.fena");
        Files.write(v2, bytes);
        IOException version = assertThrows(IOException.class, () -> ModelFile.load(v2));
        assertTrue(version.getMessage().contains("version 2") && version.getMessage().contains("reads version 1"),
                version.getMessage());
        Path cut = dir.resolve("cut.fena");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(f), 500));
        IOException truncated = assertThrows(IOException.class, () -> ModelFile.load(cut));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }
}
