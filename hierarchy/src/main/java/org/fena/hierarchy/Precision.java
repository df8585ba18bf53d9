package org.fena.hierarchy;

/**
 * The precision {@code Pi_l} (inverse covariance) that weighs a layer's prediction error in the
 * energy {@code 1/2 eps' Pi eps}: scalar, diagonal, or full symmetric positive definite.
 */
public interface Precision {

    /** Dimension {@code d} of the error it weighs. */
    int dimension();

    /** {@code scalar}, {@code diagonal} or {@code full}. */
    String kind();

    /**
     * Writes {@code Pi eps} for {@code batch} row-major error rows ({@code batch x d}) starting at
     * {@code eps[off]} into {@code out[outOff ...]}; returns {@code 1/2 sum_rows eps' Pi eps}, the
     * energy of these rows. {@code out} must not alias {@code eps}.
     */
    double apply(double[] eps, int off, double[] out, int outOff, int batch);

    /** {@code log det Pi}, the term of the free energy that stops precisions collapsing. */
    double logDet();

    /** {@code Pi} as a dense row-major {@code d x d} matrix (a new array; for analysis, not the hot loop). */
    double[] toDense();
}
