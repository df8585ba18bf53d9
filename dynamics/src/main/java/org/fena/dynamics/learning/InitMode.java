package org.fena.dynamics.learning;

import java.util.Locale;

/**
 * Where the free states start before each settle, in training and in inference.
 *
 * <ul>
 *   <li>{@link #ZEROS}: every free unit at 0.</li>
 *   <li>{@link #TOP_DOWN}: a free top at its prior mean (or 0), each free layer below at the
 *       prediction {@code mu_l} of the layer above. With the data clamped at the top this is the
 *       feedforward pass, already the settled state when nothing below is clamped.</li>
 *   <li>{@link #AMORTISED}: a learned bottom-up guess {@code x_{l+1} = V_l x_l + c_l} from the data
 *       layer upwards ({@link AmortisedGuess}), trained by a local delta rule to predict the settled
 *       states; for data clamped at the bottom.</li>
 * </ul>
 */
public enum InitMode {
    /** All free units at 0. */
    ZEROS,
    /** Top-down predictions. */
    TOP_DOWN,
    /** Learned bottom-up (amortised) guess. */
    AMORTISED;

    /** By configuration name: {@code zeros}, {@code top_down}, {@code amortised} (or {@code amortized}). */
    public static InitMode byName(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "zeros":
                return ZEROS;
            case "top_down":
            case "topdown":
                return TOP_DOWN;
            case "amortised":
            case "amortized":
            case "bottom_up":
                return AMORTISED;
            default:
                throw new IllegalArgumentException("unknown initial state '" + s
                        + "'; known: zeros, top_down, amortised");
        }
    }
}
