package org.fena.integrators;

import java.util.Arrays;

/**
 * The coefficients of an explicit Runge–Kutta method, optionally with an embedded lower-order
 * solution for error control: a method is data fed to one stepping engine
 * ({@link RungeKuttaIntegrator}), not a loop of its own.
 *
 * <p>Instances are immutable; the accessors return defensive copies, the engine reads the fields
 * directly.
 */
public final class ButcherTableau {

    final String name;
    final int order;
    final int embeddedOrder;
    final double[] c;
    final double[][] a;
    final double[] b;
    /** {@code b - bHat}: weights of the local error estimate, {@code null} without embedding. */
    final double[] e;
    /** First same as last: the last stage is evaluated at the new state. */
    final boolean fsal;

    /**
     * Creates a tableau.
     *
     * @param name          the method's name
     * @param order         order of the propagated solution ({@code b})
     * @param c             nodes, {@code c[0] == 0}
     * @param a             strictly lower-triangular coefficients; row {@code i} has {@code i} entries
     * @param b             weights of the propagated solution
     * @param bHat          weights of the embedded solution, or {@code null} for a fixed-step method
     * @param embeddedOrder order of the embedded solution (ignored without {@code bHat})
     */
    public ButcherTableau(String name, int order, double[] c, double[][] a, double[] b,
                          double[] bHat, int embeddedOrder) {
        int s = b.length;
        if (s < 1 || c.length != s || a.length != s || (bHat != null && bHat.length != s)) {
            throw new IllegalArgumentException(name + ": c, a, b (and bHat) need one entry per stage");
        }
        if (c[0] != 0.0) {
            throw new IllegalArgumentException(name + ": explicit methods need c[0] == 0");
        }
        for (int i = 0; i < s; i++) {
            if (a[i].length != i) {
                throw new IllegalArgumentException(name + ": row " + i + " of a needs " + i + " entries");
            }
        }
        this.name = name;
        this.order = order;
        this.c = c.clone();
        this.a = new double[s][];
        for (int i = 0; i < s; i++) {
            this.a[i] = a[i].clone();
        }
        this.b = b.clone();
        if (bHat != null) {
            this.e = new double[s];
            for (int i = 0; i < s; i++) {
                this.e[i] = b[i] - bHat[i];
            }
            this.embeddedOrder = embeddedOrder;
        } else {
            this.e = null;
            this.embeddedOrder = 0;
        }
        this.fsal = isFirstSameAsLast(this.c, this.a, this.b);
    }

    private static boolean isFirstSameAsLast(double[] c, double[][] a, double[] b) {
        int s = b.length;
        if (s < 2 || c[s - 1] != 1.0 || b[s - 1] != 0.0) {
            return false;
        }
        for (int j = 0; j < s - 1; j++) {
            if (a[s - 1][j] != b[j]) {
                return false;
            }
        }
        return true;
    }

    /** The method's name. */
    public String name() {
        return name;
    }

    /** Order of the propagated solution. */
    public int order() {
        return order;
    }

    /** Order of the embedded solution used for error control, 0 if there is none. */
    public int embeddedOrder() {
        return embeddedOrder;
    }

    /** Number of stages. */
    public int stages() {
        return b.length;
    }

    /** Whether the method carries an embedded solution, so that it can control its step. */
    public boolean isEmbedded() {
        return e != null;
    }

    /** Whether the last stage is the vector field at the new state (first same as last). */
    public boolean isFsal() {
        return fsal;
    }

    /** The nodes {@code c}. */
    public double[] c() {
        return c.clone();
    }

    /** The weights {@code b} of the propagated solution. */
    public double[] b() {
        return b.clone();
    }

    /** Row {@code i} of the coefficient matrix {@code a}. */
    public double[] a(int i) {
        return a[i].clone();
    }

    /** The weights {@code b - bHat} of the error estimate, or {@code null} without embedding. */
    public double[] errorWeights() {
        return e == null ? null : e.clone();
    }

    @Override
    public String toString() {
        return "ButcherTableau[" + name + ", order " + order + ", stages " + b.length
                + (e != null ? ", embedded order " + embeddedOrder : "") + (fsal ? ", FSAL" : "")
                + ", b=" + Arrays.toString(b) + "]";
    }

    // ----------------------------------------------------------------------------------------
    // The built-in methods.

    /** Explicit Euler, order 1. */
    public static final ButcherTableau EULER = new ButcherTableau("euler", 1,
            new double[] {0}, new double[][] {{}}, new double[] {1}, null, 0);

    /** Explicit midpoint, order 2. */
    public static final ButcherTableau MIDPOINT = new ButcherTableau("midpoint", 2,
            new double[] {0, 0.5}, new double[][] {{}, {0.5}}, new double[] {0, 1}, null, 0);

    /** Heun's method (explicit trapezoid), order 2. */
    public static final ButcherTableau HEUN = new ButcherTableau("heun", 2,
            new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.5}, null, 0);

    /** The classical fourth-order Runge–Kutta method. */
    public static final ButcherTableau RK4 = new ButcherTableau("rk4", 4,
            new double[] {0, 0.5, 0.5, 1},
            new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
            new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, null, 0);

    /** Bogacki–Shampine 3(2), FSAL. */
    public static final ButcherTableau BS3 = new ButcherTableau("bs3", 3,
            new double[] {0, 0.5, 0.75, 1},
            new double[][] {{}, {0.5}, {0, 0.75}, {2.0 / 9, 1.0 / 3, 4.0 / 9}},
            new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9, 0},
            new double[] {7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8}, 2);

    /** Dormand–Prince 5(4), FSAL. */
    public static final ButcherTableau DOPRI5 = new ButcherTableau("dopri5", 5,
            new double[] {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1},
            new double[][] {
                {},
                {1.0 / 5},
                {3.0 / 40, 9.0 / 40},
                {44.0 / 45, -56.0 / 15, 32.0 / 9},
                {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
                {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
                {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}},
            new double[] {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0},
            new double[] {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200,
                187.0 / 2100, 1.0 / 40}, 4);
}
