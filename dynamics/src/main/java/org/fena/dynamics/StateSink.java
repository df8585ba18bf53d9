package org.fena.dynamics;

/**
 * Receives the full state of every layer at sample times: {@code layer} is {@code B x d_l}
 * row-major, a buffer of the caller's to copy from.
 */
public interface StateSink {

    /** The state of layer {@code l} at time {@code t}. */
    void state(double t, int l, double[] layer);
}
