package org.fena.integrators;

/**
 * Why an integration ended.
 *
 * @param rule      short name of the rule that ended it ({@code final-time}, {@code derivative-norm},
 *                  {@code change}, {@code step-budget}, ...)
 * @param converged whether the rule counts the run as converged (a tolerance met), as opposed to
 *                  having run out of time or budget
 * @param detail    a sentence a person can read
 */
public record Termination(String rule, boolean converged, String detail) {
}
