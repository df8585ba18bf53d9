package org.fena.integrators;

/**
 * The one {@link StepState} an integration reuses for all its steps. Current and previous
 * buffers change places by swapping references, so accepting a step copies nothing.
 */
final class MutableStepState implements StepState {

    double t;
    double prevT;
    double[] y;
    double[] yDot;
    double[] prevY;
    double[] prevYDot;
    long steps;
    long rejected;
    long evals;

    MutableStepState(double[] y, double[] yDot, double[] prevY, double[] prevYDot) {
        this.y = y;
        this.yDot = yDot;
        this.prevY = prevY;
        this.prevYDot = prevYDot;
    }

    /** Makes the previous state equal to the current one, as it is before the first step. */
    void startAt(double t0) {
        t = t0;
        prevT = t0;
        System.arraycopy(y, 0, prevY, 0, y.length);
        System.arraycopy(yDot, 0, prevYDot, 0, yDot.length);
    }

    /**
     * Accepts a step whose state and derivative were written into the previous buffers (free
     * while a step is computed): they become current and the old current becomes previous.
     */
    void accept(double tNew) {
        double[] tmp = prevY;
        prevY = y;
        y = tmp;
        tmp = prevYDot;
        prevYDot = yDot;
        yDot = tmp;
        prevT = t;
        t = tNew;
        steps++;
    }

    @Override
    public double t() {
        return t;
    }

    @Override
    public double[] y() {
        return y;
    }

    @Override
    public double[] yDot() {
        return yDot;
    }

    @Override
    public double previousT() {
        return prevT;
    }

    @Override
    public double[] previousY() {
        return prevY;
    }

    @Override
    public double[] previousYDot() {
        return prevYDot;
    }

    @Override
    public double stepSize() {
        return t - prevT;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public long rejectedSteps() {
        return rejected;
    }

    @Override
    public long rhsEvaluations() {
        return evals;
    }

    @Override
    public void interpolate(double time, double[] out) {
        hermite(time, prevT, prevY, prevYDot, t, y, yDot, out);
    }

    /**
     * Cubic Hermite interpolation on {@code [t0, t1]}; the end points are returned exactly so that
     * a sample falling on a step end sees the step's own state.
     */
    static void hermite(double time, double t0, double[] y0, double[] f0, double t1, double[] y1,
                        double[] f1, double[] out) {
        int n = out.length;
        if (time == t1 || t1 == t0) {
            System.arraycopy(y1, 0, out, 0, n);
            return;
        }
        if (time == t0) {
            System.arraycopy(y0, 0, out, 0, n);
            return;
        }
        double h = t1 - t0;
        double s = (time - t0) / h;
        double s2 = s * s;
        double s3 = s2 * s;
        double h00 = 2 * s3 - 3 * s2 + 1;
        double h01 = -2 * s3 + 3 * s2;
        double h10 = (s3 - 2 * s2 + s) * h;
        double h11 = (s3 - s2) * h;
        for (int i = 0; i < n; i++) {
            out[i] = h00 * y0[i] + h01 * y1[i] + h10 * f0[i] + h11 * f1[i];
        }
    }
}
