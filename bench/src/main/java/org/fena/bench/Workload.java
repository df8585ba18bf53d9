package org.fena.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.fena.cli.Npy;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.WeightInit;

/**
 * One of the peer workloads of {@code shared/bench/README.md}: tanh predictions, identity
 * precision, no top prior, bottom layer clamped to uniform data, upper layers from zero, explicit
 * Euler at step 0.05, float64; with a learning rate, the settle is followed by one Hebbian weight
 * step {@code W_l += eta_W (1/B) (eps_l ⊙ f'_l)' x_{l+1}} at the settled state (the PyTorch peer's
 * {@code mnist-mlp-learn}).
 *
 * @param name      the peer scripts' name
 * @param dims      layer dimensions, bottom first
 * @param batch     {@code B}
 * @param steps     Euler steps
 * @param learnRate {@code eta_W} of the one weight step after the settle, 0 for settling alone
 */
public record Workload(String name, int[] dims, int batch, int steps, double learnRate) {

    /**
     * The five float64 workloads: the four both peers run, and {@code mnist-mlp-learn}, which only the
     * PyTorch peer runs (NumPy's dump of {@code mnist-mlp} gives it the same weights and data).
     */
    public static final List<Workload> ALL = List.of(
            new Workload("mnist-mlp", new int[] {784, 256, 256, 10}, 256, 50, 0.0),
            new Workload("mnist-mlp-learn", new int[] {784, 256, 256, 10}, 256, 50, 0.001),
            new Workload("wide", new int[] {784, 1000, 500, 10}, 500, 20, 0.0),
            new Workload("tiny", new int[] {8, 16, 4}, 1, 20_000, 0.0),
            new Workload("small-batch1", new int[] {64, 32, 10}, 1, 5_000, 0.0));

    /**
     * mnist-mlp's hierarchy at batch {@code B}, for the batch sweep ({@code Harness --batches}, and
     * {@code bench/peer_batches.py} on the NumPy side): {@code 12,800 / B} steps (at least 50), so
     * every batch settles the same number of samples.
     */
    public static Workload mnistAtBatch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        return new Workload("mnist-mlp-b" + batch, named("mnist-mlp").dims().clone(), batch,
                Math.max(50, 12_800 / batch), 0.0);
    }

    /** Whether a weight step follows the settle. */
    public boolean learns() {
        return learnRate > 0;
    }

    /**
     * The peer dump directory this workload starts from: its own, or for {@code mnist-mlp-learn}
     * {@code mnist-mlp}'s (same dimensions, batch and seed; NumPy does not run the learning workload).
     */
    public String dumpName() {
        return learns() ? name.substring(0, name.length() - "-learn".length()) : name;
    }

    /** The workload of that name. */
    public static Workload named(String name) {
        for (Workload w : ALL) {
            if (w.name.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (known: mnist-mlp, mnist-mlp-learn, wide, tiny, small-batch1)");
    }

    /** FLOPs of one step as the peers count them: {@code 4 B sum_l d_l d_{l+1}}. */
    public double flopsPerStep() {
        double s = 0;
        for (int l = 0; l + 1 < dims.length; l++) {
            s += (double) dims[l] * dims[l + 1];
        }
        return 4.0 * batch * s;
    }

    /** The hierarchy with seeded Xavier-uniform weights (or, when {@code dump} is given, the peer's). */
    public Hierarchy hierarchy(Path dump, long seed) {
        Hierarchy.Builder b = Hierarchy.builder();
        for (int d : dims) {
            b.layer(d, 1.0);
        }
        for (int l = 0; l + 1 < dims.length; l++) {
            b.activation(l, Activations.TANH);
            if (dump != null) {
                Npy.Array w = Npy.read(dump.resolve(dumpName()).resolve("W" + l + ".npy"));
                if (w.rows() != dims[l] || w.cols() != dims[l + 1]) {
                    throw new IllegalArgumentException("W" + l + ".npy is " + w.rows() + " x " + w.cols());
                }
                b.weights(l, w.data());
            }
        }
        return b.weightInit(WeightInit.xavierUniform(), seed).build();
    }

    /** Clamped data {@code B x d_0}: the peer's {@code x0.npy}, or seeded uniform [0, 1). */
    public double[] data(Path dump, long seed) {
        if (dump != null) {
            Npy.Array x = Npy.read(dump.resolve(dumpName()).resolve("x0.npy"));
            if (x.rows() != batch || x.cols() != dims[0]) {
                throw new IllegalArgumentException("x0.npy is " + x.rows() + " x " + x.cols());
            }
            return x.data();
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0xDA7AL);
        double[] x = new double[batch * dims[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble();
        }
        return x;
    }

    /** The peer's energy per sample from {@code result.json}, or NaN without a dump. */
    public double peerEnergy(Path dump) {
        if (dump == null) {
            return Double.NaN;
        }
        try {
            String json = Files.readString(dump.resolve(dumpName()).resolve("result.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("\"energy_per_sample\"\\s*:\\s*([-+0-9.eE]+)").matcher(json);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
