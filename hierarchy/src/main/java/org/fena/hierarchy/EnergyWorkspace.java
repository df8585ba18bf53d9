package org.fena.hierarchy;

/**
 * STUB (signatures fixed, bodies being written): the mutable workspace that evaluates the
 * energy and its gradient of a hierarchy for a batch of B samples with some layers clamped.
 */
public final class EnergyWorkspace {

    /** Sizes every buffer once for {@code batch} samples; {@code clamped[l]} marks clamped layers. */
    public EnergyWorkspace(Hierarchy hierarchy, int batch, boolean[] clamped) {
        throw new UnsupportedOperationException("stub");
    }

    public Hierarchy hierarchy() { throw new UnsupportedOperationException("stub"); }
    public int batch() { throw new UnsupportedOperationException("stub"); }
    public boolean isClamped(int l) { throw new UnsupportedOperationException("stub"); }
    public int freeDimension() { throw new UnsupportedOperationException("stub"); }
    public int freeOffset(int l) { throw new UnsupportedOperationException("stub"); }
    public void setClamped(int l, double[] values) { throw new UnsupportedOperationException("stub"); }
    public double[] clampedValues(int l) { throw new UnsupportedOperationException("stub"); }
    public double energy(double[] free, double[] perLayer) { throw new UnsupportedOperationException("stub"); }
    public double gradient(double[] free, double[] grad, double[] perLayer) { throw new UnsupportedOperationException("stub"); }
    public double flow(double[] free, double[] out, double[] perLayer) { throw new UnsupportedOperationException("stub"); }
    public void layerState(double[] free, int l, double[] out) { throw new UnsupportedOperationException("stub"); }
    public void topDownPrediction(double[] free, int l, double[] out) { throw new UnsupportedOperationException("stub"); }
    public double[] errors(int l) { throw new UnsupportedOperationException("stub"); }
    public double[] weightedErrors(int l) { throw new UnsupportedOperationException("stub"); }
    public double[] activationDerivative(int l) { throw new UnsupportedOperationException("stub"); }
}
