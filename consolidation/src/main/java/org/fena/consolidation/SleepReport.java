package org.fena.consolidation;

import java.util.List;

/**
 * What a sleep reports.
 *
 * @param seed        the sleep's seed
 * @param duration    cycles run
 * @param strategies  names of the strategies, in order
 * @param energy      mean settled energy per sample of every replayed or dreamed batch, by cycle
 * @param dreams      the last batch of dreamed causes ({@code n x d_top} row-major), or null
 * @param dreamLabels their classes, or null
 * @param wallSeconds wall-clock time
 */
public record SleepReport(long seed, int duration, List<String> strategies, List<EnergyPoint> energy,
                          double[] dreams, int[] dreamLabels, double wallSeconds) {

    /**
     * One recorded batch.
     *
     * @param cycle           the sleep cycle
     * @param strategy        which strategy settled it
     * @param energyPerSample mean settled energy {@code E / B} of the batch (before its weight step)
     */
    public record EnergyPoint(int cycle, String strategy, double energyPerSample) {
    }

    /** Mean of the recorded energies of {@code strategy} over cycles {@code [from, to)}, or NaN. */
    public double meanEnergy(String strategy, int from, int to) {
        double s = 0;
        int n = 0;
        for (EnergyPoint p : energy) {
            if (p.strategy().equals(strategy) && p.cycle() >= from && p.cycle() < to) {
                s += p.energyPerSample();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
