package org.fena.dynamics.learning;

/**
 * Diagnostics of one training epoch, averaged over its batches.
 *
 * @param epoch              1-based epoch number (0 for {@link PcTrainer#settleEpoch}, which learns nothing)
 * @param energyPerSample    settled energy per sample (training clamps)
 * @param energyPerLayer     settled per-layer energy per sample, bottom first: the heat map of which
 *                           layer holds the error
 * @param imbalance          share of the largest layer in the settled energy, {@code max_l E_l / sum_l E_l}
 *                           ({@code 1/#layers with errors} is perfectly balanced, 1 all in one layer)
 * @param rhsPerBatch        mean right-hand-side evaluations per settle (the settling cost)
 * @param timePerBatch       mean simulated settling time per batch
 * @param batches            number of weight steps taken
 * @param unconvergedSteps   weight steps taken on a state that had not met the stop rule's tolerance
 * @param divergedBatches    settles that diverged (no weight step taken)
 * @param wallSeconds        wall-clock time of the epoch
 */
public record EpochReport(int epoch, double energyPerSample, double[] energyPerLayer, double imbalance,
                          double rhsPerBatch, double timePerBatch, int batches, int unconvergedSteps,
                          int divergedBatches, double wallSeconds) {

    /** The warning a weight step on an unconverged state deserves, or null when every state converged. */
    public String warning() {
        if (unconvergedSteps == 0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT,
                "epoch %d: %d of %d weight steps were taken on states that had not converged"
                        + " (the stop rule's budget ended the settle): the Hebbian step is then not the energy gradient"
                        + " at equilibrium", epoch, unconvergedSteps, batches);
    }

    /** {@code max_l E_l / sum_l E_l} of per-layer energies. */
    public static double imbalance(double[] perLayer) {
        double max = 0;
        double sum = 0;
        for (double e : perLayer) {
            max = Math.max(max, e);
            sum += e;
        }
        return sum > 0 ? max / sum : 0;
    }
}
