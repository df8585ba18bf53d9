package org.fena.annealing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link NoiseSchedule}s from a kind name and named parameters, as experiment files give
 * them, e.g. {@code {kind: exponential, t0: 0.8, rate: 0.005}}. Every kind also takes
 * {@code until}: the time from which {@code T = 0} (a final noise-free settle).
 *
 * <p>Temperatures {@code t0}, {@code t_final}, {@code T}, {@code c} are in energy units (the
 * stationary law at constant {@code T} is {@code exp(-E/T)}); times in simulated time units.
 */
public final class NoiseSchedules {

    /** Parameters each kind accepts, besides {@code until}; the first ones listed are required. */
    private static final Map<String, List<String>> KNOWN = new LinkedHashMap<>();
    /** Parameters with defaults. */
    private static final Map<String, Double> DEFAULTS = Map.of("t_final", 0.0);

    static {
        KNOWN.put("none", List.of());
        KNOWN.put("constant", List.of("T"));
        KNOWN.put("linear", List.of("t0", "duration", "t_final"));
        KNOWN.put("exponential", List.of("t0", "rate"));
        KNOWN.put("geometric", List.of("t0", "factor", "interval"));
        KNOWN.put("logarithmic", List.of("c"));
        KNOWN.put("cosine", List.of("t0", "period", "t_final"));
        KNOWN.put("piecewise", List.of("times", "temperatures"));
    }

    private NoiseSchedules() {
    }

    /** The kinds {@link #create} knows ({@code none} is noise-free settling). */
    public static Set<String> kinds() {
        return KNOWN.keySet();
    }

    /** The parameter names {@code kind} accepts, {@code until} included. */
    public static List<String> parameterNames(String kind) {
        List<String> names = new java.util.ArrayList<>(known(kind));
        names.add("until");
        return names;
    }

    /**
     * The schedule of kind {@code kind} with {@code params}: numbers ({@link Number}) and, for
     * {@code piecewise}, lists of numbers ({@code double[]} or a {@link List} of {@link Number}).
     *
     * @throws IllegalArgumentException for an unknown kind or parameter, a missing one, or a value
     *                                  outside its range; the message names the parameter
     */
    public static NoiseSchedule create(String kind, Map<String, ?> params) {
        String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        List<String> names = known(k);
        for (String p : params.keySet()) {
            if (!names.contains(p) && !p.equals("until")) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "schedule '%s' has no parameter '%s'; it takes %s", k, p, parameterNames(k)));
            }
        }
        NoiseSchedule s = switch (k) {
            case "none" -> NoiseSchedule.noiseFree();
            case "constant" -> NoiseSchedule.constant(num(k, params, "T"));
            case "linear" -> NoiseSchedule.linear(num(k, params, "t0"), num(k, params, "t_final"),
                    num(k, params, "duration"));
            case "exponential" -> NoiseSchedule.exponential(num(k, params, "t0"), num(k, params, "rate"));
            case "geometric" -> NoiseSchedule.geometric(num(k, params, "t0"), num(k, params, "factor"),
                    num(k, params, "interval"));
            case "logarithmic" -> NoiseSchedule.logarithmic(num(k, params, "c"));
            case "cosine" -> NoiseSchedule.cosine(num(k, params, "t0"), num(k, params, "t_final"),
                    num(k, params, "period"));
            case "piecewise" -> NoiseSchedule.piecewise(list(k, params, "times"), list(k, params, "temperatures"));
            default -> throw new IllegalStateException(k);
        };
        return params.containsKey("until") ? s.until(num(k, params, "until")) : s;
    }

    private static List<String> known(String kind) {
        List<String> names = KNOWN.get(kind);
        if (names == null) {
            throw new IllegalArgumentException("unknown schedule kind '" + kind + "'; known: "
                    + String.join(", ", KNOWN.keySet()));
        }
        return names;
    }

    private static double num(String kind, Map<String, ?> params, String name) {
        Object v = params.get(name);
        if (v == null) {
            Double d = DEFAULTS.get(name);
            if (d != null) {
                return d;
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "schedule '%s' needs '%s' (it takes %s)", kind, name, parameterNames(kind)));
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "schedule '%s': '%s' must be a number, got %s", kind, name, v));
        }
        return n.doubleValue();
    }

    private static double[] list(String kind, Map<String, ?> params, String name) {
        Object v = params.get(name);
        if (v instanceof double[] a) {
            return a.clone();
        }
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "schedule '%s': '%s' must be a list of numbers, got %s", kind, name, l));
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "schedule '%s' needs '%s', a list of numbers%s", kind, name, v == null ? "" : ", got " + v));
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
        return v;
    }

    static double positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
        return v;
    }
}
