package org.fena.consolidation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.BatchSettler;
import org.fena.dynamics.learning.PcTrainer;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.UpdateRule;
import org.junit.jupiter.api.Test;

/** Dreams interleaved with waking batches, and fast-to-slow transfer by distillation. */
class WakingAndDistillationTest {

    private final TrainingSettings ts = Fixtures.settings(8).withUpdate(UpdateRule.adam(), 1e-2).withEpochs(1);

    private double[][] wake(double ratio, long seed, int[] dreamed) {
        Hierarchy h = Fixtures.hierarchy(6, false, 3);
        PcTrainer t = new PcTrainer(h, ts.withSeed(5));
        EpisodicBuffer b = Fixtures.buffer(40, 100, 2);
        SleepReport r = new InterleavedDreams(Fixtures.dreaming(), ratio, 8, seed).wake(t, Fixtures.data(64, 4), 2, b);
        dreamed[0] = r.duration();
        return Fixtures.weights(h);
    }

    @Test
    void interleavingWithRatioZeroIsPlainSequentialTrainingBitForBit() {
        Hierarchy h = Fixtures.hierarchy(6, false, 3);
        PcTrainer t = new PcTrainer(h, ts.withSeed(5));
        for (int e = 0; e < 2; e++) {
            t.trainEpoch(Fixtures.data(64, 4));
        }
        double[][] plain = Fixtures.weights(h);
        int[] n = new int[1];
        double[][] zero = wake(0, 9, n);
        assertEquals(0, n[0]);
        for (int i = 0; i < plain.length; i++) {
            assertArrayEquals(plain[i], zero[i], 0.0, "parameter array " + i);
        }
        // and dreams do change what is learnt
        double[][] one = wake(1, 9, n);
        assertTrue(!Arrays.equals(plain[0], one[0]), "interleaved dreams must change the weights");
    }

    @Test
    void theRatioSetsTheNumberOfDreamedBatchesAndTheSeedTheirContent() {
        int[] n = new int[1];
        // 64 samples in batches of 8: 8 waking batches per epoch, 16 in two epochs
        double[][] a = wake(0.5, 9, n);
        assertEquals(8, n[0]);
        wake(2, 9, n);
        assertEquals(32, n[0]);
        double[][] b = wake(0.5, 9, n);
        double[][] c = wake(0.5, 10, n);
        boolean differs = false;
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0.0, "same seed, parameter array " + i);
            differs |= !Arrays.equals(a[i], c[i]);
        }
        assertTrue(differs, "another seed must dream other batches");
    }

    /** The settled label layer of {@code h} with the inputs of {@code d} clamped (one batch), as at inference. */
    private double[] settledOutputs(Hierarchy h, LabelledData d) {
        boolean[] mask = new boolean[h.layers()];
        mask[ts.dataLayer()] = true;
        BatchSettler bs = new BatchSettler(h, d.size(), mask, ts.integrator(), ts.evalStop());
        bs.clamp(ts.dataLayer(), d.inputs(), 0);
        double[] y = bs.newState();
        bs.initialise(y, ts.init(), null);
        bs.settle(y);
        double[] out = new double[d.size() * h.dim(ts.labelLayer())];
        bs.workspace().layerState(y, ts.labelLayer(), out);
        return out;
    }

    /** Mean squared difference of the settled label layers of {@code a} and {@code b} on {@code d}. */
    private double outputMismatch(Hierarchy a, Hierarchy b, LabelledData d) {
        double[] oa = settledOutputs(a, d);
        double[] ob = settledOutputs(b, d);
        double s = 0;
        for (int i = 0; i < oa.length; i++) {
            s += (oa[i] - ob[i]) * (oa[i] - ob[i]);
        }
        return s / oa.length;
    }

    @Test
    void distillationMovesTheSlowNetworksSettledOutputsTowardTheLiveNetworks() {
        Hierarchy h = Fixtures.hierarchy(6, false, 2);
        EpisodicBuffer b = Fixtures.buffer(48, 200, 3);
        FastToSlowTransfer t = FastToSlowTransfer.distill(2e-2, 1.0);
        // the first sleep adopts the untrained weights as the slow network
        Fixtures.sleep(List.of(t), 0, 8, 1).run(h, ts, b);
        // fast learning awake: the live network learns the task, the slow one has not
        PcTrainer awake = new PcTrainer(h, ts);
        for (int e = 0; e < 10; e++) {
            awake.trainEpoch(Fixtures.data(240, 4));
        }
        Hierarchy teacher = h.copy();
        LabelledData inputs = b.episodes();
        double before = outputMismatch(t.slow(), teacher, inputs);
        SleepReport r = Fixtures.sleep(List.of(t), 200, 8, 1).run(h, ts, b);
        double after = outputMismatch(t.slow(), teacher, inputs);
        assertTrue(before > 1e-3, "the fast network must have learnt something: " + before);
        assertTrue(after < 0.25 * before, "output mismatch " + before + " -> " + after);
        // the distillation loss falls over the sleep
        assertTrue(r.meanEnergy("transfer", 180, 200) < r.meanEnergy("transfer", 0, 20), r.energy().toString());
        // decay 1: the live weights are the slow ones after the sleep
        assertArrayEquals(t.slow().weights(0), h.weights(0), 0.0);
    }

    @Test
    void aDistillingSleepOfNoCyclesLeavesTheWeightsUnchanged() {
        Hierarchy h = Fixtures.hierarchy(6, false, 2);
        EpisodicBuffer b = Fixtures.buffer(48, 200, 3);
        FastToSlowTransfer t = FastToSlowTransfer.distill(Double.NaN, 1.0);
        Fixtures.sleep(List.of(t), 5, 8, 1).run(h, ts, b);
        PcTrainer awake = new PcTrainer(h, ts);
        awake.trainEpoch(Fixtures.data(240, 4));
        double[][] before = Fixtures.weights(h);
        Fixtures.sleep(List.of(t), 0, 8, 1).run(h, ts, b);
        double[][] after = Fixtures.weights(h);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], 0.0, "parameter array " + i);
        }
    }

    @Test
    void aMixedBatchHoldsStoredEpisodesAndDreamsInTheGivenShare() {
        Hierarchy h = Fixtures.hierarchy(6, false, 3);
        EpisodicBuffer b = Fixtures.buffer(40, 100, 2);
        GenerativeReplay dream = Fixtures.meanDreams().withMix(0.75);
        SleepReport r = Fixtures.sleep(List.of(dream), 3, 8, 5).run(h, ts, b);
        assertEquals(3, r.energy().size());
        // 8 per batch, 6 of them stored episodes: 2 dreamed rows reported, each its class mean (no spread)
        assertEquals(2, r.dreamLabels().length);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(b.classMean(r.dreamLabels()[i]),
                    Arrays.copyOfRange(r.dreams(), i * Fixtures.DIM, (i + 1) * Fixtures.DIM), 1e-12);
        }
        // a batch of stored episodes only dreams nothing
        SleepReport all = Fixtures.sleep(List.of(dream.withMix(1.0)), 3, 8, 5).run(h, ts, b);
        assertEquals(3, all.energy().size());
        assertEquals(null, all.dreams());
    }
}
