package org.fena.consolidation;

import java.util.ArrayList;
import java.util.List;

import org.fena.dynamics.learning.BatchSettler;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.LocalLearner;

/**
 * What the strategies of one running sleep share: the hierarchy (whose live weights they change),
 * the training settings it was trained with (which layers hold data and labels, the integrator and
 * the settle stop rule), the episodic buffer (may be null), the local learner of the sleep (one
 * update state for the whole sleep, so replayed and dreamed steps share Adam's moments) and the
 * energy trace.
 */
public final class SleepContext {

    private final Hierarchy h;
    private final TrainingSettings s;
    private final EpisodicBuffer buffer;
    private final LocalLearner learner;
    private final int batch;
    private final List<SleepReport.EnergyPoint> energy = new ArrayList<>();
    private final List<double[]> dreams = new ArrayList<>();
    private final List<int[]> dreamLabels = new ArrayList<>();
    private BatchSettler clamped;
    private int cycle;

    SleepContext(Hierarchy h, TrainingSettings s, EpisodicBuffer buffer, LocalLearner learner, int batch) {
        this.h = h;
        this.s = s;
        this.buffer = buffer;
        this.learner = learner;
        this.batch = batch;
    }

    /** The hierarchy (live). */
    public Hierarchy hierarchy() {
        return h;
    }

    /** The settings the hierarchy was trained with. */
    public TrainingSettings settings() {
        return s;
    }

    /** The episodic buffer, or null. */
    public EpisodicBuffer buffer() {
        return buffer;
    }

    /** The sleep's local learner (its update rule and rates). */
    public LocalLearner learner() {
        return learner;
    }

    /** Samples per replayed or dreamed batch. */
    public int batch() {
        return batch;
    }

    /** The cycle running now. */
    public int cycleIndex() {
        return cycle;
    }

    void cycleIndex(int k) {
        cycle = k;
    }

    /**
     * A settler of one batch with the data layer and (when supervised) the label layer clamped,
     * shared by the strategies, built on first use: replay and dreaming both settle episodes of
     * that shape.
     */
    public BatchSettler clampedSettler() {
        if (clamped == null) {
            boolean[] mask = new boolean[h.layers()];
            mask[s.dataLayer()] = true;
            if (s.supervised()) {
                mask[s.labelLayer()] = true;
            }
            clamped = new BatchSettler(h, batch, mask, s.integrator(), s.stop());
        }
        return clamped;
    }

    /** Records the mean settled energy per sample of one batch of strategy {@code who} in the current cycle. */
    public void recordEnergy(String who, double energyPerSample) {
        energy.add(new SleepReport.EnergyPoint(cycle, who, energyPerSample));
    }

    /**
     * Keeps a batch of dreamed causes ({@code n x d} row-major) and their classes for the report; only
     * the last batch is reported, so only the last is held (a long sleep would otherwise hold them all).
     */
    public void keepDreams(double[] causes, int[] labels) {
        dreams.clear();
        dreamLabels.clear();
        dreams.add(causes.clone());
        dreamLabels.add(labels.clone());
    }

    List<SleepReport.EnergyPoint> energy() {
        return energy;
    }

    List<double[]> dreams() {
        return dreams;
    }

    List<int[]> dreamLabels() {
        return dreamLabels;
    }
}
