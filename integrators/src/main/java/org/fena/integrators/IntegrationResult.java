package org.fena.integrators;

/**
 * What an integration reports besides the final state (which is left in the caller's array).
 *
 * @param termination     why it ended
 * @param t               final time
 * @param steps           accepted steps
 * @param rejectedSteps   rejected step attempts
 * @param rhsEvaluations  evaluations of the vector field, the cost measure of settling
 */
public record IntegrationResult(Termination termination, double t, long steps, long rejectedSteps,
                                long rhsEvaluations) {
}
