package org.fena.hierarchy;

/**
 * The elementwise nonlinearity {@code f_l} of the top-down prediction {@code mu_l = f_l(a_l)},
 * with the first and second derivatives that the gradient and the Hessian of the energy need.
 */
public interface Activation {

    /** The name a configuration uses ({@code identity}, {@code tanh}, {@code leaky_relu}, ...). */
    String name();

    /** {@code f(a)}. */
    double value(double a);

    /** {@code f'(a)}. */
    double derivative(double a);

    /** {@code f''(a)}. */
    double secondDerivative(double a);

    /**
     * Fused pass over {@code [off, off + n)}: {@code mu[i] = f(a[i])} and {@code fp[i] = f'(a[i])}.
     * Implementations override it to share work between the two (tanh: {@code f' = 1 - f^2}).
     */
    default void valueAndDerivative(double[] a, double[] mu, double[] fp, int off, int n) {
        for (int i = off, end = off + n; i < end; i++) {
            double ai = a[i];
            mu[i] = value(ai);
            fp[i] = derivative(ai);
        }
    }
}
