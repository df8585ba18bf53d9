package org.fena.dynamics.langevin;

import java.util.Arrays;

/**
 * Recorded rows of a Langevin settle in growable primitive columns: time {@code t}, temperature
 * {@code T(t)}, energy {@code E} (summed over the batch), {@code |dE/dx|} and each layer's energy.
 */
public final class LangevinTrace {

    private final int layers;
    private int size;
    private double[] t = new double[64];
    private double[] temperature = new double[64];
    private double[] energy = new double[64];
    private double[] gradNorm = new double[64];
    private double[] perLayer;

    /** An empty trace with {@code layers} per-layer energy columns (0 for a plain landscape). */
    public LangevinTrace(int layers) {
        this.layers = layers;
        this.perLayer = new double[64 * Math.max(1, layers)];
    }

    /** Appends a row; {@code layerEnergy} may be null when there are no layers. */
    public void row(double time, double temp, double e, double g, double[] layerEnergy) {
        if (size == t.length) {
            int n = size * 2;
            t = Arrays.copyOf(t, n);
            temperature = Arrays.copyOf(temperature, n);
            energy = Arrays.copyOf(energy, n);
            gradNorm = Arrays.copyOf(gradNorm, n);
            perLayer = Arrays.copyOf(perLayer, n * Math.max(1, layers));
        }
        t[size] = time;
        temperature[size] = temp;
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

    /** Number of per-layer columns. */
    public int layers() {
        return layers;
    }

    /** Time of row {@code i}. */
    public double t(int i) {
        return t[check(i)];
    }

    /** {@code T(t)} at row {@code i}. */
    public double temperature(int i) {
        return temperature[check(i)];
    }

    /** Energy at row {@code i}. */
    public double energy(int i) {
        return energy[check(i)];
    }

    /** {@code |dE/dx|} at row {@code i}. */
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

    /** Copy of the time column. */
    public double[] times() {
        return Arrays.copyOf(t, size);
    }

    /** Copy of the temperature column. */
    public double[] temperatures() {
        return Arrays.copyOf(temperature, size);
    }

    /** Copy of the energy column. */
    public double[] energies() {
        return Arrays.copyOf(energy, size);
    }

    /** Copy of the gradient-norm column. */
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
