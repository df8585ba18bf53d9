package org.fena.integrators;

/**
 * Records the state at chosen times rather than at the solver's own steps: between accepted
 * steps the state is interpolated ({@link StepState#interpolate}, cubic Hermite) into one reused
 * buffer; a sample time that falls exactly on a step end gets that step's state exactly.
 *
 * <p>Sample times before the initial time are skipped; one equal to it is delivered from
 * {@link #start}. Each run starts the sequence afresh, so an instance serves one run at a time.
 */
public final class SampledObserver implements StepObserver {

    private final double[] times;
    private final double first;
    private final double interval;
    private final SampleHandler handler;
    private double[] buffer;
    /** Index of the next sample time. */
    private long next;
    private long delivered;

    /**
     * Samples at the given strictly increasing times.
     *
     * @throws IllegalArgumentException when the times are not finite and strictly increasing
     */
    public SampledObserver(double[] times, SampleHandler handler) {
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1]))) {
                throw new IllegalArgumentException("sample times must be finite and strictly increasing;"
                        + " entry " + i + " is " + times[i]);
            }
        }
        this.times = times.clone();
        this.first = Double.NaN;
        this.interval = Double.NaN;
        this.handler = handler;
    }

    private SampledObserver(double first, double interval, SampleHandler handler) {
        if (!Double.isFinite(first) || !(interval > 0) || !Double.isFinite(interval)) {
            throw new IllegalArgumentException("need a finite start and a finite interval > 0, got start="
                    + first + ", interval=" + interval);
        }
        this.times = null;
        this.first = first;
        this.interval = interval;
        this.handler = handler;
    }

    /** Samples at {@code start, start + interval, start + 2 interval, ...} for as long as the run lasts. */
    public static SampledObserver every(double start, double interval, SampleHandler handler) {
        return new SampledObserver(start, interval, handler);
    }

    /** Number of samples delivered in the current (or last) run. */
    public long samples() {
        return delivered;
    }

    /** The {@code i}-th sample time; {@code +infinity} past the end of an explicit list. */
    private double time(long i) {
        if (times != null) {
            return i < times.length ? times[(int) i] : Double.POSITIVE_INFINITY;
        }
        // Multiplying, not accumulating, keeps the grid free of drift.
        return first + i * interval;
    }

    @Override
    public void start(StepState state) {
        int n = state.y().length;
        if (buffer == null || buffer.length != n) {
            buffer = new double[n];
        }
        delivered = 0;
        double t0 = state.t();
        next = times != null ? 0 : (long) Math.max(0.0, Math.floor((t0 - first) / interval) - 1);
        while (time(next) < t0) {
            next++;
        }
        if (time(next) == t0) {
            System.arraycopy(state.y(), 0, buffer, 0, n);
            handler.sample(t0, buffer);
            delivered++;
            next++;
        }
    }

    @Override
    public void step(StepState state) {
        double t = state.t();
        double ts;
        while ((ts = time(next)) <= t) {
            if (ts == t) {
                System.arraycopy(state.y(), 0, buffer, 0, buffer.length);
            } else {
                state.interpolate(ts, buffer);
            }
            handler.sample(ts, buffer);
            delivered++;
            next++;
        }
    }
}
