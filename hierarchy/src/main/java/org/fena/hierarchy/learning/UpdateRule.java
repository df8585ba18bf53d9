package org.fena.hierarchy.learning;

import java.util.Arrays;

/**
 * How a Hebbian direction {@code g = -(1/B) dE/dtheta} becomes a parameter change: plain SGD
 * {@code theta += eta g}, or Adam (moment estimates kept per parameter). Both are local: the change
 * of a weight depends on its own direction history only, never on another layer's.
 *
 * <p>A rule makes one {@link State} per parameter array; per-layer learning rates are passed at
 * each step, so the same rule serves every layer.
 */
public sealed interface UpdateRule {

    /** Plain stochastic gradient steps on the energy: {@code theta += eta g}. */
    static UpdateRule sgd() {
        return new Sgd();
    }

    /**
     * Adam (Kingma and Ba) on the direction {@code g}: first and second moment estimates with decay
     * {@code beta1}, {@code beta2}, bias-corrected, {@code theta += eta m_hat / (sqrt(v_hat) + epsilon)}.
     */
    static UpdateRule adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, got " + beta1 + ", "
                    + beta2 + ", " + epsilon);
        }
        return new Adam(beta1, beta2, epsilon);
    }

    /** Adam with the usual {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code epsilon = 1e-8}. */
    static UpdateRule adam() {
        return adam(0.9, 0.999, 1e-8);
    }

    /** The rule by name: {@code sgd} or {@code adam}. */
    static UpdateRule byName(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sgd":
                return sgd();
            case "adam":
                return adam();
            default:
                throw new IllegalArgumentException("unknown update rule '" + name + "'; known: sgd, adam");
        }
    }

    /** The rule's name. */
    String name();

    /** Fresh per-parameter state for an array of {@code n} parameters. */
    State newState(int n);

    /** The state the rule keeps for one parameter array. */
    interface State {
        /** Moves {@code theta} along the direction {@code g} with learning rate {@code eta}. */
        void apply(double[] theta, double[] g, double eta);
    }

    /** Plain SGD. */
    record Sgd() implements UpdateRule {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public State newState(int n) {
            return (theta, g, eta) -> {
                for (int i = 0; i < theta.length; i++) {
                    theta[i] += eta * g[i];
                }
            };
        }
    }

    /**
     * Adam.
     *
     * @param beta1   decay of the first moment
     * @param beta2   decay of the second moment
     * @param epsilon guard of the division
     */
    record Adam(double beta1, double beta2, double epsilon) implements UpdateRule {
        @Override
        public String name() {
            return "adam";
        }

        @Override
        public State newState(int n) {
            double[] m = new double[n];
            double[] v = new double[n];
            long[] t = new long[1];
            return (theta, g, eta) -> {
                t[0]++;
                double c1 = 1.0 / (1.0 - Math.pow(beta1, t[0]));
                double c2 = 1.0 / (1.0 - Math.pow(beta2, t[0]));
                for (int i = 0; i < theta.length; i++) {
                    double gi = g[i];
                    m[i] = beta1 * m[i] + (1 - beta1) * gi;
                    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                    theta[i] += eta * (m[i] * c1) / (Math.sqrt(v[i] * c2) + epsilon);
                }
            };
        }

        @Override
        public String toString() {
            return "adam" + Arrays.toString(new double[] {beta1, beta2, epsilon});
        }
    }
}
