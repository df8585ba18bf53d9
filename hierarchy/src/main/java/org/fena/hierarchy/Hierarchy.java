package org.fena.hierarchy;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A predictive-coding hierarchy: layers {@code l = 0..L} bottom first, where layer {@code l+1}
 * predicts layer {@code l} as {@code mu_l = f_l(W_l x_{l+1} + b_l)}, each error weighed by its
 * precision {@code Pi_l}, each layer relaxing with its own time constant {@code tau_l}, and an
 * optional Gaussian prior {@code (m_L, Pi_L)} on the top layer.
 *
 * <p>The structure (dimensions, activations, tau, precisions) is fixed at build time. The
 * parameters {@code W_l}, {@code b_l} are live arrays that learning rules update in place; a
 * {@link EnergyWorkspace} reads them afresh at every evaluation. {@link #toString()} prints the
 * hierarchy as the YAML block of a FENA configuration, so a failing case can be pasted back.
 */
public final class Hierarchy {

    private final int[] dims;
    private final double[] taus;
    /** {@code f_l} for {@code l < L}; entry L is null (the top receives no prediction). */
    private final Activation[] activations;
    /** {@code Pi_l} for {@code l < L}; entry L is the prior's precision or null. */
    private final Precision[] precisions;
    private final double[][] weights;
    private final double[][] biases;
    private final double[] priorMean;

    private Hierarchy(int[] dims, double[] taus, Activation[] activations, Precision[] precisions,
            double[][] weights, double[][] biases, double[] priorMean) {
        this.dims = dims;
        this.taus = taus;
        this.activations = activations;
        this.precisions = precisions;
        this.weights = weights;
        this.biases = biases;
        this.priorMean = priorMean;
    }

    /** A builder: add layers bottom first with {@link Builder#layer}, then set what differs from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of layers {@code L + 1}. */
    public int layers() {
        return dims.length;
    }

    /** Index {@code L} of the top layer. */
    public int top() {
        return dims.length - 1;
    }

    /** Dimension {@code d_l} of layer {@code l}. */
    public int dim(int l) {
        return dims[checkLayer(l)];
    }

    /** All dimensions {@code d_0..d_L} (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** Total number of units {@code sum_l d_l} of one sample. */
    public int totalUnits() {
        int s = 0;
        for (int d : dims) {
            s += d;
        }
        return s;
    }

    /** Number of units of one sample in the layers not clamped ({@code clamped[l]} false). */
    public int freeUnits(boolean[] clamped) {
        if (clamped.length != dims.length) {
            throw new IllegalArgumentException("clamp mask has " + clamped.length + " entries, the hierarchy "
                    + dims.length + " layers");
        }
        int s = 0;
        for (int l = 0; l < dims.length; l++) {
            if (!clamped[l]) {
                s += dims[l];
            }
        }
        return s;
    }

    /** Number of learnable parameters: every {@code W_l} and {@code b_l}. */
    public int parameterCount() {
        int s = 0;
        for (int l = 0; l < top(); l++) {
            s += dims[l] * dims[l + 1] + dims[l];
        }
        return s;
    }

    /** Time constant {@code tau_l > 0} of layer {@code l}. */
    public double tau(int l) {
        return taus[checkLayer(l)];
    }

    /** Activation {@code f_l} of the prediction layer {@code l < L} receives; null for the top layer. */
    public Activation activation(int l) {
        return activations[checkLayer(l)];
    }

    /** Precision {@code Pi_l} of layer {@code l}'s error; for {@code l = L} the prior's, or null. */
    public Precision precision(int l) {
        return precisions[checkLayer(l)];
    }

    /**
     * Replaces {@code Pi_l} (for {@code l = L}, the prior's): what precision learning does between
     * settles. Workspaces built before the call see it at their next evaluation: they read
     * {@code Pi_l} from the hierarchy every time.
     *
     * @throws IllegalArgumentException if the dimension differs, or {@code l = L} has no prior
     */
    public void setPrecision(int l, Precision p) {
        checkLayer(l);
        Objects.requireNonNull(p, "precision");
        if (precisions[l] == null) {
            throw new IllegalArgumentException("layer " + l + " is the top layer and has no prior: it has no precision");
        }
        if (p.dimension() != dims[l]) {
            throw new IllegalArgumentException("layer " + l + ": precision has dimension " + p.dimension()
                    + ", expected d_" + l + " = " + dims[l]);
        }
        precisions[l] = p;
    }

    /** Live row-major {@code d_l x d_{l+1}} weights {@code W_l}, {@code l < L}. */
    public double[] weights(int l) {
        return weights[checkPredicted(l, "weights")];
    }

    /** Live bias {@code b_l} (length {@code d_l}), {@code l < L}. */
    public double[] bias(int l) {
        return biases[checkPredicted(l, "bias")];
    }

    /** Whether the top layer has a prior {@code (m_L, Pi_L)}. */
    public boolean hasPrior() {
        return priorMean != null;
    }

    /** Prior mean {@code m_L} (live), or null. */
    public double[] priorMean() {
        return priorMean;
    }

    /** Whether every activation is the identity, so the energy is quadratic in the states. */
    public boolean isLinear() {
        for (int l = 0; l < top(); l++) {
            if (!"identity".equals(activations[l].name())) {
                return false;
            }
        }
        return true;
    }

    /**
     * A deep copy: weights, biases and the prior mean are new arrays; activations and precisions,
     * being immutable, are shared.
     */
    public Hierarchy copy() {
        double[][] w = new double[weights.length][];
        double[][] b = new double[biases.length][];
        for (int l = 0; l < weights.length; l++) {
            w[l] = weights[l].clone();
            b[l] = biases[l].clone();
        }
        return new Hierarchy(dims.clone(), taus.clone(), activations.clone(), precisions.clone(), w, b,
                priorMean == null ? null : priorMean.clone());
    }

    /**
     * The hierarchy as the {@code layers:} (and {@code prior:}) block of a FENA configuration,
     * every number printed with full round-trip precision ({@link Double#toString}, exponent signed
     * so YAML 1.1 readers see a number):
     *
     * <pre>
     * layers:
     *   - dim: 2
     *     tau: 1.0
     *     activation: tanh
     *     precision: 1.5
     *     weights: [[0.1, -0.2, 0.3], [0.0, 0.5, 0.25]]
     *     bias: [0.0, 0.0]
     *   - dim: 3
     *     tau: 2.0
     * prior:
     *   mean: [0.0, 0.0, 0.0]
     *   precision: 1.0
     * </pre>
     *
     * A precision prints as a number (scalar), a list (diagonal) or a list of rows (full).
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(64 + 24 * (parameterCount() + 2 * totalUnits()));
        s.append("layers:\n");
        for (int l = 0; l < dims.length; l++) {
            s.append("  - dim: ").append(dims[l]).append('\n');
            s.append("    tau: ").append(num(taus[l])).append('\n');
            if (l < top()) {
                s.append("    activation: ").append(activations[l].name()).append('\n');
                s.append("    precision: ");
                appendPrecision(s, precisions[l]);
                s.append('\n');
                s.append("    weights: ");
                appendMatrix(s, weights[l], 0, dims[l], dims[l + 1]);
                s.append('\n');
                s.append("    bias: ");
                appendVector(s, biases[l], 0, dims[l]);
                s.append('\n');
            }
        }
        if (priorMean != null) {
            s.append("prior:\n  mean: ");
            appendVector(s, priorMean, 0, priorMean.length);
            s.append("\n  precision: ");
            appendPrecision(s, precisions[top()]);
            s.append('\n');
        }
        return s.toString();
    }

    /** A number as {@link Double#toString} prints it, with a sign on the exponent ({@code 1.0E+10}). */
    public static String num(double v) {
        String t = Double.toString(v);
        int e = t.indexOf('E');
        if (e >= 0 && t.charAt(e + 1) != '-') {
            t = t.substring(0, e + 1) + "+" + t.substring(e + 1);
        }
        return t;
    }

    /** Appends {@code [v_0, v_1, ...]} for {@code v[off .. off+n)}. */
    public static StringBuilder appendVector(StringBuilder s, double[] v, int off, int n) {
        s.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(num(v[off + i]));
        }
        return s.append(']');
    }

    /** Appends a row-major {@code rows x cols} block as {@code [[..], [..]]}. */
    public static StringBuilder appendMatrix(StringBuilder s, double[] m, int off, int rows, int cols) {
        s.append('[');
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                s.append(", ");
            }
            appendVector(s, m, off + r * cols, cols);
        }
        return s.append(']');
    }

    private static void appendPrecision(StringBuilder s, Precision p) {
        double[] dense = p.toDense();
        int d = p.dimension();
        switch (p.kind()) {
            case "scalar":
                s.append(num(dense[0]));
                break;
            case "diagonal": {
                double[] diag = new double[d];
                for (int i = 0; i < d; i++) {
                    diag[i] = dense[i * d + i];
                }
                appendVector(s, diag, 0, d);
                break;
            }
            default:
                appendMatrix(s, dense, 0, d, d);
        }
    }

    private int checkLayer(int l) {
        if (l < 0 || l >= dims.length) {
            throw new IllegalArgumentException("layer " + l + " out of range 0.." + (dims.length - 1));
        }
        return l;
    }

    private int checkPredicted(int l, String what) {
        checkLayer(l);
        if (l == top()) {
            throw new IllegalArgumentException("layer " + l + " is the top layer: it receives no prediction, so it has no "
                    + what);
        }
        return l;
    }

    /**
     * Collects a hierarchy's layers bottom first and its per-layer settings, and validates them
     * all in {@link #build()}. Per-layer setters may be called in any order, before or after the
     * layer itself is added. Defaults: identity activation, scalar precision 1, zero bias, no prior,
     * weights from {@link WeightInit#xavierUniform()} with seed 0.
     */
    public static final class Builder {
        private final java.util.List<Integer> dims = new java.util.ArrayList<>();
        private final java.util.List<Double> taus = new java.util.ArrayList<>();
        private final Map<Integer, Activation> activations = new HashMap<>();
        private final Map<Integer, Precision> precisions = new HashMap<>();
        private final Map<Integer, double[]> weights = new HashMap<>();
        private final Map<Integer, double[]> biases = new HashMap<>();
        private double[] priorMean;
        private Precision priorPrecision;
        private WeightInit init = WeightInit.xavierUniform();
        private long seed;

        private Builder() {
        }

        /** Adds the next layer above those added so far: {@code d_l = dim >= 1}, {@code tau_l > 0} finite. */
        public Builder layer(int dim, double tau) {
            int l = dims.size();
            if (dim < 1) {
                throw new IllegalArgumentException("layer " + l + ": dim must be a whole number >= 1, got " + dim);
            }
            if (!(tau > 0) || !Double.isFinite(tau)) {
                throw new IllegalArgumentException("layer " + l + ": tau must be a finite number > 0, got " + tau);
            }
            dims.add(dim);
            taus.add(tau);
            return this;
        }

        /** The activation {@code f_l} of the prediction of layer {@code l < L} (default identity). */
        public Builder activation(int l, Activation f) {
            activations.put(l, Objects.requireNonNull(f, "activation"));
            return this;
        }

        /** The precision {@code Pi_l} of layer {@code l < L}'s error (default scalar 1); the top's goes with {@link #prior}. */
        public Builder precision(int l, Precision p) {
            precisions.put(l, Objects.requireNonNull(p, "precision"));
            return this;
        }

        /** Explicit row-major {@code d_l x d_{l+1}} weights {@code W_l} (copied). */
        public Builder weights(int l, double[] w) {
            weights.put(l, Objects.requireNonNull(w, "weights").clone());
            return this;
        }

        /** Explicit bias {@code b_l} of length {@code d_l} (copied; default zeros). */
        public Builder bias(int l, double[] b) {
            biases.put(l, Objects.requireNonNull(b, "bias").clone());
            return this;
        }

        /** A Gaussian prior on the top layer: {@code eps_L = x_L - m_L} weighed by {@code Pi_L} (mean copied). */
        public Builder prior(double[] mean, Precision p) {
            this.priorMean = Objects.requireNonNull(mean, "prior mean").clone();
            this.priorPrecision = Objects.requireNonNull(p, "prior precision");
            return this;
        }

        /**
         * The rule that fills every {@code W_l} not given explicitly. The generator is
         * {@code new SplittableRandom(seed)}, split once per layer {@code l = 0..L-1} in order, and
         * layer l draws only from its own split; a split is taken for explicit layers too, so
         * fixing {@code W_0} by hand leaves {@code W_1} as the seed alone would give it.
         */
        public Builder weightInit(WeightInit init, long seed) {
            this.init = Objects.requireNonNull(init, "weight init");
            this.seed = seed;
            return this;
        }

        /** Validates everything and builds the hierarchy. */
        public Hierarchy build() {
            int n = dims.size();
            if (n == 0) {
                throw new IllegalArgumentException("a hierarchy needs at least one layer: call layer(dim, tau)");
            }
            int top = n - 1;
            if (n == 1 && priorMean == null) {
                throw new IllegalArgumentException("a single layer receives no prediction, so its energy is 0:"
                        + " add a layer above it or give it a prior(mean, precision)");
            }
            int[] d = new int[n];
            double[] t = new double[n];
            for (int l = 0; l < n; l++) {
                d[l] = dims.get(l);
                t[l] = taus.get(l);
            }
            checkKeys(activations, top, "activation");
            checkKeys(precisions, top, "precision");
            checkKeys(weights, top, "weights");
            checkKeys(biases, top, "bias");

            Activation[] acts = new Activation[n];
            Precision[] precs = new Precision[n];
            double[][] w = new double[top][];
            double[][] b = new double[top][];
            SplittableRandom root = new SplittableRandom(seed);
            for (int l = 0; l < top; l++) {
                acts[l] = activations.getOrDefault(l, Activations.IDENTITY);
                Precision p = precisions.get(l);
                if (p == null) {
                    p = Precisions.scalar(d[l], 1.0);
                } else if (p.dimension() != d[l]) {
                    throw new IllegalArgumentException("layer " + l + ": precision has dimension " + p.dimension()
                            + ", expected d_" + l + " = " + d[l]);
                }
                precs[l] = p;

                SplittableRandom rng = root.split();
                int size = d[l] * d[l + 1];
                double[] wl = weights.get(l);
                if (wl == null) {
                    wl = new double[size];
                    init.fill(wl, d[l], d[l + 1], rng);
                    requireFinite(wl, "layer " + l + ": weights drawn by " + init.name());
                } else {
                    if (wl.length != size) {
                        throw new IllegalArgumentException("layer " + l + ": weights W_" + l + " must be d_" + l + " x d_"
                                + (l + 1) + " = " + d[l] + " x " + d[l + 1] + " (" + size
                                + " row-major values: " + d[l] + " rows of " + d[l + 1] + "), got " + wl.length);
                    }
                    requireFinite(wl, "layer " + l + ": weights W_" + l);
                }
                w[l] = wl;
                double[] bl = biases.get(l);
                if (bl == null) {
                    bl = new double[d[l]];
                } else {
                    if (bl.length != d[l]) {
                        throw new IllegalArgumentException("layer " + l + ": bias b_" + l + " must have d_" + l + " = "
                                + d[l] + " values, got " + bl.length);
                    }
                    requireFinite(bl, "layer " + l + ": bias b_" + l);
                }
                b[l] = bl;
            }
            double[] mean = null;
            if (priorMean != null) {
                if (priorMean.length != d[top]) {
                    throw new IllegalArgumentException("prior: mean must have d_" + top + " = " + d[top]
                            + " values (the top layer's dim), got " + priorMean.length);
                }
                requireFinite(priorMean, "prior: mean");
                if (priorPrecision.dimension() != d[top]) {
                    throw new IllegalArgumentException("prior: precision has dimension " + priorPrecision.dimension()
                            + ", expected d_" + top + " = " + d[top] + " (the top layer's dim)");
                }
                mean = priorMean.clone();
                precs[top] = priorPrecision;
            }
            return new Hierarchy(d, t, acts, precs, w, b, mean);
        }

        private static void checkKeys(Map<Integer, ?> m, int top, String what) {
            for (int l : m.keySet()) {
                if (l == top) {
                    throw new IllegalArgumentException("layer " + l + " is the top layer: it receives no prediction, so it"
                            + " takes no " + what + (what.equals("precision")
                                    ? " (a prior on the top layer is set with prior(mean, precision))" : ""));
                }
                if (l < 0 || l > top) {
                    throw new IllegalArgumentException(what + " given for layer " + l + ", but the layers are 0.." + top);
                }
            }
        }

        private static void requireFinite(double[] v, String what) {
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new IllegalArgumentException(what + ": value at index " + i + " is not finite: " + v[i]);
                }
            }
        }
    }
}
