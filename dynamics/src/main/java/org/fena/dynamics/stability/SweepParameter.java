package org.fena.dynamics.stability;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter a sweep varies, named as in an experiment file: {@code layers[L].tau},
 * {@code layers[L].precision} (a scale on {@code Pi_L}; the top layer's is its prior's),
 * {@code weights[L].gain} (a factor on {@code W_L}), {@code integrator.step} (the step {@code h} of
 * the one-step map), {@code feedback.scale} and {@code feedback.mix}.
 *
 * @param kind  what is varied
 * @param layer the layer it belongs to (-1 for integrator and feedback parameters)
 */
public record SweepParameter(Kind kind, int layer) {

    /** What a sweep varies. */
    public enum Kind {
        /** {@code tau_l}. */
        TAU,
        /** A scale {@code s} on {@code Pi_l}. */
        PRECISION,
        /** A gain on {@code W_l}. */
        WEIGHT_GAIN,
        /** The integrator's step {@code h}: moves the one-step map only, never the fixed point. */
        STEP,
        /** The factor on every feedback matrix {@code B_l}. */
        FEEDBACK_SCALE,
        /** The share of the random part in mixed feedback. */
        FEEDBACK_MIX
    }

    private static final Pattern LAYER = Pattern.compile("layers\\[(\\d+)]\\.(tau|precision)");
    private static final Pattern WEIGHTS = Pattern.compile("weights\\[(\\d+)]\\.gain");

    /** Parses a path; the message of the exception lists the accepted forms. */
    public static SweepParameter parse(String path) {
        String p = path == null ? "" : path.trim().toLowerCase(Locale.ROOT);
        Matcher m = LAYER.matcher(p);
        if (m.matches()) {
            return new SweepParameter(m.group(2).equals("tau") ? Kind.TAU : Kind.PRECISION, Integer.parseInt(m.group(1)));
        }
        m = WEIGHTS.matcher(p);
        if (m.matches()) {
            return new SweepParameter(Kind.WEIGHT_GAIN, Integer.parseInt(m.group(1)));
        }
        return switch (p) {
            case "integrator.step" -> new SweepParameter(Kind.STEP, -1);
            case "feedback.scale" -> new SweepParameter(Kind.FEEDBACK_SCALE, -1);
            case "feedback.mix" -> new SweepParameter(Kind.FEEDBACK_MIX, -1);
            default -> throw new IllegalArgumentException("unknown parameter '" + path + "'; expected layers[L].tau,"
                    + " layers[L].precision, weights[L].gain, integrator.step, feedback.scale or feedback.mix");
        };
    }

    /** The path as written in a config, e.g. {@code layers[1].tau}. */
    public String path() {
        return switch (kind) {
            case TAU -> "layers[" + layer + "].tau";
            case PRECISION -> "layers[" + layer + "].precision";
            case WEIGHT_GAIN -> "weights[" + layer + "].gain";
            case STEP -> "integrator.step";
            case FEEDBACK_SCALE -> "feedback.scale";
            case FEEDBACK_MIX -> "feedback.mix";
        };
    }

    /** The axis label with the mathematics' name and unit. */
    public String label() {
        return switch (kind) {
            case TAU -> "tau_" + layer + " [time units]";
            case PRECISION -> "precision scale s_" + layer + " (Pi_" + layer + " -> s Pi_" + layer + ")";
            case WEIGHT_GAIN -> "gain g_" + layer + " (W_" + layer + " -> g W_" + layer + ")";
            case STEP -> "step h [time units]";
            case FEEDBACK_SCALE -> "feedback scale (B_l -> c B_l)";
            case FEEDBACK_MIX -> "feedback mix (0: W', 1: random)";
        };
    }

    /** The problem at parameter value {@code v} (unchanged for {@link Kind#STEP}). */
    public Problem apply(Problem base, double v) {
        return switch (kind) {
            case TAU -> base.withTau(layer, v);
            case PRECISION -> base.withPrecisionScale(layer, v);
            case WEIGHT_GAIN -> base.withWeightGain(layer, v);
            case STEP -> base;
            case FEEDBACK_SCALE -> base.withFeedback(Feedback.of(base.feedback().kind(), base.hierarchy(), v,
                    base.feedback().mix(), base.feedback().seed()));
            case FEEDBACK_MIX -> base.withFeedback(Feedback.of(Feedback.Kind.MIXED, base.hierarchy(),
                    base.feedback().scale(), v, base.feedback().seed()));
        };
    }

    /** Checks the parameter fits the hierarchy; throws with a message naming what is wrong. */
    public void check(Problem base) {
        int layers = base.hierarchy().layers();
        if ((kind == Kind.TAU || kind == Kind.PRECISION) && (layer < 0 || layer >= layers)) {
            throw new IllegalArgumentException(path() + ": no layer " + layer + " (layers 0.." + (layers - 1) + ")");
        }
        if (kind == Kind.PRECISION && layer == layers - 1 && !base.hierarchy().hasPrior()) {
            throw new IllegalArgumentException(path() + ": the top layer has no prior, so no precision to scale");
        }
        if (kind == Kind.WEIGHT_GAIN && (layer < 0 || layer >= layers - 1)) {
            throw new IllegalArgumentException(path() + ": no weights W_" + layer + " (W_0..W_" + (layers - 2) + ")");
        }
    }
}
