package org.fena.integrators;

/**
 * Step-size settings shared by every method: the step-size controller's parameters, apart from
 * the method itself.
 *
 * @param step      fixed step for fixed-step methods; initial step for adaptive ones
 *                  ({@code NaN} lets the adaptive method choose it)
 * @param rtol      relative tolerance of error control
 * @param atol      absolute tolerance of error control
 * @param minStep   smallest step an adaptive method may take before it gives up
 * @param maxStep   largest step an adaptive method may take
 * @param adaptive  {@code false} runs an embedded (adaptive) method at the fixed {@code step},
 *                  propagating its higher-order solution: how its order is measured
 */
public record StepSettings(double step, double rtol, double atol, double minStep, double maxStep,
                           boolean adaptive) {

    /** Validates the settings. */
    public StepSettings {
        if (!(Double.isNaN(step) || step > 0)) {
            throw new IllegalArgumentException("step must be > 0, got " + step);
        }
        if (!(rtol >= 0) || !(atol >= 0) || rtol + atol <= 0) {
            throw new IllegalArgumentException("rtol and atol must be >= 0 and not both 0, got rtol="
                    + rtol + ", atol=" + atol);
        }
        if (!(minStep >= 0) || !(maxStep > 0) || minStep > maxStep) {
            throw new IllegalArgumentException("need 0 <= minStep <= maxStep, got minStep=" + minStep
                    + ", maxStep=" + maxStep);
        }
    }

    /** Fixed step {@code h}. */
    public static StepSettings fixed(double h) {
        return new StepSettings(h, 1e-6, 1e-9, 0.0, Double.POSITIVE_INFINITY, false);
    }

    /** Error control with the given tolerances; the method picks its first step. */
    public static StepSettings tolerances(double rtol, double atol) {
        return new StepSettings(Double.NaN, rtol, atol, 0.0, Double.POSITIVE_INFINITY, true);
    }

    /** The same settings with another initial or fixed step. */
    public StepSettings withStep(double h) {
        return new StepSettings(h, rtol, atol, minStep, maxStep, adaptive);
    }

    /** The same settings with a largest step. */
    public StepSettings withMaxStep(double h) {
        return new StepSettings(step, rtol, atol, minStep, h, adaptive);
    }
}
