package org.fena.consolidation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.learning.BatchSettler;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.dynamics.langevin.LangevinResult;
import org.fena.dynamics.langevin.LangevinSettler;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.StochasticIntegrator;

/**
 * Generative replay ("dreaming"). Each cycle dreams a batch of {@code B} episodes:
 *
 * <ol>
 *   <li>a class {@code c} is drawn uniformly among the classes the buffer has seen;</li>
 *   <li>the top-level cause is drawn from the buffer's statistics: with the data layer at the top
 *       (the discriminative arrangement) the cause is an input {@code x_L ~ N(mu_c, s^2 diag(sigma_c^2))},
 *       clipped to {@code [lo, hi]} (the data range), and the label layer is clamped to the one-hot
 *       {@code c}; with the label layer at the top (the generative arrangement) the cause is the
 *       one-hot {@code c} itself, a draw from the uniform prior over causes;</li>
 *   <li>every other layer starts top-down and settles under annealed Langevin noise,
 *       {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t)/tau_l) dW_l}, for {@code t in [0, tEnd]};</li>
 *   <li>one Hebbian step of the sleep's learner is taken at the final state.</li>
 * </ol>
 *
 * Class statistics cost {@code 2 d} numbers per class instead of a stored episode per sample: the
 * memory is compressed, and what is replayed is a sample of it, not a copy. The noise streams of a
 * cycle are seeded from this strategy's generator.
 *
 * <p>With a {@link #withMix mix} {@code q > 0} (data layer at the top only) the first
 * {@code round(q B)} samples of every batch are stored episodes drawn uniformly from the buffer (their
 * inputs as causes, their labels as classes) and the rest are dreams: replayed and dreamed samples
 * settle together under the same annealed noise and share one Hebbian step, instead of alternating
 * whole batches. Only the dreamed rows are kept for the report.
 */
public final class GenerativeReplay implements SleepStrategy {

    private final NoiseSchedule schedule;
    private final String integrator;
    private final double step;
    private final double tEnd;
    private final double spread;
    private final double lo;
    private final double hi;
    private final double mix;
    private SplittableRandom rng;
    private double[] y;

    /**
     * Dreaming with temperature {@code schedule}, stochastic {@code integrator} (name) at fixed
     * {@code step} until {@code tEnd}; causes drawn with standard deviations scaled by {@code spread}
     * and clipped to {@code [lo, hi]}.
     */
    public GenerativeReplay(NoiseSchedule schedule, String integrator, double step, double tEnd, double spread,
            double lo, double hi) {
        this(schedule, integrator, step, tEnd, spread, lo, hi, 0.0);
    }

    private GenerativeReplay(NoiseSchedule schedule, String integrator, double step, double tEnd, double spread,
            double lo, double hi, double mix) {
        if (!(step > 0) || !(tEnd >= step) || !(spread >= 0) || !(lo <= hi)) {
            throw new IllegalArgumentException("dreaming: step > 0, t_end >= step, spread >= 0 and lo <= hi expected");
        }
        if (!(mix >= 0 && mix <= 1)) {
            throw new IllegalArgumentException("dreaming: the share of stored episodes per batch must be in [0, 1], got "
                    + mix);
        }
        this.mix = mix;
        this.schedule = schedule;
        this.integrator = StochasticIntegrator.canonicalName(integrator);
        this.step = step;
        this.tEnd = tEnd;
        this.spread = spread;
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public String name() {
        return "dream";
    }

    /**
     * The same dreaming with a share {@code q in [0, 1]} of every batch taken from the stored episodes
     * (0: every sample dreamed).
     */
    public GenerativeReplay withMix(double q) {
        return new GenerativeReplay(schedule, integrator, step, tEnd, spread, lo, hi, q);
    }

    /** Share of every batch that is stored episodes. */
    public double mix() {
        return mix;
    }

    /** The temperature schedule of every dream. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public void begin(SleepContext ctx, SplittableRandom r) {
        this.rng = r;
        TrainingSettings s = ctx.settings();
        if (!s.supervised()) {
            throw new IllegalStateException("dreaming needs a label layer: the dreamed cause is a class");
        }
        if (ctx.buffer() == null) {
            throw new IllegalStateException("dreaming draws its causes from an episodic buffer's statistics");
        }
        int top = ctx.hierarchy().top();
        if (s.dataLayer() != top && s.labelLayer() != top) {
            throw new IllegalStateException("dreaming needs the data or the label layer at the top");
        }
        if (mix > 0 && s.dataLayer() != top) {
            throw new IllegalStateException("mixing stored episodes into dreamed batches needs the data layer at the top");
        }
    }

    @Override
    public void cycle(SleepContext ctx, int k) {
        Hierarchy h = ctx.hierarchy();
        TrainingSettings s = ctx.settings();
        EpisodicBuffer buf = ctx.buffer();
        int bsz = ctx.batch();
        List<Integer> seen = new ArrayList<>();
        for (int c = 0; c < buf.classes(); c++) {
            if (buf.seen(c) > 0) {
                seen.add(c);
            }
        }
        if (seen.isEmpty()) {
            return;
        }
        int classes = h.dim(s.labelLayer());
        int[] labels = new int[bsz];
        double[] onehot = new double[bsz * classes];
        int stored = buf.size() == 0 ? 0 : (int) Math.round(mix * bsz);
        int[] episode = new int[stored];
        for (int i = 0; i < bsz; i++) {
            if (i < stored) {
                episode[i] = rng.nextInt(buf.size());
                labels[i] = buf.label(episode[i]);
            } else {
                labels[i] = seen.get(rng.nextInt(seen.size()));
            }
            onehot[i * classes + labels[i]] = 1.0;
        }
        boolean dataOnTop = s.dataLayer() == h.top();
        LangevinSettler.Builder lb = LangevinSettler.builder(h).batch(bsz).initial(InitialState.topDown())
                .schedule(schedule).integrator(StochasticIntegrator.create(integrator, step)).tEnd(tEnd)
                .seed(rng.nextLong()).recordEvery(0).sampleEnergies(false);
        double[] causes;
        if (dataOnTop) {
            int d = buf.dim();
            causes = new double[bsz * d];
            for (int i = 0; i < stored; i++) {
                buf.episode(episode[i], causes, i * d);
            }
            for (int i = stored; i < bsz; i++) {
                double[] m = buf.classMean(labels[i]);
                double[] v = buf.classVariance(labels[i]);
                for (int j = 0; j < d; j++) {
                    double z = m[j] + spread * Math.sqrt(v[j]) * gaussian(rng);
                    causes[i * d + j] = Math.max(lo, Math.min(hi, z));
                }
            }
            lb.clamp(s.dataLayer(), causes).clamp(s.labelLayer(), onehot);
        } else {
            causes = onehot;
            lb.clamp(s.labelLayer(), onehot);
        }
        LangevinResult r = lb.build().run();
        if (r.diverged()) {
            ctx.recordEnergy(name(), Double.NaN);
            return;
        }
        BatchSettler bs = dataOnTop ? ctx.clampedSettler() : generativeSettler(ctx);
        if (y == null || y.length != bs.workspace().freeDimension()) {
            y = bs.newState();
        }
        for (int l = 0; l < h.layers(); l++) {
            if (bs.workspace().isClamped(l)) {
                bs.clamp(l, r.finalState(l), 0);
            } else {
                System.arraycopy(r.finalState(l), 0, y, bs.workspace().freeOffset(l), bsz * h.dim(l));
            }
        }
        double e = bs.evaluate(y, null);
        ctx.learner().step(bs.workspace(), y);
        ctx.recordEnergy(name(), e / bsz);
        if (dataOnTop) {
            if (stored < bsz) {
                ctx.keepDreams(java.util.Arrays.copyOfRange(causes, stored * buf.dim(), causes.length),
                        java.util.Arrays.copyOfRange(labels, stored, bsz));
            }
        } else {
            double[] bottom = new double[bsz * h.dim(0)];
            System.arraycopy(r.finalState(0), 0, bottom, 0, bottom.length);
            ctx.keepDreams(bottom, labels);
        }
    }

    private BatchSettler generative;

    private BatchSettler generativeSettler(SleepContext ctx) {
        if (generative == null) {
            Hierarchy h = ctx.hierarchy();
            boolean[] mask = new boolean[h.layers()];
            mask[ctx.settings().labelLayer()] = true;
            generative = new BatchSettler(h, ctx.batch(), mask, ctx.settings().integrator(), ctx.settings().stop());
        }
        return generative;
    }

    @Override
    public void end(SleepContext ctx) {
        generative = null;
        y = null;
    }

    /** A standard normal by Box–Muller from the strategy's generator (reproducible from the seed). */
    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
