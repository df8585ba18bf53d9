package org.fena.integrators;

import java.util.Locale;

/**
 * The explicit Runge–Kutta engine: steps any {@link ButcherTableau}, at a fixed step or, for an
 * embedded tableau with {@link StepSettings#adaptive()}, under error control with a PI step-size
 * controller.
 *
 * <p>The vector field at the accepted state is kept and reused as the first stage of the next
 * step (for FSAL methods it is the last stage of the step just taken), so every accepted step
 * ends with an evaluation at exactly its own {@code (t, y)}: a vector field may cache by-products
 * of that evaluation for observers and stop rules. Workspaces are allocated once per
 * {@link #integrate} call; the stepping loop allocates nothing. Integration runs forward in time.
 *
 * <p>Error control (embedded tableaus): Hairer's weighted RMS error norm with
 * {@code atol + rtol max(|y|, |yNew|)}, a PI controller with exponents {@code 0.7/k} and
 * {@code 0.4/k} ({@code k} = embedded order + 1), safety 0.9, step changes clamped to
 * {@code [0.2, 10]} and no growth right after a rejection; Hairer's starting-step estimate when
 * {@link StepSettings#step()} is {@code NaN}. A trial state that is not finite is rejected like a
 * step with too large an error; a fixed-step run throws {@link DivergenceException} instead.
 *
 * <p>The stop rule's {@link StopRule#horizon() horizon} is read once, after
 * {@link StopRule#start}; the last step is clipped (or stretched by at most 1% within
 * {@code maxStep}) to land on it exactly.
 *
 * <p>An instance holds only its tableau and settings, so it may serve several threads at once.
 */
public final class RungeKuttaIntegrator implements Integrator {

    /** Safety factor on the optimal step. */
    private static final double SAFETY = 0.9;
    /** Largest shrink of the step in one go. */
    private static final double MIN_FACTOR = 0.2;
    /** Largest growth of the step in one go. */
    private static final double MAX_FACTOR = 10.0;
    /** Floor on the previous error in the PI controller, so one tiny error cannot boost the step. */
    private static final double MIN_PREVIOUS_ERROR = 1e-4;
    /** A last step up to this fraction longer than planned is stretched onto the horizon. */
    private static final double STRETCH = 0.01;

    private final ButcherTableau tableau;
    private final StepSettings settings;
    private final String name;
    private final boolean adaptive;
    /** Exponents of the PI controller. */
    private final double alpha;
    private final double beta;
    /** Exponent of the plain (I) controller used after a rejection. */
    private final double rejectExponent;

    /**
     * Creates the integrator for {@code tableau} under {@code settings}, registered as
     * {@code tableau.name()}.
     *
     * @throws IllegalArgumentException when the method runs at a fixed step and no step is given
     */
    public RungeKuttaIntegrator(ButcherTableau tableau, StepSettings settings) {
        this(tableau.name(), tableau, settings);
    }

    /** Creates the integrator under another name than the tableau's. */
    public RungeKuttaIntegrator(String name, ButcherTableau tableau, StepSettings settings) {
        this.name = name;
        this.tableau = tableau;
        this.settings = settings;
        this.adaptive = tableau.isEmbedded() && settings.adaptive();
        if (!adaptive && Double.isNaN(settings.step())) {
            throw new IllegalArgumentException(name + " runs at a fixed step here and needs one;"
                    + " use StepSettings.fixed(h) or withStep(h)");
        }
        // The local error estimate behaves like h^k with k = embedded order + 1.
        double k = tableau.embeddedOrder() + 1;
        this.alpha = 0.7 / k;
        this.beta = 0.4 / k;
        this.rejectExponent = 1.0 / k;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int order() {
        return tableau.order();
    }

    @Override
    public boolean isAdaptive() {
        return adaptive;
    }

    /** The tableau this integrator steps. */
    public ButcherTableau tableau() {
        return tableau;
    }

    /** The step-size settings this integrator runs with. */
    public StepSettings settings() {
        return settings;
    }

    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, StopRule stop,
                                       StepObserver... observers) {
        final int n = system.dimension();
        if (y.length != n) {
            throw new IllegalArgumentException("state has " + y.length + " components, system has " + n);
        }
        final int s = tableau.stages();
        final boolean fsal = tableau.fsal;
        final double[] c = tableau.c;
        final double[][] a = tableau.a;
        final double[] b = tableau.b;
        final double[] e = tableau.e;
        final double rtol = settings.rtol();
        final double atol = settings.atol();
        final double minStep = settings.minStep();
        final double maxStep = settings.maxStep();
        final double fixedStep = settings.step();

        // Workspaces: the caller's y is one of the two state buffers; the other and the stages
        // are allocated here once. k[0] and (FSAL) k[s-1] alias the state's derivative buffers.
        MutableStepState st = new MutableStepState(y, new double[n], new double[n], new double[n]);
        double[][] k = new double[s][];
        for (int i = 1; i < s; i++) {
            if (!(fsal && i == s - 1)) {
                k[i] = new double[n];
            }
        }
        double[] yTmp = new double[n];

        system.derivative(t0, st.y, st.yDot);
        st.evals = 1;
        st.startAt(t0);
        stop.start(st);
        // Read after start: a rule may place its horizon relative to the initial state.
        final double horizon = checkedHorizon(stop, t0);
        for (StepObserver o : observers) {
            o.start(st);
        }

        Termination termination = null;
        if (t0 >= horizon) {
            termination = atHorizon(stop, st);
        }
        double h = adaptive ? settings.step() : fixedStep;
        double errOld = MIN_PREVIOUS_ERROR;
        boolean rejectedLast = false;
        while (termination == null) {
            final double t = st.t;
            if (adaptive && Double.isNaN(h)) {
                // The previous buffers are free until the step is accepted: scratch for the probe.
                h = startingStep(system, st, st.prevY, st.prevYDot, horizon - t);
            }
            double tNew;
            boolean last;
            if (adaptive) {
                h = Math.min(h, maxStep);
                // Stretch a last step slightly rather than leave a sliver, within maxStep.
                last = t + h >= horizon
                        || (t + (1 + STRETCH) * h >= horizon && horizon - t <= maxStep);
                if (last) {
                    h = horizon - t;
                    tNew = horizon;
                } else {
                    tNew = t + h;
                    if (h < minStep) {
                        throw new IntegrationException(String.format(Locale.ROOT,
                                "%s: step size h = %.3g fell below minStep = %.3g at t = %.9g"
                                        + " (step %d); the problem may be stiff or singular there",
                                name, h, minStep, t, st.steps + 1));
                    }
                }
            } else {
                // Times from t0 + n h rather than repeated sums, so fixed steps do not drift.
                tNew = t0 + (st.steps + 1) * fixedStep;
                last = tNew >= horizon - 1e-9 * fixedStep;
                if (last) {
                    tNew = horizon;
                }
                h = tNew - t;
            }
            if (!(tNew > t)) {
                throw new IntegrationException(String.format(Locale.ROOT,
                        "%s: step size underflow at t = %.17g (h = %.3g, step %d)", name, t, h,
                        st.steps + 1));
            }

            // ---- stages. The new state and its derivative go into the previous buffers.
            final double[] yCur = st.y;
            final double[] yNew = st.prevY;
            final double[] yDotNew = st.prevYDot;
            k[0] = st.yDot;
            if (fsal) {
                k[s - 1] = yDotNew;
            }
            boolean finite = true;
            for (int i = 1; i < s; i++) {
                final double[] ai = a[i];
                final boolean toNew = fsal && i == s - 1;
                final double[] target = toNew ? yNew : yTmp;
                combine(yCur, h, ai, k, i, target, n);
                if (toNew) {
                    // Do not feed a non-finite state to the vector field.
                    finite = allFinite(target, n);
                    if (!finite) {
                        break;
                    }
                }
                double ti = c[i] == 1.0 ? tNew : t + c[i] * h;
                system.derivative(ti, target, k[i]);
                st.evals++;
            }
            if (!fsal) {
                combine(yCur, h, b, k, s, yNew, n);
                finite = allFinite(yNew, n);
            }

            if (adaptive) {
                double err = finite ? errorNorm(e, k, s, h, yCur, yNew, n, atol, rtol, yTmp) : Double.NaN;
                if (!(err <= 1.0)) {
                    st.rejected++;
                    // A non-finite trial state is a step far too long, not yet a divergence.
                    double factor = Double.isNaN(err) ? MIN_FACTOR
                            : Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -rejectExponent));
                    h *= Math.min(1.0, factor);
                    rejectedLast = true;
                    continue;
                }
                double factor = SAFETY * Math.pow(err, -alpha) * Math.pow(errOld, beta);
                factor = Math.max(MIN_FACTOR, Math.min(rejectedLast ? 1.0 : MAX_FACTOR, factor));
                errOld = Math.max(err, MIN_PREVIOUS_ERROR);
                rejectedLast = false;
                h *= factor;
            }
            // Both paths above computed finiteness of yNew; an adaptive run only gets here finite.
            if (!finite) {
                throw new DivergenceException(st.steps + 1, tNew, firstNonFinite(yNew));
            }
            if (!fsal) {
                system.derivative(tNew, yNew, yDotNew);
                st.evals++;
            }
            st.accept(tNew);

            for (StepObserver o : observers) {
                o.step(st);
            }
            termination = stop.check(st);
            if (termination == null && st.t >= horizon) {
                termination = horizonReached(st);
            }
        }

        if (st.y != y) {
            System.arraycopy(st.y, 0, y, 0, n);
        }
        for (StepObserver o : observers) {
            o.finish(st, termination);
        }
        return new IntegrationResult(termination, st.t, st.steps, st.rejected, st.evals);
    }

    /**
     * Hairer's weighted RMS norm of the local error estimate {@code h sum_j e_j k_j}, each
     * component scaled by {@code atol + rtol max(|y|, |yNew|)}.
     */
    private static double errorNorm(double[] e, double[][] k, int s, double h, double[] y,
                                    double[] yNew, int n, double atol, double rtol, double[] scratch) {
        // the error estimate's stages but the last into scratch (as combine sums them), the last one
        // added in the pass that takes the weighted norm
        sumStages(e, k, s - 1, scratch, n);
        final double el = e[s - 1];
        final double[] kl = k[s - 1];
        double acc = 0.0;
        for (int m = 0; m < n; m++) {
            double sum = scratch[m] + el * kl[m];
            double scale = atol + rtol * Math.max(Math.abs(y[m]), Math.abs(yNew[m]));
            double r = h * sum / scale;
            acc += r * r;
        }
        return Math.sqrt(acc / n);
    }

    /**
     * Hairer's starting step (Hairer, Nørsett &amp; Wanner I, II.4): one explicit Euler probe
     * estimates the second derivative. Uses {@code y1} and {@code f1} as scratch.
     */
    private double startingStep(OdeSystem system, MutableStepState st, double[] y1, double[] f1,
                                double span) {
        final int n = st.y.length;
        final double rtol = settings.rtol();
        final double atol = settings.atol();
        final double[] y0 = st.y;
        final double[] f0 = st.yDot;
        double d0 = 0;
        double d1 = 0;
        for (int m = 0; m < n; m++) {
            double sc = atol + rtol * Math.abs(y0[m]);
            d0 += (y0[m] / sc) * (y0[m] / sc);
            d1 += (f0[m] / sc) * (f0[m] / sc);
        }
        d0 = Math.sqrt(d0 / n);
        d1 = Math.sqrt(d1 / n);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, Math.min(settings.maxStep(), span));
        for (int m = 0; m < n; m++) {
            y1[m] = y0[m] + h0 * f0[m];
        }
        system.derivative(st.t + h0, y1, f1);
        st.evals++;
        double d2 = 0;
        for (int m = 0; m < n; m++) {
            double sc = atol + rtol * Math.abs(y0[m]);
            double r = (f1[m] - f0[m]) / sc;
            d2 += r * r;
        }
        d2 = Math.sqrt(d2 / n) / h0;
        double dmax = Math.max(d1, d2);
        double h1 = dmax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / dmax, 1.0 / (tableau.order() + 1));
        double h = Math.min(100 * h0, h1);
        if (!(h > 0) || Double.isNaN(h)) {
            h = 1e-6;
        }
        return Math.max(h, settings.minStep());
    }

    /**
     * {@code target = y + h sum_{j < stages} coef_j k_j}, the sum in stage order from 0.0 (so every
     * tableau gives the bits it always gave). {@code target} must not be {@code y}.
     */
    private static void combine(double[] y, double h, double[] coef, double[][] k, int stages, double[] target, int n) {
        if (stages == 1) {
            final double c0 = coef[0];
            final double[] k0 = k[0];
            for (int m = 0; m < n; m++) {
                target[m] = y[m] + h * (0.0 + c0 * k0[m]);
            }
            return;
        }
        // two stages per pass over the state (each loop vectorises), the first pass starting from 0.0
        // and the last ending in y + h sum: per entry the very operations, in the same order, of an
        // inner loop over stages. Fewer passes because at tens of units a pass costs more in loop
        // entry and exit than in arithmetic: one stage per pass, Dormand-Prince took 33 passes per
        // step over the 20 free units of the tiny workload, and its cost per right-hand side was
        // up to 1.8 times Euler's; two per pass take 12
        final double c0 = coef[0];
        final double c1 = coef[1];
        final double[] k0 = k[0];
        final double[] k1 = k[1];
        if (stages == 2) {
            for (int m = 0; m < n; m++) {
                target[m] = y[m] + h * ((0.0 + c0 * k0[m]) + c1 * k1[m]);
            }
            return;
        }
        // the last one or two stages are added in the pass that forms y + h sum
        int j = stages - 2 + stages % 2;
        sumStages(coef, k, j, target, n);
        final double ca = coef[j];
        final double[] ka = k[j];
        if (stages - j == 2) {
            final double cb = coef[j + 1];
            final double[] kb = k[j + 1];
            for (int m = 0; m < n; m++) {
                target[m] = y[m] + h * ((target[m] + ca * ka[m]) + cb * kb[m]);
            }
        } else {
            for (int m = 0; m < n; m++) {
                target[m] = y[m] + h * (target[m] + ca * ka[m]);
            }
        }
    }

    /**
     * {@code target[m] = sum_{j < count} coef_j k_j[m]} ({@code count >= 1}), each entry summed in stage
     * order from 0.0, two stages per pass over the state (each loop vectorises).
     */
    private static void sumStages(double[] coef, double[][] k, int count, double[] target, int n) {
        final double c0 = coef[0];
        final double[] k0 = k[0];
        if (count == 1) {
            for (int m = 0; m < n; m++) {
                target[m] = 0.0 + c0 * k0[m];
            }
            return;
        }
        final double c1 = coef[1];
        final double[] k1 = k[1];
        for (int m = 0; m < n; m++) {
            target[m] = (0.0 + c0 * k0[m]) + c1 * k1[m];
        }
        int j = 2;
        for (; j + 1 < count; j += 2) {
            final double ca = coef[j];
            final double cb = coef[j + 1];
            final double[] ka = k[j];
            final double[] kb = k[j + 1];
            for (int m = 0; m < n; m++) {
                target[m] = (target[m] + ca * ka[m]) + cb * kb[m];
            }
        }
        if (j < count) {
            final double ca = coef[j];
            final double[] ka = k[j];
            for (int m = 0; m < n; m++) {
                target[m] += ca * ka[m];
            }
        }
    }

    /**
     * Whether every entry is finite: {@code v * 0.0} is 0 for finite v and NaN otherwise, summed in
     * four independent chains so the check runs at the loads' speed, not one add's latency per entry.
     */
    private static boolean allFinite(double[] v, int n) {
        double p0 = 0.0;
        double p1 = 0.0;
        double p2 = 0.0;
        double p3 = 0.0;
        int m = 0;
        for (; m + 3 < n; m += 4) {
            p0 += v[m] * 0.0;
            p1 += v[m + 1] * 0.0;
            p2 += v[m + 2] * 0.0;
            p3 += v[m + 3] * 0.0;
        }
        for (; m < n; m++) {
            p0 += v[m] * 0.0;
        }
        return p0 + p1 + p2 + p3 == 0.0;
    }

    private static int firstNonFinite(double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    static double checkedHorizon(StopRule stop, double t0) {
        double horizon = stop.horizon();
        if (Double.isNaN(horizon) || horizon < t0) {
            throw new IllegalArgumentException("integration runs forward: the stop rule's horizon "
                    + horizon + " lies before t0 = " + t0);
        }
        return horizon;
    }

    /** The run starts at the horizon: the rule gets the last word, else the horizon ends it. */
    static Termination atHorizon(StopRule stop, StepState st) {
        Termination t = stop.check(st);
        return t != null ? t : horizonReached(st);
    }

    /** The stop rule let the run reach its own horizon without ending it. */
    static Termination horizonReached(StepState st) {
        return new Termination("horizon", false, String.format(Locale.ROOT,
                "reached the stop rule's horizon t = %.9g after %d steps", st.t(), st.steps()));
    }

    @Override
    public String toString() {
        return name + (adaptive ? " (adaptive, rtol " + settings.rtol() + ", atol " + settings.atol() + ")"
                : " (fixed step " + settings.step() + ")");
    }
}
