package org.fena.annealing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * A temperature schedule {@code T(t) >= 0} over simulated time {@code t >= 0}: how much Langevin
 * noise, {@code sqrt(2 T(t) / tau_l) dW_l}, settling receives at each moment.
 *
 * <p>Every factory validates its parameters and throws {@link IllegalArgumentException} naming the
 * parameter, its constraint and the value it got. Implementations are immutable and thread-safe.
 * {@link NoiseSchedules#create} builds one from a kind name and parameters, as configurations do.
 */
public interface NoiseSchedule {

    /** The temperature {@code T(t) >= 0} at simulated time {@code t >= 0}. */
    double temperature(double t);

    /** The schedule's kind as a configuration names it, e.g. {@code exponential}. */
    String kind();

    /** The parameters that define the schedule, in configuration spelling (for summaries and legends). */
    Map<String, Object> parameters();

    /**
     * A label for legends and logs, e.g. {@code exponential(t0=0.8, rate=0.005)}.
     */
    default String label() {
        StringBuilder s = new StringBuilder(kind()).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : parameters().entrySet()) {
            s.append(first ? "" : ", ").append(e.getKey()).append('=').append(format(e.getValue()));
            first = false;
        }
        return s.append(')').toString();
    }

    /**
     * This schedule until {@code tOff}, then {@code T = 0}: the noise is switched off so that the
     * state settles cleanly into the minimum the annealing found (a quench).
     */
    default NoiseSchedule until(double tOff) {
        return new Quenched(this, NoiseSchedules.nonNegative("until", tOff));
    }

    /**
     * {@code T(t)} at {@code points >= 2} evenly spaced times over {@code [0, tEnd]}, for plots:
     * row 0 holds the times, row 1 the temperatures.
     */
    default double[][] sample(double tEnd, int points) {
        if (points < 2) {
            throw new IllegalArgumentException("points must be >= 2, got " + points);
        }
        NoiseSchedules.positive("tEnd", tEnd);
        double[][] out = new double[2][points];
        for (int i = 0; i < points; i++) {
            double t = tEnd * i / (points - 1);
            out[0][i] = t;
            out[1][i] = temperature(t);
        }
        return out;
    }

    /** No noise at any time: plain gradient-flow settling. */
    static NoiseSchedule noiseFree() {
        return constant(0.0);
    }

    /** {@code T(t) = T}. */
    static NoiseSchedule constant(double temperature) {
        return new Constant(NoiseSchedules.nonNegative("T", temperature));
    }

    /**
     * Linear cooling from {@code t0} at {@code t = 0} to {@code tFinal} at {@code t = duration},
     * constant afterwards.
     */
    static NoiseSchedule linear(double t0, double tFinal, double duration) {
        return new Linear(NoiseSchedules.nonNegative("t0", t0), NoiseSchedules.nonNegative("t_final", tFinal),
                NoiseSchedules.positive("duration", duration));
    }

    /** Exponential cooling, {@code T(t) = t0 exp(-rate t)}. */
    static NoiseSchedule exponential(double t0, double rate) {
        return new Exponential(NoiseSchedules.nonNegative("t0", t0), NoiseSchedules.positive("rate", rate));
    }

    /**
     * Geometric cooling as simulated annealing uses it: the temperature is held for
     * {@code interval} time units, then multiplied by {@code factor}:
     * {@code T(t) = t0 factor^floor(t / interval)}.
     */
    static NoiseSchedule geometric(double t0, double factor, double interval) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1], got " + factor);
        }
        return new Geometric(NoiseSchedules.nonNegative("t0", t0), factor,
                NoiseSchedules.positive("interval", interval));
    }

    /**
     * Logarithmic cooling, {@code T(t) = c / log(e + t)} ({@code T(0) = c}): the slow schedule of
     * Geman and Geman's convergence theorem, for {@code c} above the deepest trap's barrier.
     */
    static NoiseSchedule logarithmic(double c) {
        return new Logarithmic(NoiseSchedules.nonNegative("c", c));
    }

    /**
     * Cosine cooling over one half period: {@code T(t) = tFinal + (t0 - tFinal)(1 + cos(pi t / period)) / 2}
     * for {@code t <= period}, {@code tFinal} afterwards.
     */
    static NoiseSchedule cosine(double t0, double tFinal, double period) {
        return new Cosine(NoiseSchedules.nonNegative("t0", t0), NoiseSchedules.nonNegative("t_final", tFinal),
                NoiseSchedules.positive("period", period));
    }

    /**
     * Steps: {@code T(t) = temperatures[i]} for {@code times[i] <= t < times[i+1]}, the last value
     * afterwards. {@code times} starts at 0 and increases strictly; both arrays are copied.
     */
    static NoiseSchedule piecewise(double[] times, double[] temperatures) {
        if (times == null || temperatures == null || times.length == 0 || times.length != temperatures.length) {
            throw new IllegalArgumentException("times and temperatures must be non-empty lists of the same length, got "
                    + (times == null ? "none" : times.length) + " and "
                    + (temperatures == null ? "none" : temperatures.length));
        }
        if (times[0] != 0.0) {
            throw new IllegalArgumentException("times must start at 0, got " + times[0]);
        }
        for (int i = 0; i < times.length; i++) {
            if (i > 0 && !(times[i] > times[i - 1]) || Double.isInfinite(times[i])) {
                throw new IllegalArgumentException("times must increase strictly and be finite, got "
                        + java.util.Arrays.toString(times));
            }
            NoiseSchedules.nonNegative("temperatures[" + i + "]", temperatures[i]);
        }
        return new Piecewise(times.clone(), temperatures.clone());
    }

    /**
     * A schedule the caller writes, {@code T(t) = f(t)}. Its values are checked as they are used:
     * a negative or non-finite temperature throws {@link IllegalStateException} naming {@code t}.
     */
    static NoiseSchedule of(String name, DoubleUnaryOperator f) {
        if (f == null) {
            throw new IllegalArgumentException("no function given");
        }
        return new UserFunction(name == null ? "function" : name, f);
    }

    private static String format(Object v) {
        if (v instanceof double[] a) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) {
                s.append(i == 0 ? "" : " ").append(format(a[i]));
            }
            return s.append(']').toString();
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4g", d).replaceAll("\\.?0+(e|$)", "$1");
        }
        return String.valueOf(v);
    }

    /** {@code T(t) = T}. @param temperature the constant temperature */
    record Constant(double temperature) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            return temperature;
        }

        @Override
        public String kind() {
            return "constant";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of("T", temperature);
        }
    }

    /** Linear ramp. @param t0 T(0) @param tFinal T at and after {@code duration} @param duration ramp length */
    record Linear(double t0, double tFinal, double duration) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            if (t >= duration) {
                return tFinal;
            }
            // max(0, .) guards the last ulp when t0 > tFinal = 0
            return Math.max(0.0, t0 + (tFinal - t0) * (t / duration));
        }

        @Override
        public String kind() {
            return "linear";
        }

        @Override
        public Map<String, Object> parameters() {
            return ordered("t0", t0, "t_final", tFinal, "duration", duration);
        }
    }

    /** {@code t0 exp(-rate t)}. @param t0 T(0) @param rate decay rate per unit time */
    record Exponential(double t0, double rate) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            return t0 * Math.exp(-rate * t);
        }

        @Override
        public String kind() {
            return "exponential";
        }

        @Override
        public Map<String, Object> parameters() {
            return ordered("t0", t0, "rate", rate);
        }
    }

    /** {@code t0 factor^floor(t/interval)}. @param t0 T(0) @param factor per interval @param interval hold time */
    record Geometric(double t0, double factor, double interval) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            return t0 * Math.pow(factor, Math.floor(t / interval));
        }

        @Override
        public String kind() {
            return "geometric";
        }

        @Override
        public Map<String, Object> parameters() {
            return ordered("t0", t0, "factor", factor, "interval", interval);
        }
    }

    /** {@code c / log(e + t)}. @param c T(0) */
    record Logarithmic(double c) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            return c / Math.log(Math.E + t);
        }

        @Override
        public String kind() {
            return "logarithmic";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of("c", c);
        }
    }

    /** Half-cosine ramp. @param t0 T(0) @param tFinal T at and after {@code period} @param period ramp length */
    record Cosine(double t0, double tFinal, double period) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            if (t >= period) {
                return tFinal;
            }
            return Math.max(0.0, tFinal + (t0 - tFinal) * 0.5 * (1 + Math.cos(Math.PI * t / period)));
        }

        @Override
        public String kind() {
            return "cosine";
        }

        @Override
        public Map<String, Object> parameters() {
            return ordered("t0", t0, "t_final", tFinal, "period", period);
        }
    }

    /** Steps. @param times step start times, from 0 @param temperatures the temperature of each step */
    record Piecewise(double[] times, double[] temperatures) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            int i = java.util.Arrays.binarySearch(times, t);
            // between entries binarySearch returns -(insertion point) - 1: the step is the one before
            int k = i >= 0 ? i : Math.max(0, -i - 2);
            return temperatures[k];
        }

        @Override
        public String kind() {
            return "piecewise";
        }

        @Override
        public Map<String, Object> parameters() {
            return ordered("times", times.clone(), "temperatures", temperatures.clone());
        }
    }

    /** A caller's function. @param name its label @param f {@code T(t)} */
    record UserFunction(String name, DoubleUnaryOperator f) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            double v = f.applyAsDouble(t);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "schedule '%s' gave T(%.6g) = %s; a temperature must be a finite number >= 0", name, t, v));
            }
            return v;
        }

        @Override
        public String kind() {
            return "function";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of("name", name);
        }
    }

    /** Another schedule until {@code until}, zero afterwards. @param inner before @param until switch-off time */
    record Quenched(NoiseSchedule inner, double until) implements NoiseSchedule {
        @Override
        public double temperature(double t) {
            return t >= until ? 0.0 : inner.temperature(t);
        }

        @Override
        public String kind() {
            return inner.kind();
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> m = new LinkedHashMap<>(inner.parameters());
            m.put("until", until);
            return m;
        }
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
