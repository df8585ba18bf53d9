package org.fena.dynamics;

/**
 * When settling stops: on the rate of change (the gradient norm, absolute or relative to its
 * initial value), on the energy change between accepted steps, at a final time, or when the step
 * budget runs out — whichever comes first. Convergence is never judged on the size of the state.
 *
 * @param tMax          final simulated time (the run lands on it exactly); {@code +inf} for none
 * @param gradTol       absolute tolerance on {@code |dE/dx|}; 0 disables
 * @param gradRtol      tolerance on {@code |dE/dx|} relative to its initial value; 0 disables
 * @param energyTol     tolerance on {@code |E_n - E_{n-1}|} (absolute, plus the same relative to
 *                      {@code |E_n|}); 0 disables
 * @param energyWindow  consecutive accepted steps the energy change must stay within tolerance
 * @param maxSteps      budget of accepted steps
 */
public record StopCriteria(double tMax, double gradTol, double gradRtol, double energyTol,
                           int energyWindow, long maxSteps) {

    /** Validates every field. */
    public StopCriteria {
        if (!(tMax > 0)) {
            throw new IllegalArgumentException("t_max must be > 0, got " + tMax);
        }
        if (!(gradTol >= 0) || !(gradRtol >= 0) || !(energyTol >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0");
        }
        if (energyWindow < 1) {
            throw new IllegalArgumentException("energy_window must be >= 1, got " + energyWindow);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("max_steps must be >= 1, got " + maxSteps);
        }
        if (Double.isInfinite(tMax) && maxSteps == Long.MAX_VALUE && gradTol == 0 && gradRtol == 0
                && energyTol == 0) {
            throw new IllegalArgumentException("no stop rule: give t_max, max_steps or a tolerance");
        }
    }

    /** Stops when {@code |dE/dx| <= gradTol}, or at {@code tMax}, or after {@code maxSteps}. */
    public static StopCriteria gradient(double gradTol, double tMax, long maxSteps) {
        return new StopCriteria(tMax, gradTol, 0, 0, 1, maxSteps);
    }

    /** Runs to {@code tMax} (or the budget) with no convergence test. */
    public static StopCriteria finalTime(double tMax) {
        return new StopCriteria(tMax, 0, 0, 0, 1, Long.MAX_VALUE);
    }

    /** Runs exactly {@code steps} accepted steps. */
    public static StopCriteria steps(long steps) {
        return new StopCriteria(Double.POSITIVE_INFINITY, 0, 0, 0, 1, steps);
    }
}
