package org.fena.dynamics;

import java.util.Arrays;

/** A settle's recorded rows held in memory, in growable primitive columns. */
public final class Trace implements TraceSink {

    private final int layers;
    private int size;
    private double[] t = new double[64];
    private double[] energy = new double[64];
    private double[] gradNorm = new double[64];
    private double[] perLayer;

    /** An empty trace for a hierarchy of {@code layers} layers (0: no per-layer columns, e.g. a plain landscape). */
    public Trace(int layers) {
        this.layers = layers;
        this.perLayer = new double[64 * layers];
    }

    @Override
    public void row(double time, double e, double g, double[] layerEnergy) {
        if (size == t.length) {
            int n = size * 2;
            t = Arrays.copyOf(t, n);
            energy = Arrays.copyOf(energy, n);
            gradNorm = Arrays.copyOf(gradNorm, n);
            perLayer = Arrays.copyOf(perLayer, n * layers);
        }
        t[size] = time;
        energy[size] = e;
        gradNorm[size] = g;
        if (layers > 0) {
            System.arraycopy(layerEnergy, 0, perLayer, size * layers, layers);
        }
        size++;
    }

    /** Number of rows. */
    public int size() {
        return size;
    }

    /** Number of per-layer energy columns. */
    public int layers() {
        return layers;
    }

    /** Time of row {@code i}. */
    public double t(int i) {
        return t[check(i)];
    }

    /** Total energy at row {@code i}. */
    public double energy(int i) {
        return energy[check(i)];
    }

    /** Gradient norm at row {@code i}. */
    public double gradNorm(int i) {
        return gradNorm[check(i)];
    }

    /** Energy of layer {@code l} at row {@code i}. */
    public double layerEnergy(int i, int l) {
        if (l < 0 || l >= layers) {
            throw new IndexOutOfBoundsException("layer " + l + " of " + layers);
        }
        return perLayer[check(i) * layers + l];
    }

    /** The times as a new array. */
    public double[] times() {
        return Arrays.copyOf(t, size);
    }

    /** The total energies as a new array. */
    public double[] energies() {
        return Arrays.copyOf(energy, size);
    }

    /** The gradient norms as a new array. */
    public double[] gradNorms() {
        return Arrays.copyOf(gradNorm, size);
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("row " + i + " of " + size);
        }
        return i;
    }
}
