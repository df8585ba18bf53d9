package org.fena.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.Settler;
import org.fena.dynamics.langevin.LangevinResult;
import org.fena.dynamics.langevin.LangevinSettler;
import org.fena.dynamics.langevin.LangevinTrace;
import org.fena.hierarchy.Hierarchy;
import org.fena.plots.AnnealingFigures;
import org.fena.plots.Figures;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena anneal}: Langevin settling {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t)/tau_l) dW_l}
 * of the hierarchy an experiment file describes, with the schedule and stochastic integrator of its
 * {@code noise:} section; by default also noise-free from the same initial states, for comparison.
 */
@Command(name = "anneal", mixinStandardHelpOptions = true,
        description = "Annealed (Langevin) settling with a temperature schedule T(t); writes summary, trace with T,"
                + " final state, figures and manifest.",
        footer = {"", "Example:", "  ./fena anneal --config examples/anneal.yaml --out runs/anneal", "",
                "The experiment needs a noise: section, e.g.",
                "  noise: {schedule: {kind: exponential, t0: 1.0, rate: 0.1}, integrator: euler-maruyama,",
                "          step: 0.01, seed: 3, t_end: 60}",
                "Writes DIR/summary.json, trace.csv (t,temperature,energy,grad_norm,energy_l...),",
                "final_state.csv, anneal_energy.png/.svg, schedule.png/.svg, manifest.json and config.yaml.",
                "Exit status: 0 ok, 2 bad input, 3 diverged."})
final class AnnealCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML experiment file with a noise: section.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Experiment exp = Experiment.load(config);
        NoiseSettings noise = exp.noise;
        if (noise == null) {
            throw new UserError(config + ": noise: expected a 'noise:' section, e.g. noise: {schedule: {kind:"
                    + " exponential, t0: 1.0, rate: 0.1}, integrator: euler-maruyama, step: 0.01, seed: 3}");
        }
        String started = Instant.now().toString();
        Settler base = exp.settler().build();
        LangevinResult r = settle(base, noise, noise.schedule(), exp.recordEvery);
        LangevinResult plain = noise.compare() ? settle(base, noise, NoiseSchedule.noiseFree(), exp.recordEvery) : null;
        try (RunDirectory run = RunDirectory.open(out)) {
            Hierarchy h = exp.hierarchy;
            writeTrace(run.file("trace.csv"), r.trace());
            SettleCommand.writeFinalState(run.file("final_state.csv"), h, r::finalState);
            LangevinTrace tr = r.trace();
            Figures.save(AnnealingFigures.energyAndTemperature(exp.name + ": annealed settling", tr.times(),
                    tr.energies(), tr.temperatures()), run.file("anneal_energy"));
            Figures.save(AnnealingFigures.schedules("temperature schedule", Map.of(noise.schedule().kind(),
                    noise.schedule()), noise.tEnd(), 400), run.file("schedule"));
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), summary(r, plain, noise));
            json.writeValue(run.file("manifest.json").toFile(), manifest(exp, noise, started, r));
            Files.write(run.file("config.yaml"), exp.bytes);
            run.commit();
            java.io.PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "%s: %s, %s, %d steps to t = %.6g: energy %.6g -> %.6g%s%n", exp.name,
                    r.diverged() ? "DIVERGED" : "annealed", r.schedule(), r.steps(), r.tFinal(), r.energyInitial(),
                    r.energyFinal(), plain == null ? "" : String.format(Locale.ROOT,
                            " (noise-free from the same start: %.6g)", plain.energyFinal()));
            stdout.println("wrote " + run.target());
            stdout.flush();
            if (r.diverged()) {
                spec.commandLine().getErr().println("fena: the run diverged: " + r.stopDetail());
                return Main.DIVERGED;
            }
            return Main.OK;
        }
    }

    private static LangevinResult settle(Settler base, NoiseSettings n, NoiseSchedule schedule, int every) {
        return LangevinSettler.builder(base).schedule(schedule).integrator(n.integrator()).tEnd(n.tEnd())
                .seed(n.seed()).recordEvery(every).samplesPerChunk(n.samplesPerChunk()).threads(n.threads())
                .build().run();
    }

    private static void writeTrace(Path file, LangevinTrace t) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder("t,temperature,energy,grad_norm");
            for (int l = 0; l < t.layers(); l++) {
                line.append(",energy_l").append(l);
            }
            w.write(line.append('\n').toString());
            for (int i = 0; i < t.size(); i++) {
                line.setLength(0);
                line.append(t.t(i)).append(',').append(t.temperature(i)).append(',').append(t.energy(i)).append(',')
                        .append(t.gradNorm(i));
                for (int l = 0; l < t.layers(); l++) {
                    line.append(',').append(t.layerEnergy(i, l));
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    private static Map<String, Object> summary(LangevinResult r, LangevinResult plain, NoiseSettings n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("diverged", r.diverged());
        m.put("stop_rule", r.stopRule());
        m.put("stop_detail", r.stopDetail());
        m.put("schedule", Map.of("kind", n.schedule().kind(), "parameters", n.schedule().parameters()));
        m.put("schedule_label", r.schedule());
        m.put("integrator", r.integrator());
        m.put("step", r.step());
        m.put("seed", r.seed());
        m.put("steps", r.steps());
        m.put("rhs_evaluations", r.rhsEvaluations());
        m.put("t_final", SettleCommand.num(r.tFinal()));
        m.put("temperature_final", SettleCommand.num(r.temperatureFinal()));
        m.put("batch", r.batch());
        m.put("energy_initial", SettleCommand.num(r.energyInitial()));
        m.put("energy_final", SettleCommand.num(r.energyFinal()));
        m.put("energy_final_per_sample", SettleCommand.nums(r.energyFinalPerSample()));
        m.put("energy_per_layer_initial", SettleCommand.nums(r.energyPerLayerInitial()));
        m.put("energy_per_layer_final", SettleCommand.nums(r.energyPerLayerFinal()));
        m.put("grad_norm_initial", SettleCommand.num(r.gradNormInitial()));
        m.put("grad_norm_final", SettleCommand.num(r.gradNormFinal()));
        if (plain != null) {
            m.put("noise_free_energy_final", SettleCommand.num(plain.energyFinal()));
            m.put("noise_free_energy_final_per_sample", SettleCommand.nums(plain.energyFinalPerSample()));
            m.put("noise_free_grad_norm_final", SettleCommand.num(plain.gradNormFinal()));
        }
        m.put("wall_seconds", r.wallSeconds());
        return m;
    }

    private static Map<String, Object> manifest(Experiment exp, NoiseSettings n, String started, LangevinResult r) {
        Map<String, Object> m = RunInfo.manifest("anneal");
        m.put("seed", exp.seed);
        m.put("noise_seed", n.seed());
        m.put("threads", n.threads());
        m.put("samples_per_chunk", n.samplesPerChunk());
        m.put("config_file", exp.file.toString());
        m.put("config_sha256", RunInfo.sha256(exp.bytes));
        m.put("inputs", exp.inputs());
        m.put("integrator", r.integrator());
        m.put("started_at", started);
        m.put("wall_seconds", r.wallSeconds());
        return m;
    }
}
