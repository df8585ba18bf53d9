package org.fena.dynamics.langevin;

import java.util.Arrays;

import org.fena.dynamics.Trace;

/**
 * Recorded rows of a Langevin settle: a settle's {@link Trace} (time {@code t}, energy {@code E}
 * summed over the batch, {@code |dE/dx|} and each layer's energy) and beside it the temperature
 * {@code T(t)} of every row.
 */
public final class LangevinTrace {

    private final Trace rows;
    private double[] temperature = new double[64];

    /** An empty trace with {@code layers} per-layer energy columns (0 for a plain landscape). */
    public LangevinTrace(int layers) {
        this.rows = new Trace(layers);
    }

    /** Appends a row; {@code layerEnergy} may be null when there are no layers. */
    public void row(double time, double temp, double e, double g, double[] layerEnergy) {
        int i = rows.size();
        if (i == temperature.length) {
            temperature = Arrays.copyOf(temperature, 2 * i);
        }
        temperature[i] = temp;
        rows.row(time, e, g, layerEnergy);
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    /** Number of per-layer columns. */
    public int layers() {
        return rows.layers();
    }

    /** Time of row {@code i}. */
    public double t(int i) {
        return rows.t(i);
    }

    /** {@code T(t)} at row {@code i}. */
    public double temperature(int i) {
        rows.t(i); // bounds check with the trace's message
        return temperature[i];
    }

    /** Energy at row {@code i}. */
    public double energy(int i) {
        return rows.energy(i);
    }

    /** {@code |dE/dx|} at row {@code i}. */
    public double gradNorm(int i) {
        return rows.gradNorm(i);
    }

    /** Energy of layer {@code l} at row {@code i}. */
    public double layerEnergy(int i, int l) {
        return rows.layerEnergy(i, l);
    }

    /** Copy of the time column. */
    public double[] times() {
        return rows.times();
    }

    /** Copy of the temperature column. */
    public double[] temperatures() {
        return Arrays.copyOf(temperature, rows.size());
    }

    /** Copy of the energy column. */
    public double[] energies() {
        return rows.energies();
    }

    /** Copy of the gradient-norm column. */
    public double[] gradNorms() {
        return rows.gradNorms();
    }
}
