package org.fena.dynamics.stability;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fena.integrators.ButcherTableau;
import org.fena.integrators.Integrators;

/**
 * The linear stability of an explicit Runge–Kutta method: its stability function
 * {@code R(z) = 1 + z b'(I - z A)^{-1} 1 = sum_k c_k z^k}, {@code c_k = b' A^{k-1} 1} (a polynomial,
 * as {@code A} is strictly lower triangular), and the step bounds it implies for a linear(ised)
 * flow {@code dx/dt = A x} with eigenvalues {@code lambda}: one step multiplies the mode of
 * {@code lambda} by {@code R(h lambda)}, so the step converges iff {@code |R(h lambda)| < 1} for every
 * mode.
 */
public final class StabilityRegion {

    private static final Map<String, ButcherTableau> TABLEAUX = new LinkedHashMap<>();

    static {
        for (ButcherTableau t : new ButcherTableau[] {ButcherTableau.EULER, ButcherTableau.MIDPOINT,
            ButcherTableau.HEUN, ButcherTableau.RK4, ButcherTableau.BS3, ButcherTableau.DOPRI5}) {
            TABLEAUX.put(t.name(), t);
        }
    }

    private final String method;
    private final double[] coefficients;

    private StabilityRegion(String method, double[] coefficients) {
        this.method = method;
        this.coefficients = coefficients;
    }

    /** The region of the method with this tableau. */
    public static StabilityRegion of(ButcherTableau t) {
        int s = t.stages();
        double[][] a = new double[s][];
        for (int i = 0; i < s; i++) {
            a[i] = t.a(i);
        }
        double[] b = t.b();
        double[] c = new double[s + 1];
        c[0] = 1;
        double[] v = new double[s];
        java.util.Arrays.fill(v, 1.0);
        for (int k = 1; k <= s; k++) {
            double dot = 0;
            for (int i = 0; i < s; i++) {
                dot += b[i] * v[i];
            }
            c[k] = dot;
            double[] nv = new double[s];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < i; j++) {
                    nv[i] += a[i][j] * v[j];
                }
            }
            v = nv;
        }
        int deg = s;
        while (deg > 0 && Math.abs(c[deg]) < 1e-15) {
            deg--;
        }
        return new StabilityRegion(t.name(), java.util.Arrays.copyOf(c, deg + 1));
    }

    /**
     * The region of the integrator called {@code name} (aliases allowed), or null for a method that is
     * not an explicit Runge–Kutta method with a known tableau (multistep and extrapolation methods);
     * {@code cm-rk4} and {@code cm-dopri54} share the regions of {@code rk4} and {@code dopri5}.
     */
    public static StabilityRegion forIntegrator(String name) {
        String key = Integrators.canonicalName(name);
        key = switch (key) {
            case "cm-rk4" -> "rk4";
            case "cm-dopri54" -> "dopri5";
            default -> key;
        };
        ButcherTableau t = TABLEAUX.get(key);
        return t == null ? null : of(t);
    }

    /** The explicit Runge–Kutta methods whose regions are known, by name. */
    public static java.util.List<String> methods() {
        return java.util.List.copyOf(TABLEAUX.keySet());
    }

    /** The method's name. */
    public String method() {
        return method;
    }

    /** Coefficients {@code c_0..c_s} of {@code R(z)} (a copy); for RK4 {@code 1, 1, 1/2, 1/6, 1/24}. */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** {@code |R(z)|^2} at {@code z = re + i im}. */
    public double modulusSquared(double re, double im) {
        double[] r = value(re, im);
        return r[0] * r[0] + r[1] * r[1];
    }

    /** {@code R(z)} as {@code {re, im}}, by Horner's rule. */
    public double[] value(double re, double im) {
        double pr = 0;
        double pi = 0;
        for (int k = coefficients.length - 1; k >= 0; k--) {
            double nr = pr * re - pi * im + coefficients[k];
            double ni = pr * im + pi * re;
            pr = nr;
            pi = ni;
        }
        return new double[] {pr, pi};
    }

    /** Whether {@code z} lies in the closed stability region {@code |R(z)| <= 1}. */
    public boolean contains(double re, double im) {
        return modulusSquared(re, im) <= 1.0 + 1e-14;
    }

    /**
     * The largest {@code h} such that {@code |R(t lambda)| <= 1} for every {@code t} in {@code [0, h]}:
     * where the ray from the origin through {@code lambda} first leaves the region (a scan over
     * {@code |z|} in geometric steps, then bisection to machine precision). {@code +inf} for
     * {@code lambda = 0}; 0 for a growing mode ({@code Re lambda > 0}) or a ray that leaves at once
     * (Euler on the imaginary axis). For explicit Euler on a real {@code lambda < 0} this is
     * {@code 2/|lambda|}.
     */
    public double largestStableStep(double re, double im) {
        double mod = Math.hypot(re, im);
        if (mod == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (re > 0) {
            return 0.0;
        }
        double ur = re / mod;
        double ui = im / mod;
        // geometric scan of r = |z| so a boundary at tiny r (Euler near the imaginary axis) is found too
        double lo = 0;
        double hi = Double.NaN;
        int steps = 4000;
        double rMin = 1e-9;
        double rMax = 64;
        double ratio = Math.pow(rMax / rMin, 1.0 / steps);
        double r = rMin;
        for (int k = 0; k <= steps; k++, r *= ratio) {
            if (contains(r * ur, r * ui)) {
                lo = r;
            } else {
                hi = r;
                break;
            }
        }
        if (Double.isNaN(hi)) {
            return Double.POSITIVE_INFINITY; // never leaves within |z| <= 64: no explicit RK method does this
        }
        for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (contains(mid * ur, mid * ui)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo / mod;
    }

    /**
     * The largest stable step for a whole spectrum: the minimum of {@link #largestStableStep} over
     * the eigenvalues that do not grow ({@code Re lambda <= zeroTol}) and are not zero
     * ({@code |lambda| > zeroTol}); {@code +inf} when none limits it.
     */
    public double largestStableStep(double[] re, double[] im, double zeroTol) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < re.length; i++) {
            if (Math.hypot(re[i], im[i]) <= zeroTol || re[i] > zeroTol) {
                continue;
            }
            best = Math.min(best, largestStableStep(Math.min(re[i], 0.0), im[i]));
        }
        return best;
    }

    /** Spectral radius of the one-step map at step {@code h}: {@code max_i |R(h lambda_i)|}. */
    public double spectralRadius(double[] re, double[] im, double h) {
        double rho = 0;
        for (int i = 0; i < re.length; i++) {
            rho = Math.max(rho, Math.sqrt(modulusSquared(h * re[i], h * im[i])));
        }
        return rho;
    }

    /**
     * Whether the one-step map at {@code h} turns some mode over: an amplification factor
     * {@code R(h lambda)} with negative real part or a phase, i.e. the discrete iterates oscillate.
     */
    public boolean oscillates(double[] re, double[] im, double h) {
        for (int i = 0; i < re.length; i++) {
            double[] r = value(h * re[i], h * im[i]);
            double m = Math.hypot(r[0], r[1]);
            if (m > 1e-12 && (r[0] < 0 || Math.abs(r[1]) > 1e-9 * m)) {
                return true;
            }
        }
        return false;
    }
}
