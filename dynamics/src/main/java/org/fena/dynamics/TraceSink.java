package org.fena.dynamics;

/**
 * Receives one row per recorded step of a settle: time, energy, gradient norm and per-layer
 * energy. In memory or streamed to disk: recording has no cap.
 */
public interface TraceSink {

    /**
     * One recorded row; {@code perLayer} (bottom first) is the caller's buffer: copy what you keep.
     */
    void row(double t, double energy, double gradNorm, double[] perLayer);
}
