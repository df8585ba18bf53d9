package org.fena.dynamics.stability;

import java.util.Locale;
import java.util.SplittableRandom;

import org.fena.hierarchy.Hierarchy;

/**
 * The matrices {@code B_l} ({@code d_{l+1} x d_l}) that carry layer {@code l}'s weighted error
 * {@code Pi_l eps_l ⊙ f'_l} up to layer {@code l+1}:
 *
 * <pre>
 *   tau_l dx_l/dt = -Pi_l eps_l + B_{l-1} (Pi_{l-1} eps_{l-1} ⊙ f'_{l-1})
 *   B_l = cT W_l' + cR R_l
 * </pre>
 *
 * With {@code cT = 1, cR = 0} (exact transpose, the default) the flow is the gradient flow of the
 * energy, {@code dE/dt <= 0} and the Jacobian is similar to a symmetric matrix (real spectrum).
 * Fixed random {@code R_l} (feedback alignment) break that symmetry: the energy may rise and
 * eigenvalues may become complex (oscillation). {@code R_l} is drawn once, Gaussian, and rescaled to
 * the Frobenius norm of the {@code W_l} it replaces, so {@code scale} compares like with like; the
 * transpose part reads the live weights, so learning rules that move {@code W} move it too.
 */
public final class Feedback {

    /** How the feedback is built. */
    public enum Kind {
        /** {@code B_l = scale W_l'}: the gradient flow when {@code scale = 1}. */
        TRANSPOSE,
        /** {@code B_l = scale R_l}: fixed random feedback (feedback alignment). */
        RANDOM,
        /** {@code B_l = scale ((1 - mix) W_l' + mix R_l)}: a path from the gradient flow to random feedback. */
        MIXED
    }

    private final Kind kind;
    private final double scale;
    private final double mix;
    private final long seed;
    private final double cT;
    private final double cR;
    /** Row-major {@code d_{l+1} x d_l} random parts, null for pure transpose. */
    private final double[][] random;

    private Feedback(Kind kind, double scale, double mix, long seed, double[][] random) {
        this.kind = kind;
        this.scale = scale;
        this.mix = mix;
        this.seed = seed;
        this.random = random;
        switch (kind) {
            case TRANSPOSE -> { cT = scale; cR = 0; }
            case RANDOM -> { cT = 0; cR = scale; }
            default -> { cT = scale * (1 - mix); cR = scale * mix; }
        }
    }

    /** Exact transpose feedback, {@code B_l = W_l'}: the gradient flow of the energy. */
    public static Feedback transpose() {
        return new Feedback(Kind.TRANSPOSE, 1.0, 0.0, 0L, null);
    }

    /**
     * Feedback of the given kind for {@code h}: {@code scale} multiplies every {@code B_l}; {@code mix}
     * (in [0, 1]) is used by {@link Kind#MIXED} only; {@code seed} draws the random parts.
     */
    public static Feedback of(Kind kind, Hierarchy h, double scale, double mix, long seed) {
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("feedback scale must be finite, got " + scale);
        }
        if (!(mix >= 0 && mix <= 1)) {
            throw new IllegalArgumentException("feedback mix must lie in [0, 1], got " + mix);
        }
        if (kind == Kind.TRANSPOSE) {
            return new Feedback(kind, scale, 0.0, seed, null);
        }
        SplittableRandom root = new SplittableRandom(seed);
        double[][] r = new double[h.top()][];
        for (int l = 0; l < h.top(); l++) {
            SplittableRandom rng = root.split();
            double[] w = h.weights(l);
            double[] m = new double[w.length];
            double nw = 0;
            double nm = 0;
            for (int i = 0; i < m.length; i++) {
                m[i] = rng.nextGaussian();
                nm += m[i] * m[i];
                nw += w[i] * w[i];
            }
            // a zero W gives nothing to match: fall back to the Xavier-like size 1/sqrt(d_l) per entry
            double target = nw > 0 ? Math.sqrt(nw) : Math.sqrt(m.length / (double) h.dim(l));
            double f = nm > 0 ? target / Math.sqrt(nm) : 0;
            for (int i = 0; i < m.length; i++) {
                m[i] *= f;
            }
            r[l] = m;
        }
        return new Feedback(kind, scale, mix, seed, r);
    }

    /** Parses {@code transpose}, {@code random} or {@code mixed} (case-insensitive). */
    public static Kind kind(String name) {
        try {
            return Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown feedback kind '" + name + "'; known: transpose, random, mixed");
        }
    }

    /** The kind of feedback. */
    public Kind kind() {
        return kind;
    }

    /** The factor on every {@code B_l}. */
    public double scale() {
        return scale;
    }

    /** The weight of the random part in {@link Kind#MIXED}. */
    public double mix() {
        return mix;
    }

    /** The seed of the random parts. */
    public long seed() {
        return seed;
    }

    /** Whether the flow is exactly the gradient flow of the energy ({@code B_l = W_l'}). */
    public boolean isGradientFlow() {
        return cT == 1.0 && cR == 0.0;
    }

    /** Coefficient {@code cT} of {@code W_l'} in {@code B_l}. */
    public double transposeCoefficient() {
        return cT;
    }

    /** Coefficient {@code cR} of {@code R_l} in {@code B_l}. */
    public double randomCoefficient() {
        return cR;
    }

    /**
     * {@code B_l} as a new dense row-major {@code d_{l+1} x d_l} matrix from the current weights (for
     * analysis; the flow never materialises it).
     */
    public double[] matrix(Hierarchy h, int l) {
        int d = h.dim(l);
        int du = h.dim(l + 1);
        double[] w = h.weights(l);
        double[] b = new double[du * d];
        for (int i = 0; i < du; i++) {
            for (int j = 0; j < d; j++) {
                double v = cT * w[j * du + i];
                if (cR != 0) {
                    v += cR * random[l][j * du + i];
                }
                b[i * d + j] = v;
            }
        }
        return b;
    }

    /** Row-major {@code d_l x d_{l+1}} random part {@code R_l'} (laid out as {@code W_l}), or null. */
    double[] randomPart(int l) {
        return random == null ? null : random[l];
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TRANSPOSE -> "transpose" + (scale == 1.0 ? "" : " x " + scale);
            case RANDOM -> "random (seed " + seed + ") x " + scale;
            case MIXED -> "mixed " + mix + " random (seed " + seed + ") x " + scale;
        };
    }
}
