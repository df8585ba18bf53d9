package org.fena.hierarchy;

/**
 * A predictive-coding hierarchy: layers {@code l = 0..L} bottom first, where layer {@code l+1}
 * predicts layer {@code l} as {@code mu_l = f_l(W_l x_{l+1} + b_l)}, each error weighed by its
 * precision {@code Pi_l}, each layer relaxing with its own time constant {@code tau_l}, and an
 * optional Gaussian prior {@code (m_L, Pi_L)} on the top layer.
 *
 * <p>The structure (dimensions, activations, tau, precision kinds) is fixed at build time. The
 * parameters {@code W_l}, {@code b_l} are live arrays that learning rules update in place.
 * STUB: signatures fixed; bodies are being written.
 */
public final class Hierarchy {

    private Hierarchy() {
        throw new UnsupportedOperationException("stub");
    }

    /** Number of layers {@code L + 1}. */
    public int layers() {
        throw new UnsupportedOperationException("stub");
    }

    /** Dimension {@code d_l} of layer {@code l}. */
    public int dim(int l) {
        throw new UnsupportedOperationException("stub");
    }

    /** Time constant {@code tau_l > 0} of layer {@code l}. */
    public double tau(int l) {
        throw new UnsupportedOperationException("stub");
    }

    /** Activation {@code f_l} of the prediction layer {@code l < L} receives. */
    public Activation activation(int l) {
        throw new UnsupportedOperationException("stub");
    }

    /** Precision {@code Pi_l} of layer {@code l}'s error; for {@code l = L} the prior's, or null. */
    public Precision precision(int l) {
        throw new UnsupportedOperationException("stub");
    }

    /** Live row-major {@code d_l x d_{l+1}} weights {@code W_l}, {@code l < L}. */
    public double[] weights(int l) {
        throw new UnsupportedOperationException("stub");
    }

    /** Live bias {@code b_l} (length {@code d_l}), {@code l < L}. */
    public double[] bias(int l) {
        throw new UnsupportedOperationException("stub");
    }

    /** Whether the top layer has a prior {@code (m_L, Pi_L)}. */
    public boolean hasPrior() {
        throw new UnsupportedOperationException("stub");
    }

    /** Prior mean {@code m_L}, or null. */
    public double[] priorMean() {
        throw new UnsupportedOperationException("stub");
    }

    /** A deep copy (parameters included). */
    public Hierarchy copy() {
        throw new UnsupportedOperationException("stub");
    }
}
