package org.fena.integrators;

/** Receives the state at each sample time of a {@link SampledObserver}. */
@FunctionalInterface
public interface SampleHandler {

    /**
     * Called once per sample time, in increasing order. {@code y} is a buffer reused for every
     * sample: copy what must be kept.
     */
    void sample(double t, double[] y);
}
