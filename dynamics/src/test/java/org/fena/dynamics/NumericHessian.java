package org.fena.dynamics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.fena.hierarchy.EnergyWorkspace;

/** Test helper: the Hessian of E over the free states by central differences of the analytic gradient. */
final class NumericHessian {

    private NumericHessian() {
    }

    static DMatrixRMaj at(EnergyWorkspace ws, double[] x) {
        int n = x.length;
        double[] xp = x.clone();
        double[] gp = new double[n];
        double[] gm = new double[n];
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            double step = 1e-5 * Math.max(1.0, Math.abs(x[i]));
            xp[i] = x[i] + step;
            ws.gradient(xp, gp, null);
            xp[i] = x[i] - step;
            ws.gradient(xp, gm, null);
            xp[i] = x[i];
            for (int k = 0; k < n; k++) {
                h.set(k, i, (gp[k] - gm[k]) / (2 * step));
            }
        }
        DMatrixRMaj t = new DMatrixRMaj(n, n);
        CommonOps_DDRM.transpose(h, t);
        CommonOps_DDRM.add(0.5, h, 0.5, t, h);
        return h;
    }

    /** Largest eigenvalue of a symmetric matrix. */
    static double lambdaMax(DMatrixRMaj sym) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(sym.numRows, false, true);
        if (!eig.decompose(sym.copy())) {
            throw new IllegalStateException("eigen-decomposition failed");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sym.numRows; i++) {
            max = Math.max(max, eig.getEigenvalue(i).getReal());
        }
        return max;
    }
}
