package org.fena.dynamics;

/**
 * What a settle reports: whether and when it converged, its cost, the energy and gradient norm
 * at both ends, the final state of every layer and, when recorded in memory, the trace.
 *
 * @param converged        a tolerance of the stop criteria was met
 * @param diverged         the state became NaN or infinite, or the integrator could not find a finite
 *                         step (see {@code stopRule}, {@code stopDetail})
 * @param stopRule         the rule that ended the run ({@code derivative-norm}, {@code change},
 *                         {@code final-time}, {@code step-budget}, {@code diverged}, {@code integration-failed})
 * @param stopDetail       a sentence saying why it ended
 * @param integrator       the integrator's name
 * @param batch            number of samples settled together
 * @param steps            accepted steps
 * @param rejectedSteps    rejected step attempts
 * @param rhsEvaluations   evaluations of the vector field (the cost of settling)
 * @param tFinal           simulated time reached
 * @param energyInitial    energy at the start (summed over the batch)
 * @param energyFinal      energy at the end (summed over the batch)
 * @param energyPerLayerInitial per-layer energy at the start, bottom first
 * @param energyPerLayerFinal   per-layer energy at the end, bottom first
 * @param gradNormInitial  {@code |dE/dx|} at the start
 * @param gradNormFinal    {@code |dE/dx|} at the end
 * @param wallSeconds      wall-clock time of the integration
 * @param finalStates      final state of every layer (clamped included), {@code B x d_l} row-major
 * @param trace            recorded rows, or {@code null} when not recorded in memory
 */
public record SettleResult(boolean converged, boolean diverged, String stopRule, String stopDetail,
                           String integrator, int batch, long steps, long rejectedSteps,
                           long rhsEvaluations, double tFinal, double energyInitial,
                           double energyFinal, double[] energyPerLayerInitial,
                           double[] energyPerLayerFinal, double gradNormInitial,
                           double gradNormFinal, double wallSeconds, double[][] finalStates,
                           Trace trace) {

    /** Final energy per sample, {@code energyFinal / batch}. */
    public double energyFinalPerSample() {
        return energyFinal / batch;
    }

    /** Final state of layer {@code l}, {@code B x d_l} row-major. */
    public double[] finalState(int l) {
        return finalStates[l];
    }
}
