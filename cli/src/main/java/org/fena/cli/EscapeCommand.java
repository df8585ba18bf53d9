package org.fena.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.langevin.EscapeExperiment;
import org.fena.dynamics.langevin.GaussianWells;
import org.fena.plots.AnnealingFigures;
import org.fena.plots.Figures;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fena escape}: experiment 1 of the README — seeded Langevin runs on the three-well landscape
 * from the same uniform starts under every schedule, counting the runs that end in the global minimum.
 */
@Command(name = "escape", mixinStandardHelpOptions = true,
        description = "Escape from energy traps: the fraction of seeded runs reaching the global minimum of the"
                + " three-well landscape, per temperature schedule (README, experiment 1).",
        footer = {"", "Example (the README table):", "  ./fena escape --runs 1000 --out runs/escape", "",
                "Writes DIR/summary.json (fractions, basin counts, mean final energies), final_energies.csv,",
                "escape_final_energies.png/.svg, escape_schedules.png/.svg, escape_energy.png/.svg, manifest.json."})
final class EscapeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    java.nio.file.Path out;

    @Option(names = "--runs", defaultValue = "1000", description = "Runs per schedule (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", defaultValue = "2", description = "Seed of the per-run noise streams (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start-seed", defaultValue = "1", description = "Seed of the uniform starts on [-4, 4] (default ${DEFAULT-VALUE}).")
    long startSeed;

    @Option(names = "--t-anneal", defaultValue = "400", description = "Length of the annealing phase; 20 noise-free time units follow (default ${DEFAULT-VALUE}).")
    double tAnneal;

    @Option(names = "--step", defaultValue = "0.01", description = "Fixed step (default ${DEFAULT-VALUE}).")
    double step;

    @Option(names = "--integrator", defaultValue = "euler-maruyama", description = "euler-maruyama or stochastic-heun (default ${DEFAULT-VALUE}).")
    String integrator;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads; results do not depend on it (default ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || threads < 1 || !(tAnneal > 0) || !(step > 0)) {
            throw new UserError("escape: --runs and --threads must be >= 1, --t-anneal and --step > 0");
        }
        String started = Instant.now().toString();
        GaussianWells wells = GaussianWells.threeWells();
        List<double[]> minima = wells.minima();
        double[][] starts = EscapeExperiment.uniformStarts(startSeed, runs, new double[] {-4}, new double[] {4});
        Map<String, NoiseSchedule> schedules = EscapeExperiment.threeWellSchedules(tAnneal);
        EscapeExperiment experiment;
        try {
            experiment = new EscapeExperiment(() -> wells, minima, starts, schedules, integrator, step, tAnneal + 20,
                    seed, threads, Math.max(1, (int) Math.round(1.0 / step)));
        } catch (IllegalArgumentException e) {
            throw new UserError("escape: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        List<EscapeExperiment.Outcome> outcomes = experiment.run();
        double wall = (System.nanoTime() - t0) * 1e-9;
        try (RunDirectory run = RunDirectory.open(out)) {
            try (BufferedWriter w = Files.newBufferedWriter(run.file("final_energies.csv"), StandardCharsets.UTF_8)) {
                w.write("schedule,run,start,minimum,energy\n");
                for (EscapeExperiment.Outcome o : outcomes) {
                    for (int i = 0; i < o.runs(); i++) {
                        w.write(o.name() + "," + i + "," + starts[i][0] + "," + o.basins()[i] + ","
                                + o.finalEnergies()[i] + "\n");
                    }
                }
            }
            Map<String, double[]> finals = new LinkedHashMap<>();
            EscapeExperiment.Outcome best = outcomes.get(0);
            for (EscapeExperiment.Outcome o : outcomes) {
                finals.put(o.name(), o.finalEnergies());
                best = o.fractionGlobal() > best.fractionGlobal() ? o : best;
            }
            Figures.save(AnnealingFigures.finalEnergyHistograms("final energies, " + runs + " runs per schedule",
                    finals, 40), run.file("escape_final_energies"));
            Figures.save(AnnealingFigures.schedules("temperature schedules", schedules, tAnneal + 20, 600),
                    run.file("escape_schedules"));
            Figures.save(AnnealingFigures.energyAndTemperature("mean energy over runs, " + best.name(), best.times(),
                    best.meanEnergy(), best.temperatures()), run.file("escape_energy"));
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(run.file("summary.json").toFile(), summary(wells, minima, outcomes));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fena_version", RunInfo.version());
            m.put("command", "escape");
            m.put("java_version", RunInfo.java());
            m.put("cpus", Runtime.getRuntime().availableProcessors());
            m.put("seed", seed);
            m.put("start_seed", startSeed);
            m.put("runs", runs);
            m.put("t_anneal", tAnneal);
            m.put("step", step);
            m.put("integrator", integrator);
            m.put("threads", threads);
            m.put("started_at", started);
            m.put("wall_seconds", wall);
            json.writeValue(run.file("manifest.json").toFile(), m);
            run.commit();
            java.io.PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "| schedule | reached global minimum | runs in minima (global, middle, left) | mean final energy |%n");
            stdout.printf(Locale.ROOT, "|---|---|---|---|%n");
            for (EscapeExperiment.Outcome o : outcomes) {
                stdout.printf(Locale.ROOT, "| %s `%s` | %.1f%% ± %.1f | %s | %.3f |%n", o.name(), o.schedule().label(),
                        100 * o.fractionGlobal(), 100 * o.standardError(), java.util.Arrays.toString(o.basinCounts()),
                        mean(o.finalEnergies()));
            }
            stdout.println("wrote " + run.target());
            stdout.flush();
            return Main.OK;
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static Map<String, Object> summary(GaussianWells wells, List<double[]> minima,
                                               List<EscapeExperiment.Outcome> outcomes) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> mins = new ArrayList<>();
        for (double[] x : minima) {
            mins.add(Map.of("x", x[0], "energy", wells.energy(x, null)));
        }
        m.put("landscape", "three Gaussian wells: k = 0.1; centres -2.5, 0, 2.2; depths 1, 1, 2; widths 0.8, 0.8, 0.45");
        m.put("minima", mins);
        List<Object> rows = new ArrayList<>();
        for (EscapeExperiment.Outcome o : outcomes) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", o.name());
            r.put("schedule", o.schedule().label());
            r.put("runs", o.runs());
            r.put("fraction_global", o.fractionGlobal());
            r.put("standard_error", o.standardError());
            r.put("minimum_counts", o.basinCounts());
            r.put("diverged", o.diverged());
            r.put("mean_final_energy", mean(o.finalEnergies()));
            r.put("wall_seconds", o.wallSeconds());
            rows.add(r);
        }
        m.put("schedules", rows);
        return m;
    }
}
