package org.fena.consolidation;

import java.util.SplittableRandom;

import org.fena.dynamics.learning.BatchSettler;
import org.fena.dynamics.learning.InitMode;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.LocalLearner;

/**
 * Fast-to-slow transfer (complementary learning systems). The hierarchy's live parameters are the
 * sum {@code theta = theta_slow + theta_fast}: everything learnt while awake (and by the other
 * strategies of a sleep) goes into the fast part {@code theta - theta_slow}. The first sleep adopts
 * the weights it finds as the slow weights: there is nothing older to protect. The strategy keeps the
 * slow weights across sleeps, so use one instance per learner. Two modes:
 *
 * <ul>
 *   <li>{@link Mode#INTERPOLATE}: at the end of each sleep a fraction {@code alpha} of the fast part
 *       moves into the slow weights and the rest decays,
 *       {@code theta_slow <- theta_slow + alpha (theta - theta_slow); theta <- theta_slow}: the
 *       one-step (weight-space) form of distilling one network into another of the same shape.</li>
 *   <li>{@link Mode#DISTILL}: a slow network is trained on the live (slow + fast) one's behaviour.
 *       Each cycle a batch of stored inputs (a seeded sweep through the {@link EpisodicBuffer}) is
 *       settled by the live network with only the data clamped, as at inference; the slow network is
 *       then clamped to the teacher's settled state at every layer and takes one local Hebbian step
 *       {@code dW_slow,l ∝ (Pi_l eps_l ⊙ f'_l) x*_{l+1}'} with {@code eps_l = x*_l - f_l(W_slow,l x*_{l+1} + b_slow,l)}:
 *       each slow layer learns to predict the teacher's state below from its state above, which is
 *       the energy of the slow network at the teacher's equilibrium going down, so the slow network's
 *       own equilibria (its settled outputs) move toward the teacher's. At the end of a sleep that ran
 *       at least one cycle the fast part decays, {@code theta <- theta_slow + (1 - decay) (theta - theta_slow)}.
 *       The recorded energy is that distillation loss per sample.</li>
 * </ul>
 *
 * Act last in a sleep, after replay and dreaming have written into the fast part (so the teacher of
 * each cycle is the network replay has just repaired).
 *
 * @see <a href="https://doi.org/10.1037/0033-295X.102.3.419">McClelland, McNaughton and O'Reilly (1995)</a>
 */
public final class FastToSlowTransfer implements SleepStrategy {

    /** How the fast part reaches the slow weights. */
    public enum Mode {
        /** One interpolation step in weight space at the end of a sleep. */
        INTERPOLATE,
        /** The slow network trained by the local rule on the live network's settled states. */
        DISTILL;

        /** {@code interpolate} or {@code distill}. */
        public static Mode byName(String s) {
            return switch (s) {
                case "interpolate" -> INTERPOLATE;
                case "distill" -> DISTILL;
                default -> throw new IllegalArgumentException("transfer mode: interpolate or distill, got " + s);
            };
        }
    }

    private final Mode mode;
    private final double alpha;
    private final double rate;
    private final double decay;
    private Hierarchy slow;
    // per sleep (distill)
    private SplittableRandom rng;
    private LocalLearner slowLearner;
    private BatchSettler teacher;
    private BatchSettler student;
    private double[] x;
    private double[] yTeacher;
    private double[] studentState;
    private double[] layer;
    private int[] order;
    private int next;
    private int cycles;

    /** Transfer by interpolation of a fraction {@code alpha in [0, 1]} of the fast weights per sleep. */
    public FastToSlowTransfer(double alpha) {
        this(Mode.INTERPOLATE, alpha, 0, 1);
    }

    private FastToSlowTransfer(Mode mode, double alpha, double rate, double decay) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("transfer fraction must be in [0, 1], got " + alpha);
        }
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("transfer decay must be in [0, 1], got " + decay);
        }
        if (!Double.isNaN(rate) && !(rate >= 0 && Double.isFinite(rate))) {
            throw new IllegalArgumentException("transfer rate must be a finite number >= 0, got " + rate);
        }
        this.mode = mode;
        this.alpha = alpha;
        this.rate = rate;
        this.decay = decay;
    }

    /**
     * Transfer by distillation: the slow network learns at {@code rate} (NaN: the sleep's rate, with
     * the sleep's update rule) toward the live network's settled states, and the fast part decays by
     * {@code decay in [0, 1]} at the end of each sleep (1: the live weights become the slow ones).
     */
    public static FastToSlowTransfer distill(double rate, double decay) {
        return new FastToSlowTransfer(Mode.DISTILL, 0, rate, decay);
    }

    @Override
    public String name() {
        return "transfer";
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    /** The fraction transferred per sleep (interpolation). */
    public double alpha() {
        return alpha;
    }

    /** A copy of the slow network (null before the first sleep). */
    public Hierarchy slow() {
        return slow == null ? null : slow.copy();
    }

    @Override
    public void begin(SleepContext ctx, SplittableRandom r) {
        Hierarchy h = ctx.hierarchy();
        if (slow == null) {
            slow = h.copy();
        }
        cycles = 0;
        if (mode == Mode.DISTILL) {
            if (ctx.buffer() == null || ctx.buffer().size() == 0) {
                throw new IllegalStateException("distillation settles stored inputs: it needs a non-empty buffer");
            }
            rng = r;
            TrainingSettings s = ctx.settings();
            int bsz = ctx.batch();
            LocalLearner sleep = ctx.learner();
            slowLearner = new LocalLearner(slow, sleep.update(), Double.isNaN(rate) ? sleep.rate(0) : rate);
            boolean[] dataOnly = new boolean[h.layers()];
            dataOnly[s.dataLayer()] = true;
            teacher = new BatchSettler(h, bsz, dataOnly, s.integrator(), s.stop());
            // every layer is held at the teacher's state; one layer stays formally free (a workspace needs
            // one) and is written, not settled
            boolean[] held = new boolean[h.layers()];
            java.util.Arrays.fill(held, true);
            held[s.dataLayer() == 0 ? 1 : 0] = false;
            student = new BatchSettler(slow, bsz, held, s.integrator(), s.stop());
            x = new double[bsz * ctx.buffer().dim()];
            yTeacher = teacher.newState();
            studentState = student.newState();
            int widest = 0;
            for (int l = 0; l < h.layers(); l++) {
                widest = Math.max(widest, bsz * h.dim(l));
            }
            layer = new double[widest];
            order = null;
        }
    }

    @Override
    public void cycle(SleepContext ctx, int k) {
        if (mode != Mode.DISTILL) {
            return;
        }
        Hierarchy h = ctx.hierarchy();
        TrainingSettings s = ctx.settings();
        EpisodicBuffer buf = ctx.buffer();
        int bsz = ctx.batch();
        if (order == null || order.length != buf.size()) {
            order = java.util.stream.IntStream.range(0, buf.size()).toArray();
            next = order.length;
        }
        for (int i = 0; i < bsz; i++) {
            if (next == order.length) {
                org.fena.dynamics.data.LabelledData.shuffle(order, rng);
                next = 0;
            }
            buf.episode(order[next++], x, i * buf.dim());
        }
        teacher.clamp(s.dataLayer(), x, 0);
        // held from the start to the settled state (initialiseAndSettle): the clamped data's prediction
        // is computed once, not three times, with the same bits
        if (teacher.initialiseAndSettle(yTeacher, s.init() == InitMode.AMORTISED ? InitMode.TOP_DOWN : s.init(), null)
                .diverged()) {
            ctx.recordEnergy(name(), Double.NaN);
            return;
        }
        for (int l = 0; l < h.layers(); l++) {
            teacher.workspace().layerState(yTeacher, l, layer);
            if (student.workspace().isClamped(l)) {
                student.clamp(l, layer, 0);
            } else {
                System.arraycopy(layer, 0, studentState, student.workspace().freeOffset(l), bsz * h.dim(l));
            }
        }
        double e = student.evaluate(studentState, null);
        slowLearner.step(student.workspace(), studentState);
        ctx.recordEnergy(name(), e / bsz);
        cycles++;
    }

    @Override
    public void end(SleepContext ctx) {
        Hierarchy h = ctx.hierarchy();
        for (int l = 0; l < h.top(); l++) {
            if (mode == Mode.INTERPOLATE) {
                mix(slow.weights(l), h.weights(l), alpha, 0);
                mix(slow.bias(l), h.bias(l), alpha, 0);
            } else if (cycles > 0) {
                // nothing was distilled in a sleep of no cycles, so the fast part has nothing to give way to
                mix(slow.weights(l), h.weights(l), 0, 1 - decay);
                mix(slow.bias(l), h.bias(l), 0, 1 - decay);
            }
        }
        teacher = null;
        student = null;
        slowLearner = null;
    }

    /** {@code slow += a (live - slow); live = slow + keep (live - slow)} with the old live difference. */
    private static void mix(double[] slow, double[] live, double a, double keep) {
        for (int i = 0; i < slow.length; i++) {
            slow[i] += a * (live[i] - slow[i]);
            live[i] = keep == 0 ? slow[i] : slow[i] + keep * (live[i] - slow[i]);
        }
    }
}
