package org.fena.dynamics.langevin;

/**
 * What a Langevin settle reports.
 *
 * @param schedule              label of {@code T(t)}
 * @param integrator            the stochastic integrator's name
 * @param step                  its fixed step
 * @param seed                  master seed of the per-sample noise streams
 * @param batch                 samples settled together
 * @param diverged              a sample's state became NaN or infinite
 * @param stopRule              {@code final-time}, {@code step-budget} or {@code diverged}
 * @param stopDetail            a sentence saying why it ended
 * @param steps                 accepted steps
 * @param rhsEvaluations        drift evaluations over all chunks (the cost)
 * @param tFinal                simulated time reached
 * @param temperatureFinal      {@code T(tFinal)}
 * @param energyInitial         {@code E} at the start, summed over the batch
 * @param energyFinal           {@code E} at the end, summed over the batch
 * @param energyFinalPerSample  each sample's final energy, or null when the settler was built
 *                              without them ({@code LangevinSettler.Builder#sampleEnergies})
 * @param energyPerLayerInitial per-layer energy at the start, bottom first
 * @param energyPerLayerFinal   per-layer energy at the end, bottom first
 * @param gradNormInitial       {@code |dE/dx|} at the start
 * @param gradNormFinal         {@code |dE/dx|} at the end
 * @param wallSeconds           wall-clock time
 * @param finalStates           final state of every layer (clamped included), {@code B x d_l} row-major
 * @param trace                 recorded rows (summed over chunks)
 */
public record LangevinResult(String schedule, String integrator, double step, long seed, int batch,
                             boolean diverged, String stopRule, String stopDetail, long steps,
                             long rhsEvaluations, double tFinal, double temperatureFinal,
                             double energyInitial, double energyFinal, double[] energyFinalPerSample,
                             double[] energyPerLayerInitial, double[] energyPerLayerFinal,
                             double gradNormInitial, double gradNormFinal, double wallSeconds,
                             double[][] finalStates, LangevinTrace trace) {

    /** Final state of layer {@code l}, {@code B x d_l} row-major. */
    public double[] finalState(int l) {
        return finalStates[l];
    }
}
