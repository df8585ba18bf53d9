package org.fena.dynamics.stability;

/**
 * The type of a fixed point from the eigenvalues of the flow's Jacobian {@code A = -T^{-1} G}:
 * the sign of their real parts (decay or growth) and whether any is complex (rotation).
 */
public enum FixedPointType {
    /** Every {@code Re lambda < 0}, all real: settling approaches monotonically along each mode. */
    STABLE_NODE("stable node"),
    /** Every {@code Re lambda < 0}, some complex: settling spirals in (impossible for the gradient flow). */
    STABLE_FOCUS("stable focus"),
    /** Some {@code Re lambda < 0} and some {@code > 0}: a saddle, attracting along some modes only. */
    SADDLE("saddle"),
    /** Every {@code Re lambda > 0}, all real. */
    UNSTABLE_NODE("unstable node"),
    /** Every {@code Re lambda > 0}, some complex: spirals out. */
    UNSTABLE_FOCUS("unstable focus"),
    /** No growing mode, and the modes with {@code Re lambda = 0} are purely imaginary: a centre (linearly). */
    CENTRE("centre"),
    /** Some {@code lambda = 0}: not hyperbolic (a line or surface of fixed points, or a bifurcation point). */
    DEGENERATE("degenerate");

    private final String label;

    FixedPointType(String label) {
        this.label = label;
    }

    /** The name written in reports and legends, e.g. {@code stable node}. */
    public String label() {
        return label;
    }

    /** Whether small perturbations decay (every mode strictly stable). */
    public boolean isStable() {
        return this == STABLE_NODE || this == STABLE_FOCUS;
    }

    /**
     * Classifies a spectrum: a real part is zero when {@code |Re lambda| <= zeroTol}, an eigenvalue
     * complex when {@code |Im lambda| > zeroTol}.
     */
    public static FixedPointType classify(double[] re, double[] im, double zeroTol) {
        int pos = 0;
        int neg = 0;
        boolean complex = false;
        boolean zeroReal = false;
        boolean zeroValue = false;
        for (int i = 0; i < re.length; i++) {
            boolean c = Math.abs(im[i]) > zeroTol;
            complex |= c;
            if (re[i] > zeroTol) {
                pos++;
            } else if (re[i] < -zeroTol) {
                neg++;
            } else {
                zeroReal = true;
                zeroValue |= !c;
            }
        }
        if (zeroReal) {
            return pos == 0 && !zeroValue ? CENTRE : DEGENERATE;
        }
        if (pos == 0) {
            return complex ? STABLE_FOCUS : STABLE_NODE;
        }
        if (neg == 0) {
            return complex ? UNSTABLE_FOCUS : UNSTABLE_NODE;
        }
        return SADDLE;
    }

    /** The type whose {@link #label()} is {@code s}. */
    public static FixedPointType fromLabel(String s) {
        for (FixedPointType t : values()) {
            if (t.label.equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown fixed-point type '" + s + "'");
    }
}
