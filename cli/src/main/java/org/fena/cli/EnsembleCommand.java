package org.fena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fena.dynamics.jobs.Engine;
import org.fena.dynamics.jobs.Job;
import org.fena.dynamics.jobs.JobResult;
import org.fena.dynamics.jobs.LangevinEnsemble;
import org.fena.plots.AnnealingFigures;
import org.fena.plots.Figures;
import org.fena.plots.JobFigures;
import org.fena.plots.Table;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fena ensemble}: N seeded Langevin settles of one experiment as independent tasks on the
 * local engine or Spark: each run's final energy and whether and when it first reached the target
 * region; escape-time histogram and survival curve per temperature.
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = "N seeded Langevin settles of one config (local threads or Spark): final energies, first arrival"
                + " at a target region, escape-time histogram and survival curve.",
        footer = {"", "Example:",
                "  ./fena ensemble --config examples/ensemble-escape.yaml --out runs/escape",
                "  spark-submit --class org.fena.distributed.Main distributed/target/fena-distributed.jar \\",
                "      ensemble --engine spark --config examples/ensemble-escape.yaml --out runs/escape",
                "", "The experiment needs a noise: section and may have an ensemble: section (runs, seed, sample,",
                "temperatures, start, target, stop_on_hit; see README). Writes DIR/ensemble.csv (one row per run;",
                "ensemble.parquet too on Spark), ensemble.json, escape_times, survival and final_energies figures,",
                "manifest.json, config.yaml. Exit status: 0 ok, 1 a run failed every retry, 2 bad input."})
final class EnsembleCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML experiment with a noise: section.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--runs", paramLabel = "N", description = "Runs per temperature (default: ensemble.runs, else 100).")
    Integer runs;

    @Option(names = "--seed", paramLabel = "S", description = "The job's seed (default: ensemble.seed, else noise.seed).")
    Long seed;

    @Mixin
    EngineFlags engineFlags;

    @Override
    public Integer call() throws IOException {
        String started = EngineFlags.now();
        Experiment exp = Experiment.load(config);
        EnsembleSettings st = EnsembleSettings.read(exp);
        int n = runs != null ? runs : st.runs();
        if (n < 1) {
            throw new UserError("--runs: expected a whole number >= 1, got " + n);
        }
        long jobSeed = seed != null ? seed : st.seed();
        LangevinEnsemble ens = st.ensemble(exp, n);
        EnsembleTask task = new EnsembleTask(exp, n, jobSeed);
        Job job = new Job(exp.name, LangevinEnsemble.columns(), ens.size(), jobSeed, task);
        PrintWriter o = spec.commandLine().getOut();
        try (RunDirectory run = RunDirectory.open(out); Engine engine = engineFlags.open()) {
            JobResult r = EngineFlags.run(engine, job, spec.commandLine().getErr());
            List<String> cols = new ArrayList<>(List.of("task"));
            cols.addAll(job.columns());
            Table t = new Table(cols);
            for (int i = 0; i < r.rows().length; i++) {
                double[] row = new double[cols.size()];
                row[0] = i;
                System.arraycopy(r.rows()[i], 0, row, 1, r.rows()[i].length);
                t.add(row);
            }
            t.write(run.file("ensemble.csv"));
            double[] temps = st.temperatures();
            int groups = temps == null ? 1 : temps.length;
            Map<String, double[]> hitTimes = new LinkedHashMap<>();
            Map<String, double[]> finals = new LinkedHashMap<>();
            List<Map<String, Object>> summary = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                String label = temps == null ? st.noise().schedule().label() : "T = " + Table.format(temps[g]);
                double[] ht = new double[n];
                double[] ef = new double[n];
                int hits = 0;
                int diverged = 0;
                for (int k = 0; k < n; k++) {
                    double[] row = r.rows()[g * n + k];
                    diverged += row[2] > 0 ? 1 : 0;
                    hits += row[3] > 0 ? 1 : 0;
                    ht[k] = row[4];
                    ef[k] = row[6];
                }
                hitTimes.put(label, ht);
                finals.put(label, ef);
                Map<String, Object> s = new LinkedHashMap<>();
                if (temps != null) {
                    s.put("temperature", temps[g]);
                } else {
                    s.put("schedule", label);
                }
                s.put("runs", n);
                s.put("diverged", diverged);
                s.put("hits", hits);
                double p = hits / (double) n;
                s.put("hit_fraction", p);
                s.put("hit_fraction_se", Math.sqrt(p * (1 - p) / n));
                double[] finite = Arrays.stream(ht).filter(Double::isFinite).sorted().toArray();
                s.put("hit_time_mean", finite.length == 0 ? null : Arrays.stream(finite).sum() / finite.length);
                s.put("hit_time_median", finite.length == 0 ? null : finite[finite.length / 2]);
                double[] fe = Arrays.stream(ef).filter(Double::isFinite).toArray();
                s.put("energy_final_mean", fe.length == 0 ? null : sumInOrder(fe) / fe.length);
                summary.add(s);
            }
            Map<String, Object> js = new LinkedHashMap<>();
            js.put("name", exp.name);
            js.put("runs_per_group", n);
            js.put("tasks", job.tasks());
            js.put("seed", jobSeed);
            js.put("t_end", st.noise().tEnd());
            js.put("integrator", st.noise().integrator().name());
            js.put("step", st.noise().integrator().step());
            js.put("stop_on_hit", st.stopOnHit());
            js.put("groups", summary);
            AnalysisRun.json().writeValue(run.file("ensemble.json").toFile(), js);
            if (st.target() != null) {
                Figures.save(JobFigures.escapeTimes(exp.name + ": first arrival at the target", hitTimes, 30),
                        run.file("escape_times"));
                Figures.save(JobFigures.survival(exp.name + ": runs not yet at the target", hitTimes, st.noise().tEnd()),
                        run.file("survival"));
            }
            Figures.save(AnnealingFigures.finalEnergyHistograms(exp.name + ": final energies", finals, 30),
                    run.file("final_energies"));
            Map<String, Object> m = EngineFlags.manifest(exp, "ensemble", started, engine, r, job);
            List<String> extra = EngineFlags.finish(run, engine, job, r, "ensemble", m, exp);
            run.commit();
            o.printf(Locale.ROOT, "%s: %d runs on %s (%s), %.3g tasks/s%n", exp.name, job.tasks(), engine.name(),
                    engine.master(), r.tasksPerSecond());
            for (Map<String, Object> s : summary) {
                o.printf(Locale.ROOT, "  %s: %d/%d reached the target (%.1f%% +- %.1f), %d diverged, mean final energy %s%n",
                        s.containsKey("temperature") ? "T = " + s.get("temperature") : s.get("schedule"),
                        (Integer) s.get("hits"), n, 100 * (Double) s.get("hit_fraction"),
                        100 * (Double) s.get("hit_fraction_se"), (Integer) s.get("diverged"), s.get("energy_final_mean"));
            }
            if (!extra.isEmpty()) {
                o.println("also wrote " + String.join(", ", extra));
            }
            o.println("wrote " + run.target());
            o.flush();
            return Main.OK;
        }
    }

    private static double sumInOrder(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x; // index order: the same sum whatever engine produced the rows
        }
        return s;
    }
}
