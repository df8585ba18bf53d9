package org.fena.dynamics.learning;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.langevin.LangevinResult;
import org.fena.dynamics.langevin.LangevinSettler;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.StochasticIntegrator;

/**
 * Generation by annealed Langevin sampling: the top layer is clamped to given causes (one-hot
 * classes, say), every other layer starts at the top-down prediction and then follows
 * {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t) / tau_l) dW_l} from {@code t = 0} to
 * {@code tEnd} under the annealing module's schedule {@code T(t)}. Each cause is repeated
 * {@code samples} times; the copies differ only through their noise, so they are draws of the
 * layers below given the cause, cooled towards a mode of {@code p(x | x_L) ∝ exp(-E/T)} as
 * {@code T -> 0}.
 *
 * <p>Reproducibility: sample {@code k} of cause {@code c} is batch row {@code c * samples + k} and
 * draws its noise from that row's stream of {@code seed} (see
 * {@link org.fena.dynamics.langevin.SampleStreams}); same seed, same samples. With {@code T = 0}
 * throughout, Euler–Maruyama is explicit Euler, so the result is the deterministic settle from the
 * same start, at the same step, to the same time.
 *
 * @param schedule   {@code T(t)}
 * @param integrator the fixed-step stochastic integrator
 * @param tEnd       final simulated time
 * @param seed       master seed of the per-sample noise streams
 * @param samples    draws per cause ({@code >= 1})
 * @param threads    threads over chunks of samples (never changes the result)
 * @param samplesPerChunk samples per chunk (0: the whole batch)
 */
public record AnnealedGeneration(NoiseSchedule schedule, StochasticIntegrator integrator, double tEnd, long seed,
                                 int samples, int threads, int samplesPerChunk) {

    /** One thread, one chunk. */
    public AnnealedGeneration(NoiseSchedule schedule, StochasticIntegrator integrator, double tEnd, long seed,
            int samples) {
        this(schedule, integrator, tEnd, seed, samples, 1, 0);
    }

    /** Checks the description. */
    public AnnealedGeneration {
        if (schedule == null || integrator == null) {
            throw new IllegalArgumentException("annealed generation needs a schedule and a stochastic integrator");
        }
        if (!(tEnd > 0) || Double.isInfinite(tEnd)) {
            throw new IllegalArgumentException("t_end must be a finite number > 0, got " + tEnd);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        if (threads < 1 || samplesPerChunk < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and samples per chunk >= 0, got " + threads
                    + " and " + samplesPerChunk);
        }
    }

    /**
     * The same description with another schedule and number of draws (e.g.
     * {@link NoiseSchedule#noiseFree()} and one draw for the T = 0 reference).
     */
    public AnnealedGeneration with(NoiseSchedule s, int draws) {
        return new AnnealedGeneration(s, integrator, tEnd, seed, draws, threads, samplesPerChunk);
    }

    /**
     * Draws {@code samples} settled states of the bottom layer for each of the {@code n} causes
     * ({@code n x d_L} row-major) clamped at the top of {@code h}.
     *
     * @return {@code (n * samples) x d_0} row-major: cause {@code c}'s draws at rows
     *         {@code c * samples .. c * samples + samples - 1}
     */
    public double[] sample(Hierarchy h, double[] causes, int n) {
        return run(h, causes, n).finalState(0);
    }

    /**
     * The bottom layer's prediction {@code mu_0 = f_0(W_0 x_1 + b_0)} from {@code n} states of layer 1
     * ({@code n x d_1} row-major): the image the sampled causes below the top predict, without the
     * bottom layer's own noise (the "decoder mean" of a generative model).
     *
     * @return {@code n x d_0} row-major
     */
    public static double[] bottomPrediction(Hierarchy h, double[] layer1, int n) {
        int d0 = h.dim(0);
        int d1 = h.dim(1);
        if (layer1.length != n * d1) {
            throw new IllegalArgumentException("layer 1: expected " + n + " x " + d1 + " values, got " + layer1.length);
        }
        double[] w = h.weights(0);
        double[] b = h.bias(0);
        org.fena.hierarchy.Activation f = h.activation(0);
        double[] out = new double[n * d0];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d0; i++) {
                double a = b[i];
                for (int j = 0; j < d1; j++) {
                    a += w[i * d1 + j] * layer1[s * d1 + j];
                }
                out[s * d0 + i] = f.value(a);
            }
        }
        return out;
    }

    /** The whole Langevin result of {@link #sample} (energies, cost, every layer's final state). */
    public LangevinResult run(Hierarchy h, double[] causes, int n) {
        int top = h.top();
        int d = h.dim(top);
        if (causes.length != n * d) {
            throw new IllegalArgumentException("causes: expected " + n + " x " + d + " values, got " + causes.length);
        }
        double[] clamp = new double[n * samples * d];
        for (int c = 0; c < n; c++) {
            for (int k = 0; k < samples; k++) {
                System.arraycopy(causes, c * d, clamp, (c * samples + k) * d, d);
            }
        }
        return LangevinSettler.builder(h).batch(n * samples).clamp(top, clamp).initial(InitialState.topDown())
                .schedule(schedule).integrator(integrator).tEnd(tEnd).seed(seed).recordEvery(0).threads(threads).samplesPerChunk(samplesPerChunk).build().run();
    }
}
