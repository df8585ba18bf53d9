package org.fena.consolidation;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.fena.dynamics.data.LabelledData;

/**
 * A bounded episodic memory filled while awake: at most {@code capacity} episodes (an input and its
 * label), chosen by <em>reservoir sampling</em> (Vitter's algorithm R) over the stream of every
 * episode offered: the {@code k}-th offered episode ({@code k > capacity}) replaces a uniformly
 * chosen slot with probability {@code capacity / k}. After any stream, each episode offered so far
 * is held with the same probability {@code min(1, capacity / k)}, so the buffer is a uniform sample
 * of everything experienced, old tasks included, whatever the order of the stream.
 *
 * <p>Beside the episodes the buffer keeps, for every class, the running mean and variance of all
 * inputs ever offered (Welford's update, {@code O(classes x d)} numbers): the sufficient statistics of
 * a diagonal Gaussian per class, from which {@link GenerativeReplay} draws dreamed causes. Every
 * random choice comes from the generator seeded at construction.
 */
public final class EpisodicBuffer {

    private final int capacity;
    private final int dim;
    private final int classes;
    private final double[] inputs;
    private final int[] labels;
    private final SplittableRandom rng;
    private int size;
    private long offered;
    private final long[] count;
    private final double[] mean;
    private final double[] m2;

    /** An empty buffer of {@code capacity} episodes of {@code dim} values and labels {@code 0..classes-1}. */
    public EpisodicBuffer(int capacity, int dim, int classes, long seed) {
        if (capacity < 1 || dim < 1 || classes < 1) {
            throw new IllegalArgumentException("capacity, dim and classes must be >= 1, got " + capacity + ", " + dim
                    + ", " + classes);
        }
        this.capacity = capacity;
        this.dim = dim;
        this.classes = classes;
        this.inputs = new double[capacity * dim];
        this.labels = new int[capacity];
        this.rng = new SplittableRandom(seed);
        this.count = new long[classes];
        this.mean = new double[classes * dim];
        this.m2 = new double[classes * dim];
    }

    /** Offers one episode: {@code dim} values from {@code x[from..)} with class {@code label}. */
    public void offer(double[] x, int from, int label) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " is outside 0.." + (classes - 1));
        }
        offered++;
        long n = ++count[label];
        int o = label * dim;
        for (int j = 0; j < dim; j++) {
            double v = x[from + j];
            double d = v - mean[o + j];
            mean[o + j] += d / n;
            m2[o + j] += d * (v - mean[o + j]);
        }
        if (size < capacity) {
            System.arraycopy(x, from, inputs, size * dim, dim);
            labels[size++] = label;
            return;
        }
        long k = rng.nextLong(offered);
        if (k < capacity) {
            System.arraycopy(x, from, inputs, (int) k * dim, dim);
            labels[(int) k] = label;
        }
    }

    /** Offers every episode of {@code data} in order (one pass of waking experience). */
    public void offerAll(LabelledData data) {
        if (data.dim() != dim) {
            throw new IllegalArgumentException(data.name() + ": " + data.dim() + " values per sample, the buffer holds "
                    + dim);
        }
        for (int i = 0; i < data.size(); i++) {
            offer(data.inputs(), i * dim, data.labels()[i]);
        }
    }

    /** Episodes held now ({@code <= capacity}). */
    public int size() {
        return size;
    }

    /** The capacity. */
    public int capacity() {
        return capacity;
    }

    /** Values per episode. */
    public int dim() {
        return dim;
    }

    /** Number of classes. */
    public int classes() {
        return classes;
    }

    /** Episodes offered so far. */
    public long offered() {
        return offered;
    }

    /** The held episodes as a data set (a copy). */
    public LabelledData episodes() {
        return new LabelledData(Arrays.copyOf(inputs, size * dim), Arrays.copyOf(labels, size), dim, classes,
                "episodic buffer");
    }

    /** Copies episode {@code i}'s input into {@code out[at..)} and returns its label. */
    public int episode(int i, double[] out, int at) {
        int label = label(i);
        System.arraycopy(inputs, i * dim, out, at, dim);
        return label;
    }

    /** The label of episode {@code i}. */
    public int label(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("episode " + i + " of " + size);
        }
        return labels[i];
    }

    /** Inputs of class {@code c} offered so far. */
    public long seen(int c) {
        return count[c];
    }

    /** Running mean of the inputs of class {@code c} (a copy of {@code dim} values). */
    public double[] classMean(int c) {
        return Arrays.copyOfRange(mean, c * dim, (c + 1) * dim);
    }

    /** Running (population) variance of the inputs of class {@code c}, per value (a copy). */
    public double[] classVariance(int c) {
        double[] v = new double[dim];
        long n = count[c];
        for (int j = 0; j < dim; j++) {
            v[j] = n > 0 ? m2[c * dim + j] / n : 0.0;
        }
        return v;
    }
}
