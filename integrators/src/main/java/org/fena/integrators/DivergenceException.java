package org.fena.integrators;

/** The state became NaN or infinite: the run stops, naming the step and the time. */
public class DivergenceException extends IntegrationException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final double time;
    private final int component;

    /** Creates the exception for the first non-finite {@code component} found after {@code step}. */
    public DivergenceException(long step, double time, int component) {
        super(String.format(java.util.Locale.ROOT,
                "state diverged (NaN or infinite value in component %d) at step %d, t = %.6g;"
                        + " reduce the step size or check the system's stability", component, step, time));
        this.step = step;
        this.time = time;
        this.component = component;
    }

    /** The accepted-step number at which the state stopped being finite. */
    public long step() {
        return step;
    }

    /** The time at which the state stopped being finite. */
    public double time() {
        return time;
    }

    /** Index of the first non-finite component. */
    public int component() {
        return component;
    }
}
