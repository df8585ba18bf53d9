package org.fena.integrators;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.math3.ode.nonstiff.AdamsBashforthIntegrator;
import org.apache.commons.math3.ode.nonstiff.AdamsMoultonIntegrator;
import org.apache.commons.math3.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.apache.commons.math3.ode.nonstiff.ClassicalRungeKuttaIntegrator;
import org.apache.commons.math3.ode.nonstiff.DormandPrince54Integrator;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.apache.commons.math3.ode.nonstiff.GraggBulirschStoerIntegrator;

/**
 * Creates integrators by name, as configurations and the command line name them. Names are
 * case-insensitive: {@code euler}, {@code midpoint}, {@code heun}, {@code rk4}, {@code bs3}
 * (alias {@code bogacki-shampine}), {@code dopri5} (alias {@code dormand-prince}), and the
 * Commons Math methods {@code cm-dopri853}, {@code cm-gbs}, {@code cm-adams-bashforth},
 * {@code cm-adams-moulton}, {@code cm-rk4}, {@code cm-dopri54}.
 */
public final class Integrators {

    /**
     * Smallest step handed to Commons Math's adaptive methods: with 0 they would shrink the step
     * to nothing instead of failing.
     */
    static final double CM_MIN_STEP_FLOOR = 1e-12;
    /** Largest step handed to Commons Math's adaptive methods when ours is infinite. */
    static final double CM_MAX_STEP = 1e30;

    private static final Map<String, Function<StepSettings, Integrator>> FACTORIES = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        rk(ButcherTableau.EULER);
        rk(ButcherTableau.MIDPOINT);
        rk(ButcherTableau.HEUN);
        rk(ButcherTableau.RK4);
        rk(ButcherTableau.BS3);
        rk(ButcherTableau.DOPRI5);
        ALIASES.put("bogacki-shampine", "bs3");
        ALIASES.put("dormand-prince", "dopri5");
        FACTORIES.put("cm-dopri853", s -> new CommonsMathIntegrator("cm-dopri853", 8, initialStep(s,
                new DormandPrince853Integrator(minStep(s), maxStep(s), s.atol(), s.rtol()))));
        FACTORIES.put("cm-gbs", s -> new CommonsMathIntegrator("cm-gbs", 18, initialStep(s,
                new GraggBulirschStoerIntegrator(minStep(s), maxStep(s), s.atol(), s.rtol()))));
        FACTORIES.put("cm-adams-bashforth", s -> new CommonsMathIntegrator("cm-adams-bashforth", 4,
                initialStep(s, new AdamsBashforthIntegrator(4, minStep(s), maxStep(s), s.atol(), s.rtol()))));
        FACTORIES.put("cm-adams-moulton", s -> new CommonsMathIntegrator("cm-adams-moulton", 5,
                initialStep(s, new AdamsMoultonIntegrator(4, minStep(s), maxStep(s), s.atol(), s.rtol()))));
        FACTORIES.put("cm-rk4", s -> {
            if (Double.isNaN(s.step())) {
                throw new IllegalArgumentException("cm-rk4 runs at a fixed step and needs one;"
                        + " use StepSettings.fixed(h) or withStep(h)");
            }
            return new CommonsMathIntegrator("cm-rk4", 4, new ClassicalRungeKuttaIntegrator(s.step()));
        });
        FACTORIES.put("cm-dopri54", s -> new CommonsMathIntegrator("cm-dopri54", 5, initialStep(s,
                new DormandPrince54Integrator(minStep(s), maxStep(s), s.atol(), s.rtol()))));
    }

    private Integrators() {
    }

    private static void rk(ButcherTableau tableau) {
        FACTORIES.put(tableau.name(), s -> new RungeKuttaIntegrator(tableau, s));
    }

    private static double minStep(StepSettings s) {
        return Math.max(s.minStep(), CM_MIN_STEP_FLOOR);
    }

    private static double maxStep(StepSettings s) {
        return Math.max(minStep(s), Math.min(s.maxStep(), CM_MAX_STEP));
    }

    private static AdaptiveStepsizeIntegrator initialStep(StepSettings s, AdaptiveStepsizeIntegrator i) {
        if (!Double.isNaN(s.step())) {
            i.setInitialStepSize(s.step());
        }
        return i;
    }

    /**
     * Creates the integrator called {@code name} (case-insensitive, aliases allowed) with
     * {@code settings}. Built-in and Commons Math methods alike come fresh from each call.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones),
     *                                  or a fixed-step method given no step
     */
    public static Integrator create(String name, StepSettings settings) {
        return FACTORIES.get(canonicalName(name)).apply(settings);
    }

    /**
     * The canonical name for {@code name}: lower-cased, with aliases resolved.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static String canonicalName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        key = ALIASES.getOrDefault(key, key);
        if (!FACTORIES.containsKey(key)) {
            StringBuilder aliases = new StringBuilder();
            ALIASES.forEach((alias, target) -> aliases.append(aliases.length() == 0 ? "" : ", ")
                    .append(alias).append(" = ").append(target));
            throw new IllegalArgumentException("unknown integrator '" + name + "'; known: "
                    + String.join(", ", FACTORIES.keySet()) + " (aliases: " + aliases + ")");
        }
        return key;
    }

    /** The canonical names of all methods, built-in first. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }
}
