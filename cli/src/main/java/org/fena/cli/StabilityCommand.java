package org.fena.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.stability.FeedbackFlow;
import org.fena.dynamics.stability.Linearization;
import org.fena.dynamics.stability.Relaxation;
import org.fena.dynamics.stability.Spectrum;
import org.fena.dynamics.stability.StabilityRegion;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.fena.plots.EnergyFigure;
import org.fena.plots.ErrorHeatmapFigure;
import org.fena.plots.SpectrumFigure;
import org.fena.plots.Table;
import org.fena.plots.TimeConstantsFigure;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena stability}: settles one sample, polishes its fixed point by Newton, and reports the
 * spectrum of the flow's Jacobian there, the fixed point's type, time constants, stiffness, the
 * largest stable step of every explicit Runge–Kutta method, the configured step's spectral radius,
 * which layer's tau or precision drives the limiting modes, and the predicted against the measured
 * convergence rate; with the data files and figures.
 */
@Command(name = "stability", mixinStandardHelpOptions = true,
        description = "Fixed point, spectrum, step bounds and convergence rate of a settle; data and figures.",
        footer = {"", "Example:", "  ./fena stability --config examples/stability-feedback.yaml --out runs/stab", "",
                "Writes DIR/stability.json, spectrum.csv, layers.csv, trace.csv, errors.csv, fixed_point.csv,",
                "energy.{png,svg}, energy_log.*, errors.*, spectrum.*, time_constants.*, manifest.json, config.yaml.",
                "Exit status: 0 ok, 2 bad input."})
final class StabilityCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML experiment file.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--sample", defaultValue = "0", paramLabel = "K", description = "Which sample of the batch (default 0).")
    int sample;

    @Option(names = "--step", paramLabel = "H", description = "Step h of the one-step map and the region drawn"
            + " (default: integrator.step, else the configured method's largest stable step).")
    Double step;

    @Override
    public Integer call() throws IOException {
        Experiment exp = Experiment.load(config);
        if (step != null && !(step > 0)) {
            throw new UserError("--step: expected a step size > 0, got " + step);
        }
        try (RunDirectory run = RunDirectory.open(out)) {
            AnalysisRun a = new AnalysisRun(exp, sample, true);
            EnergyWorkspace ws = a.problem.workspace();
            Hierarchy hier = a.problem.hierarchy();
            double[] xs = a.fixedPoint.state();
            Linearization lin = Linearization.at(ws, exp.feedback, xs);
            Spectrum sp = Spectrum.of(lin);
            double[] re = sp.real();
            double[] im = sp.imaginary();
            String method = exp.integrator.name();
            StabilityRegion own = StabilityRegion.forIntegrator(method);

            Map<String, Object> bounds = new LinkedHashMap<>();
            for (String m : StabilityRegion.methods()) {
                bounds.put(m, AnalysisRun.num(StabilityRegion.forIntegrator(m).largestStableStep(re, im, sp.zeroTolerance())));
            }
            double hMaxOwn = own == null ? Double.NaN : own.largestStableStep(re, im, sp.zeroTolerance());
            double h = step != null ? step : !Double.isNaN(a.configuredStep()) ? a.configuredStep() : hMaxOwn;
            double rho = own == null || !(h > 0) || !Double.isFinite(h) ? Double.NaN : own.spectralRadius(re, im, h);
            String verdict = Double.isNaN(rho) ? "no explicit Runge-Kutta region for " + method
                    : rho > 1 + 1e-12 ? "blows up" : rho >= 1 - 1e-12 ? "marginal (does not converge)"
                    : own.oscillates(re, im, h) ? "converges with oscillation" : "converges monotonically";

            // the measured rate: a tight dopri5 relaxation from the same start, distances to x*
            double predicted = sp.predictedRate();
            double measured = Double.NaN;
            if (predicted > 0 && a.fixedPoint.converged()) {
                double tEnd = Math.min(Math.log(1e9) / predicted, 1e7);
                Relaxation fine = Relaxation.run(new FeedbackFlow(ws, exp.feedback),
                        Integrators.create("dopri5", StepSettings.tolerances(1e-10, 1e-13)), a.initial,
                        new StopCriteria(tEnd, 0, 0, 0, 1, 1_000_000), true);
                if (!fine.diverged()) {
                    double[] d = fine.distanceTo(xs);
                    measured = Relaxation.measuredRate(fine.t(), d, 0.5 * tEnd, 1e-12 * d[0]);
                }
            }

            Map<String, Object> js = new LinkedHashMap<>();
            js.put("name", exp.name);
            js.put("sample", sample);
            js.put("feedback", exp.feedback.toString());
            js.put("gradient_flow", exp.feedback.isGradientFlow());
            js.put("free_units", sp.size());
            js.put("relaxation", Map.of("integrator", method, "converged", a.relaxation.converged(),
                    "diverged", a.relaxation.diverged(), "detail", String.valueOf(a.relaxation.stopDetail()),
                    "steps", a.relaxation.size() - 1));
            js.put("fixed_point", Map.of("residual", AnalysisRun.num(a.fixedPoint.residual()),
                    "newton_iterations", a.fixedPoint.iterations(), "converged", a.fixedPoint.converged(),
                    "energy", AnalysisRun.num(ws.energy(xs, null))));
            js.put("type", sp.type().label());
            js.put("complex_spectrum", sp.isComplex());
            js.put("eigenvalues", eigenList(sp));
            js.put("slowest", mode(sp, sp.slowest(), h));
            js.put("fastest", mode(sp, sp.fastest(), h));
            js.put("slowest_time_constant", AnalysisRun.num(sp.timeConstant(sp.slowest())));
            js.put("fastest_time_constant", AnalysisRun.num(sp.timeConstant(sp.fastest())));
            js.put("stiffness_ratio", AnalysisRun.num(sp.stiffnessRatio()));
            js.put("largest_stable_step", bounds);
            Map<String, Object> stepInfo = new LinkedHashMap<>();
            stepInfo.put("method", method);
            stepInfo.put("step", AnalysisRun.num(h));
            stepInfo.put("largest_stable_step", AnalysisRun.num(hMaxOwn));
            stepInfo.put("spectral_radius", AnalysisRun.num(rho));
            stepInfo.put("prediction", verdict);
            js.put("integrator", stepInfo);
            // a LinkedHashMap, not Map.of: an unmeasurable rate (a start already at x*) is written as null
            Map<String, Object> rate = new LinkedHashMap<>();
            rate.put("predicted", AnalysisRun.num(predicted));
            rate.put("measured", AnalysisRun.num(measured));
            rate.put("relative_difference", AnalysisRun.num(Math.abs(measured - predicted) / Math.abs(predicted)));
            js.put("rate", rate);
            rate.put("how", "predicted = -max Re(lambda); measured = -slope of log|x(t) - x*| over the second half"
                    + " (t >= ln(1e9)/(2 rate)) of a dopri5 (rtol 1e-10) relaxation from the same start");
            AnalysisRun.json().writeValue(run.file("stability.json").toFile(), js);

            Table spectrum = new Table(spectrumHeader(hier.layers()));
            for (int k = 0; k < sp.size(); k++) {
                double[] m = sp.layerMass(k);
                double[] row = new double[5 + hier.layers()];
                row[0] = k;
                row[1] = re[k];
                row[2] = im[k];
                row[3] = sp.timeConstant(k);
                row[4] = sp.dominantLayer(k);
                for (int l = 0; l < hier.layers(); l++) {
                    row[5 + l] = m == null ? Double.NaN : m[l];
                }
                spectrum.add(row);
            }
            spectrum.write(run.file("spectrum.csv"));
            double[][] sens = {sp.tauSensitivity(sp.slowest()), sp.precisionSensitivity(sp.slowest()),
                sp.tauSensitivity(sp.fastest()), sp.precisionSensitivity(sp.fastest())};
            Table layers = new Table("layer", "tau", "free", "dre_slowest_dlogtau", "dre_slowest_dlogpi",
                    "dre_fastest_dlogtau", "dre_fastest_dlogpi");
            for (int l = 0; l < hier.layers(); l++) {
                layers.add(l, hier.tau(l), ws.isClamped(l) ? 0 : 1, sens[0][l], sens[1][l], sens[2][l], sens[3][l]);
            }
            layers.write(run.file("layers.csv"));
            Table fp = new Table("layer", "index", "value");
            for (int l = 0; l < hier.layers(); l++) {
                double[] v = new double[hier.dim(l)];
                ws.layerState(xs, l, v);
                for (int i = 0; i < v.length; i++) {
                    fp.add(l, i, v[i]);
                }
            }
            fp.write(run.file("fixed_point.csv"));
            Table trace = traceTable(a.relaxation, hier.layers());
            trace.write(run.file("trace.csv"));
            Table errors = errorsTable(a.relaxation, ws, hier, 120);
            errors.write(run.file("errors.csv"));

            String title = exp.name + " (sample " + sample + ")";
            EnergyFigure.render(trace, false, title + ": energy", run.file("energy"));
            EnergyFigure.render(trace, true, title + ": energy", run.file("energy_log"));
            ErrorHeatmapFigure.render(errors, title + ": prediction errors", run.file("errors"));
            SpectrumFigure.render(spectrum, own == null ? null : own.method(), h, title + ": spectrum, " + method
                    + " region", run.file("spectrum"));
            TimeConstantsFigure.render(spectrum, layers, title + ": time constants", run.file("time_constants"));
            a.writeManifestAndConfig(run, "stability");
            run.commit();
            java.io.PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s: %s, |g(x*)| = %.2g; slowest Re(lambda) = %.4g (tau = %.4g), fastest %.4g,"
                    + " stiffness %.3g%n", exp.name, sp.type().label(), a.fixedPoint.residual(), re[sp.slowest()],
                    sp.timeConstant(sp.slowest()), re[sp.fastest()], sp.stiffnessRatio());
            o.printf(Locale.ROOT, "%s: largest stable step %.4g; at h = %.4g the one-step map has rho = %.4g: %s%n",
                    method, hMaxOwn, h, rho, verdict);
            o.printf(Locale.ROOT, "rate: predicted %.4g, measured %.4g%n", predicted, measured);
            o.println("wrote " + run.target());
            o.flush();
            return Main.OK;
        }
    }

    private static List<String> spectrumHeader(int layers) {
        List<String> hd = new ArrayList<>(List.of("k", "re", "im", "time_constant", "dominant_layer"));
        for (int l = 0; l < layers; l++) {
            hd.add("mass_l" + l);
        }
        return hd;
    }

    private static List<Object> eigenList(Spectrum sp) {
        List<Object> out = new ArrayList<>();
        for (int k = 0; k < sp.size(); k++) {
            out.add(List.of(sp.real(k), sp.imaginary(k)));
        }
        return out;
    }

    private static Map<String, Object> mode(Spectrum sp, int k, double h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("re", sp.real(k));
        m.put("im", sp.imaginary(k));
        m.put("time_constant", AnalysisRun.num(sp.timeConstant(k)));
        double[] mass = sp.layerMass(k);
        m.put("layer_mass", mass == null ? null : toList(mass));
        m.put("dominant_layer", sp.dominantLayer(k));
        double[] dt = sp.tauSensitivity(k);
        double[] dp = sp.precisionSensitivity(k);
        m.put("dre_dlogtau", toList(dt));
        m.put("dre_dlogpi", toList(dp));
        m.put("driving_tau_layer", Spectrum.argMaxAbs(dt));
        m.put("driving_precision_layer", Spectrum.argMaxAbs(dp));
        return m;
    }

    private static List<Object> toList(double[] v) {
        List<Object> out = new ArrayList<>();
        for (double x : v) {
            out.add(AnalysisRun.num(x));
        }
        return out;
    }

    static Table traceTable(Relaxation r, int layers) {
        List<String> hd = new ArrayList<>(List.of("t", "energy", "grad_norm"));
        for (int l = 0; l < layers; l++) {
            hd.add("energy_l" + l);
        }
        Table t = new Table(hd);
        for (int k = 0; k < r.size(); k++) {
            double[] row = new double[3 + layers];
            row[0] = r.t()[k];
            row[1] = r.energy()[k];
            row[2] = r.gradNorm()[k];
            System.arraycopy(r.layerEnergy()[k], 0, row, 3, layers);
            t.add(row);
        }
        return t;
    }

    /** eps of every predicted unit at {@code m} evenly spaced times, states interpolated linearly between steps. */
    static Table errorsTable(Relaxation r, EnergyWorkspace ws, Hierarchy h, int m) {
        List<String> hd = new ArrayList<>(List.of("t"));
        for (int l = 0; l < h.layers(); l++) {
            if (l < h.top() || h.hasPrior()) {
                for (int i = 0; i < h.dim(l); i++) {
                    hd.add("eps_l" + l + "_u" + i);
                }
            }
        }
        Table t = new Table(hd);
        double[] ts = r.t();
        double t1 = ts[ts.length - 1];
        int n = ts.length == 1 ? 1 : m;
        double[] x = new double[ws.freeDimension()];
        double[] g = new double[ws.freeDimension()];
        int seg = 0;
        for (int q = 0; q < n; q++) {
            double time = n == 1 ? 0 : t1 * q / (n - 1);
            while (seg + 1 < ts.length - 1 && ts[seg + 1] < time) {
                seg++;
            }
            int b = Math.min(seg + 1, ts.length - 1);
            double w = ts[b] == ts[seg] ? 0 : (time - ts[seg]) / (ts[b] - ts[seg]);
            for (int i = 0; i < x.length; i++) {
                x[i] = (1 - w) * r.states()[seg][i] + w * r.states()[b][i];
            }
            ws.gradient(x, g, null);
            double[] row = new double[hd.size()];
            row[0] = time;
            int c = 1;
            for (int l = 0; l < h.layers(); l++) {
                double[] e = ws.errors(l);
                if (e != null) {
                    for (int i = 0; i < h.dim(l); i++) {
                        row[c++] = e[i];
                    }
                }
            }
            t.add(row);
        }
        return t;
    }
}
