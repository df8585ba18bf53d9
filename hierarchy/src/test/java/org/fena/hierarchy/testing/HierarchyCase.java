package org.fena.hierarchy.testing;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;

/**
 * One generated test case: a hierarchy, which layers are clamped, the batch size, the clamped
 * layers' values and an initial free vector (in {@link EnergyWorkspace}'s free layout).
 *
 * <p>{@link #toString()} prints the hierarchy as FENA configuration YAML followed by the clamp
 * mask, batch and values, so a shrunk counterexample can be read and pasted into a config. The
 * hierarchy's parameters are live: {@link Hierarchy#copy()} it before mutating.
 *
 * @param hierarchy   the network
 * @param clamped     {@code clamped[l]} for each layer; at least one layer is free
 * @param batch       {@code B}, 1..3
 * @param clampValues {@code B x d_l} row-major values for each clamped layer, null for free ones
 * @param free        initial free vector, length {@code B sum_{l free} d_l}
 */
public record HierarchyCase(Hierarchy hierarchy, boolean[] clamped, int batch, double[][] clampValues, double[] free) {

    /** A fresh workspace for this case with the clamped layers' values set. */
    public EnergyWorkspace workspace() {
        EnergyWorkspace ws = new EnergyWorkspace(hierarchy, batch, clamped);
        for (int l = 0; l < clamped.length; l++) {
            if (clamped[l]) {
                ws.setClamped(l, clampValues[l]);
            }
        }
        return ws;
    }

    /** A copy of the initial free vector (integrators may step it in place). */
    public double[] initialFree() {
        return free.clone();
    }

    /** Length of the free vector. */
    public int freeDimension() {
        return free.length;
    }

    /** Every layer's {@code B x d_l} values, free ones taken from {@code freeVector} in the workspace layout. */
    public double[][] layerStates(double[] freeVector) {
        double[][] s = new double[clamped.length][];
        int off = 0;
        for (int l = 0; l < clamped.length; l++) {
            int n = batch * hierarchy.dim(l);
            if (clamped[l]) {
                s[l] = clampValues[l].clone();
            } else {
                s[l] = Arrays.copyOfRange(freeVector, off, off + n);
                off += n;
            }
        }
        return s;
    }

    /**
     * For a linear hierarchy (identity activations) whose energy is strictly convex over the free
     * states (always so in {@link RandomHierarchies#linearCases()}, which give the top a prior): the
     * unique minimiser {@code x* = -H^{-1} g(0)}, where {@code H} is the Hessian over the free states
     * and {@code g(0)} the gradient at 0. The gradient of a quadratic is affine, so {@code H}'s columns
     * are exact gradient differences; the solve is EJML's.
     *
     * @throws IllegalStateException if the hierarchy is not linear or the Hessian is singular
     */
    public double[] closedFormMinimum() {
        if (!hierarchy.isLinear()) {
            throw new IllegalStateException("closed-form minimum needs identity activations");
        }
        EnergyWorkspace ws = workspace();
        int n = free.length;
        double[] zero = new double[n];
        double[] g0 = new double[n];
        ws.gradient(zero, g0, null);
        DMatrixRMaj hess = new DMatrixRMaj(n, n);
        double[] unit = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            unit[i] = 1.0;
            ws.gradient(unit, g, null);
            unit[i] = 0.0;
            for (int k = 0; k < n; k++) {
                hess.set(k, i, g[k] - g0[k]);
            }
        }
        // symmetrise away the rounding of the differences
        DMatrixRMaj ht = new DMatrixRMaj(n, n);
        CommonOps_DDRM.transpose(hess, ht);
        CommonOps_DDRM.add(0.5, hess, 0.5, ht, hess);
        DMatrixRMaj rhs = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            rhs.set(i, 0, -g0[i]);
        }
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        if (!CommonOps_DDRM.solveSPD(hess, rhs, x)) {
            throw new IllegalStateException("the Hessian over the free states is not positive definite:\n" + this);
        }
        return x.data.clone();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(hierarchy.toString());
        s.append("clamped: ").append(Arrays.toString(clamped)).append('\n');
        s.append("batch: ").append(batch).append('\n');
        s.append("clamp:                # B rows of d_l per clamped layer\n");
        for (int l = 0; l < clamped.length; l++) {
            if (clamped[l]) {
                s.append("  ").append(l).append(": ");
                Hierarchy.appendMatrix(s, clampValues[l], 0, batch, hierarchy.dim(l)).append('\n');
            }
        }
        s.append("initial:              # B rows of d_l per free layer\n");
        int off = 0;
        for (int l = 0; l < clamped.length; l++) {
            if (!clamped[l]) {
                s.append("  ").append(l).append(": ");
                Hierarchy.appendMatrix(s, free, off, batch, hierarchy.dim(l)).append('\n');
                off += batch * hierarchy.dim(l);
            }
        }
        return s.toString();
    }
}
