package org.fena.hierarchy;

import java.util.List;
import java.util.Locale;

/**
 * The built-in activations {@code f_l} of the top-down prediction {@code mu_l = f_l(a_l)}, each with
 * exact first and second derivatives and a fused {@code valueAndDerivative}.
 *
 * <p>At the kinks of {@code relu} and {@code leaky_relu} the derivative is taken from the left:
 * {@code relu'(0) = 0} and {@code leaky_relu'(0) = slope}; their second derivative is 0 everywhere
 * (the Dirac mass at the kink is ignored, as every gradient-based simulator does).
 */
public final class Activations {

    /** {@code f(a) = a}; configuration names {@code identity}, {@code linear}. */
    public static final Activation IDENTITY = new Identity();
    /** {@code f(a) = tanh a}, {@code f' = 1 - f^2}. */
    public static final Activation TANH = new Tanh();
    /** {@code f(a) = 1 / (1 + e^-a)}, {@code f' = f (1 - f)}; names {@code logistic}, {@code sigmoid}. */
    public static final Activation LOGISTIC = new Logistic();
    /** {@code f(a) = max(a, 0)}, {@code f'(0) = 0}. */
    public static final Activation RELU = new Relu();
    /** {@code f(a) = a} for {@code a > 0}, {@code 0.01 a} otherwise. */
    public static final Activation LEAKY_RELU = new LeakyRelu(LeakyRelu.DEFAULT_SLOPE);
    /** {@code f(a) = log(1 + e^a)}, evaluated as {@code log1p(e^-|a|) + max(a, 0)} so it never overflows. */
    public static final Activation SOFTPLUS = new Softplus();

    private static final List<Activation> ALL = List.of(IDENTITY, TANH, LOGISTIC, RELU, LEAKY_RELU, SOFTPLUS);

    /** The names {@link #byName} accepts, aliases included, as listed in its error message. */
    public static final List<String> NAMES = List.of("identity", "linear", "tanh", "logistic", "sigmoid",
            "relu", "leaky_relu", "leaky_relu(<slope>)", "softplus");

    private Activations() {
    }

    /** The six built-in activations, {@code leaky_relu} with its default slope 0.01. */
    public static List<Activation> all() {
        return ALL;
    }

    /**
     * The leaky rectifier with the given slope for {@code a <= 0}; {@code slope} finite and
     * {@code >= 0} (0 is {@code relu} with the same derivative convention).
     */
    public static Activation leakyRelu(double slope) {
        if (!Double.isFinite(slope) || slope < 0) {
            throw new IllegalArgumentException("leaky_relu slope must be a finite number >= 0, got " + slope);
        }
        return slope == LeakyRelu.DEFAULT_SLOPE ? LEAKY_RELU : new LeakyRelu(slope);
    }

    /**
     * The activation a configuration names, case-insensitively: {@code identity} (or {@code linear}),
     * {@code tanh}, {@code logistic} (or {@code sigmoid}), {@code relu}, {@code leaky_relu} (slope
     * 0.01) or {@code leaky_relu(0.1)} with an explicit slope, {@code softplus}.
     *
     * @throws IllegalArgumentException naming the value and listing the known names
     */
    public static Activation byName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("activation name missing; known: " + String.join(", ", NAMES));
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (n) {
            case "identity":
            case "linear":
                return IDENTITY;
            case "tanh":
                return TANH;
            case "logistic":
            case "sigmoid":
                return LOGISTIC;
            case "relu":
                return RELU;
            case "leaky_relu":
                return LEAKY_RELU;
            case "softplus":
                return SOFTPLUS;
            default:
                break;
        }
        if (n.startsWith("leaky_relu(") && n.endsWith(")")) {
            String arg = n.substring("leaky_relu(".length(), n.length() - 1).trim();
            double slope;
            try {
                slope = Double.parseDouble(arg);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unknown activation '" + name + "': the slope in leaky_relu(...) must be a number, e.g. leaky_relu(0.1)");
            }
            try {
                return leakyRelu(slope);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("activation '" + name + "': " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + String.join(", ", NAMES));
    }

    /** Logistic function without overflow for large |a|. */
    static double logistic(double a) {
        if (a >= 0) {
            return 1.0 / (1.0 + Math.exp(-a));
        }
        double e = Math.exp(a);
        return e / (1.0 + e);
    }

    private static final class Identity extends FusedActivation {
        @Override public String name() { return "identity"; }
        @Override public double value(double a) { return a; }
        @Override public double derivative(double a) { return 1.0; }
        @Override public double secondDerivative(double a) { return 0.0; }

        @Override
        public void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
            for (int i = off, end = off + n; i < end; i++) {
                mu[i] = a[i];
                fp[i] = 1.0;
            }
        }

        @Override
        double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            double sum = 0;
            for (int r = 0, i = i0; r < rows; r++) {
                for (int j = 0; j < d; j++, i++) {
                    double mu = ae[i] + bias[j];
                    double e = x[xOff + i] - mu;
                    double pe = pi[j] * e;
                    ae[i] = e;
                    pieps[i] = pe;
                    fp[i] = 1.0;
                    z[i] = pe;
                    sum += e * pe;
                    if (out != null) {
                        out[outOff + i] = c * pe;
                    }
                }
            }
            return sum;
        }
    }

    private static final class Tanh extends FusedActivation {
        @Override public String name() { return "tanh"; }
        @Override public double value(double a) { return Elementary.tanh(a); }

        @Override
        public double derivative(double a) {
            double t = Elementary.tanh(a);
            return 1.0 - t * t;
        }

        @Override
        public double secondDerivative(double a) {
            double t = Elementary.tanh(a);
            return -2.0 * t * (1.0 - t * t);
        }

        @Override
        public void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
            for (int i = off, end = off + n; i < end; i++) {
                double t = Elementary.tanh(a[i]);
                mu[i] = t;
                fp[i] = 1.0 - t * t;
            }
        }

        @Override
        double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            int from = 0;
            if (VECTOR) {
                double sum = VectorKernels.tanhErrorPass(ae, bias, d, i0, rows, x, xOff, pi, pieps, fp, z, out, outOff, c);
                from = VectorKernels.bound(d);
                if (from == d) {
                    // summed inside the pass in errorEnergy's order: no second sweep over eps and Pi eps
                    return sum;
                }
            }
            if (from < d) {
                // the units the vector pass left (all of them without it), by the same formulas
                for (int r = 0; r < rows; r++) {
                    for (int j = from, i = i0 + r * d + from; j < d; j++, i++) {
                        double t = Elementary.tanh(ae[i] + bias[j]);
                        double f1 = 1.0 - t * t;
                        double e = x[xOff + i] - t;
                        double pe = pi[j] * e;
                        ae[i] = e;
                        pieps[i] = pe;
                        fp[i] = f1;
                        z[i] = pe * f1;
                        if (out != null) {
                            out[outOff + i] = c * pe;
                        }
                    }
                }
            }
            // one summation order for both paths: the same bits with or without the Vector API
            return errorEnergy(ae, pieps, i0, rows * d);
        }

        @Override
        double leanErrorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            if (VECTOR && VectorKernels.bound(d) == d) {
                return VectorKernels.tanhLeanErrorPass(ae, bias, d, i0, rows, x, xOff, pi, z, out, outOff, c);
            }
            // a scalar tail sums the energy from the stored eps and Pi eps: store everything
            return errorPass(ae, bias, d, i0, rows, x, xOff, pi, pieps, fp, z, out, outOff, c);
        }

        @Override
        boolean leanPassReadsInput(int d) {
            // the vector lean pass above, which writes only z and out
            return VECTOR && VectorKernels.bound(d) == d;
        }
    }

    /**
     * {@code sum_i eps_i (Pi eps)_i} over {@code n} entries from {@code i0}, in four interleaved
     * partial sums added as {@code (s0 + s1) + (s2 + s3)}: the order is fixed (reproducible), and four
     * independent chains run at the loads' speed instead of one add's latency per entry.
     */
    static double errorEnergy(double[] e, double[] pe, int i0, int n) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = i0;
        int end = i0 + n;
        for (; i + 3 < end; i += 4) {
            s0 += e[i] * pe[i];
            s1 += e[i + 1] * pe[i + 1];
            s2 += e[i + 2] * pe[i + 2];
            s3 += e[i + 3] * pe[i + 3];
        }
        for (; i < end; i++) {
            s0 += e[i] * pe[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static final class Logistic extends FusedActivation {
        @Override public String name() { return "logistic"; }
        @Override public double value(double a) { return Elementary.logistic(a); }

        @Override
        public double derivative(double a) {
            double s = Elementary.logistic(a);
            return s * (1.0 - s);
        }

        @Override
        public double secondDerivative(double a) {
            double s = Elementary.logistic(a);
            return s * (1.0 - s) * (1.0 - 2.0 * s);
        }

        @Override
        public void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
            for (int i = off, end = off + n; i < end; i++) {
                double s = Elementary.logistic(a[i]);
                mu[i] = s;
                fp[i] = s * (1.0 - s);
            }
        }

        @Override
        double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            double sum = 0;
            for (int r = 0, i = i0; r < rows; r++) {
                for (int j = 0; j < d; j++, i++) {
                    double s = Elementary.logistic(ae[i] + bias[j]);
                    double f1 = s * (1.0 - s);
                    double e = x[xOff + i] - s;
                    double pe = pi[j] * e;
                    ae[i] = e;
                    pieps[i] = pe;
                    fp[i] = f1;
                    z[i] = pe * f1;
                    sum += e * pe;
                    if (out != null) {
                        out[outOff + i] = c * pe;
                    }
                }
            }
            return sum;
        }
    }

    private static final class Relu extends FusedActivation {
        @Override public String name() { return "relu"; }
        @Override public double value(double a) { return a > 0 ? a : 0.0; }
        @Override public double derivative(double a) { return a > 0 ? 1.0 : 0.0; }
        @Override public double secondDerivative(double a) { return 0.0; }

        @Override
        public void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
            for (int i = off, end = off + n; i < end; i++) {
                double ai = a[i];
                boolean on = ai > 0;
                mu[i] = on ? ai : 0.0;
                fp[i] = on ? 1.0 : 0.0;
            }
        }

        @Override
        double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            double sum = 0;
            for (int r = 0, i = i0; r < rows; r++) {
                for (int j = 0; j < d; j++, i++) {
                    double a = ae[i] + bias[j];
                    boolean on = a > 0;
                    double f1 = on ? 1.0 : 0.0;
                    double e = x[xOff + i] - (on ? a : 0.0);
                    double pe = pi[j] * e;
                    ae[i] = e;
                    pieps[i] = pe;
                    fp[i] = f1;
                    z[i] = pe * f1;
                    sum += e * pe;
                    if (out != null) {
                        out[outOff + i] = c * pe;
                    }
                }
            }
            return sum;
        }
    }

    private static final class LeakyRelu extends FusedActivation {
        static final double DEFAULT_SLOPE = 0.01;
        private final double slope;

        LeakyRelu(double slope) {
            this.slope = slope;
        }

        @Override
        public String name() {
            return slope == DEFAULT_SLOPE ? "leaky_relu" : "leaky_relu(" + slope + ")";
        }

        @Override public double value(double a) { return a > 0 ? a : slope * a; }
        @Override public double derivative(double a) { return a > 0 ? 1.0 : slope; }
        @Override public double secondDerivative(double a) { return 0.0; }

        @Override
        public void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
            double s = slope;
            for (int i = off, end = off + n; i < end; i++) {
                double ai = a[i];
                boolean on = ai > 0;
                mu[i] = on ? ai : s * ai;
                fp[i] = on ? 1.0 : s;
            }
        }

        @Override
        double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            double s = slope;
            double sum = 0;
            for (int r = 0, i = i0; r < rows; r++) {
                for (int j = 0; j < d; j++, i++) {
                    double a = ae[i] + bias[j];
                    boolean on = a > 0;
                    double f1 = on ? 1.0 : s;
                    double e = x[xOff + i] - f1 * a;
                    double pe = pi[j] * e;
                    ae[i] = e;
                    pieps[i] = pe;
                    fp[i] = f1;
                    z[i] = pe * f1;
                    sum += e * pe;
                    if (out != null) {
                        out[outOff + i] = c * pe;
                    }
                }
            }
            return sum;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LeakyRelu && Double.compare(((LeakyRelu) o).slope, slope) == 0;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(slope);
        }
    }

    private static final class Softplus extends FusedActivation {
        @Override public String name() { return "softplus"; }

        @Override
        public double value(double a) {
            return Math.log1p(Math.exp(-Math.abs(a))) + Math.max(a, 0.0);
        }

        @Override public double derivative(double a) { return logistic(a); }

        @Override
        public double secondDerivative(double a) {
            double s = logistic(a);
            return s * (1.0 - s);
        }

        @Override
        public void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
            for (int i = off, end = off + n; i < end; i++) {
                double ai = a[i];
                double e = Math.exp(-Math.abs(ai));
                mu[i] = Math.log1p(e) + Math.max(ai, 0.0);
                // logistic(a) from the same exponential: 1/(1+e) for a >= 0, e/(1+e) below
                fp[i] = (ai >= 0 ? 1.0 : e) / (1.0 + e);
            }
        }

        @Override
        double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff, double[] pi,
                double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
            double sum = 0;
            for (int r = 0, i = i0; r < rows; r++) {
                for (int j = 0; j < d; j++, i++) {
                    double a = ae[i] + bias[j];
                    double ex = Math.exp(-Math.abs(a));
                    double mu = Math.log1p(ex) + Math.max(a, 0.0);
                    double f1 = (a >= 0 ? 1.0 : ex) / (1.0 + ex);
                    double e = x[xOff + i] - mu;
                    double pe = pi[j] * e;
                    ae[i] = e;
                    pieps[i] = pe;
                    fp[i] = f1;
                    z[i] = pe * f1;
                    sum += e * pe;
                    if (out != null) {
                        out[outOff + i] = c * pe;
                    }
                }
            }
            return sum;
        }
    }
}
