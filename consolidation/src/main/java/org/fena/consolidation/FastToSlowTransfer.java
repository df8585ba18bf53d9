package org.fena.consolidation;

import org.fena.hierarchy.Hierarchy;

/**
 * Fast-to-slow transfer (complementary learning systems). The hierarchy's live parameters are the
 * sum {@code theta = theta_slow + theta_fast}: everything learnt while awake (and by the other
 * strategies of a sleep) goes into the fast part {@code theta - theta_slow}. At the end of each sleep
 * a fraction {@code alpha} of the fast part is distilled into the slow weights and the rest decays:
 *
 * <pre>
 *   theta_slow <- theta_slow + alpha (theta - theta_slow);    theta <- theta_slow   (theta_fast = 0)
 * </pre>
 *
 * With identical architectures, distilling the fast network into the slow one to zero error on
 * every input is copying it; {@code alpha} is the step-limited form (one step of a linear
 * interpolation). The first sleep adopts the weights it finds as the slow weights: there is nothing
 * older to protect. The strategy keeps the slow weights across sleeps, so use one instance per
 * learner. Act last in a sleep, after replay and dreaming have written into the fast part.
 *
 * @see <a href="https://doi.org/10.1037/0033-295X.102.3.419">McClelland, McNaughton and O'Reilly (1995)</a>
 */
public final class FastToSlowTransfer implements SleepStrategy {

    private final double alpha;
    private double[][] slowW;
    private double[][] slowB;

    /** Transfer of a fraction {@code alpha in [0, 1]} of the fast weights per sleep. */
    public FastToSlowTransfer(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("transfer fraction must be in [0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public String name() {
        return "transfer";
    }

    /** The fraction transferred per sleep. */
    public double alpha() {
        return alpha;
    }

    @Override
    public void begin(SleepContext ctx, java.util.SplittableRandom rng) {
        Hierarchy h = ctx.hierarchy();
        if (slowW == null) {
            slowW = new double[h.top()][];
            slowB = new double[h.top()][];
            for (int l = 0; l < h.top(); l++) {
                slowW[l] = h.weights(l).clone();
                slowB[l] = h.bias(l).clone();
            }
        }
    }

    @Override
    public void end(SleepContext ctx) {
        Hierarchy h = ctx.hierarchy();
        for (int l = 0; l < h.top(); l++) {
            mix(slowW[l], h.weights(l));
            mix(slowB[l], h.bias(l));
        }
    }

    private void mix(double[] slow, double[] live) {
        for (int i = 0; i < slow.length; i++) {
            slow[i] += alpha * (live[i] - slow[i]);
            live[i] = slow[i];
        }
    }
}
