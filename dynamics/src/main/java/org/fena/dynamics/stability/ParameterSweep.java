package org.fena.dynamics.stability;

import java.util.ArrayList;
import java.util.List;

import org.fena.dynamics.StopCriteria;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;

/**
 * A one-parameter sweep: at each value the fixed point is continued from the previous one (Newton,
 * which follows unstable branches too; a settle first when Newton alone fails), its spectrum taken,
 * and the leading eigenvalue and the one-step map's spectral radius recorded — the data of a
 * bifurcation diagram. Where the leading real part changes sign between neighbouring values (the
 * fixed point gains or loses stability) or the spectral radius crosses 1 (the integrator's step
 * bound), the crossing is located by bisection on the parameter.
 */
public final class ParameterSweep {

    /** One value of the sweep. */
    public record Point(double value, double[] state, double residual, boolean converged, FixedPointType type,
            double[] re, double[] im, double spectralRadius, double largestStableStep) {

        /** {@code Re} of the leading (slowest) eigenvalue. */
        public double leadingReal() {
            return re[0];
        }

        /** {@code Im} of the leading eigenvalue. */
        public double leadingImaginary() {
            return im[0];
        }
    }

    /**
     * A located crossing.
     *
     * @param kind  {@code eigenvalue} (leading {@code Re lambda} crosses 0) or {@code spectral_radius}
     *              (the one-step map's {@code rho} crosses 1)
     * @param value the parameter value, to {@code 1e-10} relative
     * @param from  the fixed point's type below the crossing
     * @param to    the type above it
     */
    public record Crossing(String kind, double value, String from, String to) {
    }

    private final Problem base;
    private final SweepParameter parameter;
    private final StabilityRegion region;
    private final double step;

    /**
     * A sweep of {@code parameter} on {@code base}; {@code region} and {@code step} give the one-step
     * map (region null: no spectral radius is recorded; step NaN: only the step bound).
     */
    public ParameterSweep(Problem base, SweepParameter parameter, StabilityRegion region, double step) {
        parameter.check(base);
        this.base = base;
        this.parameter = parameter;
        this.region = region;
        this.step = step;
    }

    /** Evenly spaced values from {@code a} to {@code b} ({@code n >= 2}), or geometric ones when {@code log}. */
    public static double[] values(double a, double b, int n, boolean log) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double f = n == 1 ? 0 : i / (double) (n - 1);
            v[i] = log ? a * Math.pow(b / a, f) : a + (b - a) * f;
        }
        return v;
    }

    /** Runs the sweep from {@code x0} (a free state of {@code base}). */
    public List<Point> run(double[] values, double[] x0) {
        List<Point> out = new ArrayList<>();
        double[] x = x0.clone();
        boolean first = true;
        for (double v : values) {
            Point p = point(v, x, first);
            first = false;
            if (p.converged()) {
                x = p.state();
            }
            out.add(p);
        }
        return out;
    }

    /** The crossings between neighbouring points, each located by bisection. */
    public List<Crossing> crossings(List<Point> points) {
        List<Crossing> out = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            if (!a.converged() || !b.converged()) {
                continue;
            }
            if (sign(a) * sign(b) < 0) {
                out.add(new Crossing("eigenvalue", bisect(a, b, p -> p.leadingReal()), a.type().label(), b.type().label()));
            }
            if (!Double.isNaN(a.spectralRadius()) && (a.spectralRadius() - 1) * (b.spectralRadius() - 1) < 0) {
                out.add(new Crossing("spectral_radius", bisect(a, b, p -> p.spectralRadius() - 1),
                        a.type().label(), b.type().label()));
            }
        }
        return out;
    }

    /** The sign of the leading real part, 0 when it is zero to 1e-9 of the spectrum's size. */
    private static int sign(Point p) {
        double max = 0;
        for (int k = 0; k < p.re.length; k++) {
            max = Math.max(max, Math.hypot(p.re[k], p.im[k]));
        }
        double z = 1e-9 * max;
        return p.re[0] > z ? 1 : p.re[0] < -z ? -1 : 0;
    }

    private double bisect(Point a, Point b, java.util.function.ToDoubleFunction<Point> f) {
        double lo = a.value();
        double hi = b.value();
        double flo = f.applyAsDouble(a);
        double[] x = a.state();
        for (int it = 0; it < 80 && Math.abs(hi - lo) > 1e-10 * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
            double mid = 0.5 * (lo + hi);
            Point p = point(mid, x, false);
            double fm = f.applyAsDouble(p);
            if (Math.signum(fm) == Math.signum(flo)) {
                lo = mid;
                flo = fm;
                if (p.converged()) {
                    x = p.state();
                }
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** The fixed point, spectrum and step figures at one value, continued from {@code x}. */
    public Point point(double v, double[] x, boolean settleFirst) {
        Problem p = parameter.apply(base, v);
        var ws = p.workspace();
        double[] start = x;
        FixedPoint fp = settleFirst ? null : FixedPoint.polish(ws, p.feedback(), start, FixedPoint.TOLERANCE, 50);
        if (fp == null || !fp.converged()) {
            Relaxation r = Relaxation.run(new FeedbackFlow(ws, p.feedback()),
                    Integrators.create("dopri5", StepSettings.tolerances(1e-8, 1e-11)), start,
                    new StopCriteria(1e4 * maxTau(p), 1e-7, 0, 0, 1, 200_000), false);
            double[] from = r.diverged() ? start : r.finalState();
            fp = FixedPoint.polish(ws, p.feedback(), from, FixedPoint.TOLERANCE, 50);
        }
        Spectrum sp = Spectrum.of(Linearization.at(ws, p.feedback(), fp.state()));
        double h = parameter.kind() == SweepParameter.Kind.STEP ? v : step;
        double rho = region == null || Double.isNaN(h) ? Double.NaN : region.spectralRadius(sp.real(), sp.imaginary(), h);
        double hMax = region == null ? Double.NaN : region.largestStableStep(sp.real(), sp.imaginary(), sp.zeroTolerance());
        return new Point(v, fp.state(), fp.residual(), fp.converged(), sp.type(), sp.real(), sp.imaginary(), rho, hMax);
    }

    private static double maxTau(Problem p) {
        double m = 0;
        for (int l = 0; l < p.hierarchy().layers(); l++) {
            m = Math.max(m, p.hierarchy().tau(l));
        }
        return m;
    }
}
