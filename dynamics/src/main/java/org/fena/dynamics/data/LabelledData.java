package org.fena.dynamics.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A labelled data set held as row-major inputs ({@code n x d}, pixel bytes scaled to [0, 1]) and
 * integer labels {@code 0..classes-1}: what a hierarchy is clamped to during training and
 * evaluation.
 *
 * @param inputs  {@code n x d} row-major values
 * @param labels  one class per row
 * @param dim     {@code d}, values per sample
 * @param classes number of classes
 * @param name    where it came from, for reports
 */
public record LabelledData(double[] inputs, int[] labels, int dim, int classes, String name) {

    /** Validates the sizes and the label range. */
    public LabelledData {
        if (dim < 1 || inputs.length % dim != 0 || inputs.length / dim != labels.length) {
            throw new IllegalArgumentException(name + ": " + inputs.length + " values do not make " + labels.length
                    + " rows of " + dim);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + i + " is " + labels[i] + ", outside 0.."
                        + (classes - 1));
            }
        }
    }

    /**
     * Reads an IDX image file and its label file (gzipped or not) and scales the pixels by 1/255.
     * Ten classes are assumed, as in MNIST and Fashion-MNIST.
     *
     * @throws IdxFormatException if a file is unreadable or the two files disagree on the count
     */
    public static LabelledData readIdx(Path images, Path labels) throws IOException {
        Idx.UByteArray im = Idx.readImages(images);
        int[] lab = Idx.readLabels(labels);
        if (im.count() != lab.length) {
            throw new IdxFormatException(labels, "holds " + lab.length + " labels but " + images + " holds "
                    + im.count() + " images");
        }
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] > 9) {
                throw new IdxFormatException(labels, "label " + i + " is " + lab[i] + ", expected a class 0..9");
            }
        }
        int d = im.itemSize();
        double[] x = new double[im.values().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = im.values()[i] / 255.0;
        }
        return new LabelledData(x, lab, d, 10, images.getFileName().toString());
    }

    /** Number of samples {@code n}. */
    public int size() {
        return labels.length;
    }

    /** The rows {@code idx[0..]} in that order, as a new data set. */
    public LabelledData select(int[] idx) {
        double[] x = new double[idx.length * dim];
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(inputs, idx[i] * dim, x, i * dim, dim);
            y[i] = labels[idx[i]];
        }
        return new LabelledData(x, y, dim, classes, name);
    }

    /** The first {@code n} rows. */
    public LabelledData head(int n) {
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return select(idx);
    }

    /** The same inputs with labels permuted by a seeded shuffle: a control that destroys the input-label link. */
    public LabelledData withShuffledLabels(long seed) {
        int[] y = labels.clone();
        shuffle(y, new SplittableRandom(seed));
        return new LabelledData(inputs, y, dim, classes, name + " (labels shuffled)");
    }

    /** One-hot targets ({@code n x classes}, row-major) of rows {@code from..from+count}. */
    public void oneHot(int from, int count, double[] out) {
        Arrays.fill(out, 0, count * classes, 0.0);
        for (int i = 0; i < count; i++) {
            out[i * classes + labels[from + i]] = 1.0;
        }
    }

    /**
     * A seeded train/test split: a permutation drawn from {@code new SplittableRandom(seed)}, its first
     * {@code trainSize} rows for training and the next {@code testSize} for testing (disjoint).
     */
    public Split split(int trainSize, int testSize, long seed) {
        if (trainSize < 1 || testSize < 0 || trainSize + testSize > size()) {
            throw new IllegalArgumentException(name + ": cannot split " + size() + " samples into " + trainSize
                    + " for training and " + testSize + " for testing");
        }
        int[] perm = new int[size()];
        Arrays.setAll(perm, i -> i);
        shuffle(perm, new SplittableRandom(seed));
        return new Split(select(Arrays.copyOfRange(perm, 0, trainSize)),
                select(Arrays.copyOfRange(perm, trainSize, trainSize + testSize)));
    }

    /** Fisher–Yates with the given generator. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A train/test pair.
     *
     * @param train the training rows
     * @param test  the held-out rows
     */
    public record Split(LabelledData train, LabelledData test) {
    }
}
