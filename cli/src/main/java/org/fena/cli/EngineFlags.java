package org.fena.cli;

import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.fena.dynamics.jobs.Engine;
import org.fena.dynamics.jobs.EngineOptions;
import org.fena.dynamics.jobs.Engines;
import org.fena.dynamics.jobs.Job;
import org.fena.dynamics.jobs.JobResult;
import org.fena.dynamics.jobs.ProgressReporter;
import org.fena.dynamics.jobs.TaskFailedException;

import picocli.CommandLine.Option;

/**
 * The options of commands that run a study as a job of independent tasks ({@code sweep},
 * {@code ensemble}): which engine, which Spark master, how many partitions or threads; and what
 * every such command does with them — open the engine, run with progress lines, record where it ran.
 */
final class EngineFlags {

    @Option(names = "--engine", paramLabel = "NAME",
            description = "local (a thread pool, default) or spark (needs spark-submit; see docs/cluster.md).")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], spark://host:7077, yarn, k8s://...; default: what spark-submit gives, else local[*].")
    String master;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Spark partitions (default: chosen from the cluster's cores). Never changes a result.")
    int partitions;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Threads of the local engine (default: every core). Never changes a result.")
    int threads;

    /** Whether the user asked for an engine at all (switches {@code sweep} to its grid form). */
    boolean given() {
        return engine != null || master != null;
    }

    /** The engine asked for; bad names and unreachable masters are {@link UserError}s. */
    Engine open() {
        String name = engine == null ? (master != null ? "spark" : "local") : engine;
        if (name.equalsIgnoreCase("local") && master != null) {
            throw new UserError("--master: the local engine takes no master (got " + master + "); use --engine spark");
        }
        try {
            return Engines.open(new EngineOptions(name, master, partitions, threads));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Runs {@code job} on {@code engine} with progress lines on {@code err}; a task that failed every retry is a {@link JobFailed}. */
    static JobResult run(Engine engine, Job job, PrintWriter err) {
        try {
            return engine.run(job, new ProgressReporter(job.name(), err, 2.0));
        } catch (TaskFailedException e) {
            throw new JobFailed(e.getMessage(), e);
        }
    }

    /** The manifest of a job run, with where and how it ran. */
    static Map<String, Object> manifest(Experiment exp, String command, String started, Engine engine, JobResult r,
            Job job) {
        Map<String, Object> m = RunInfo.manifest(command);
        m.put("seed", exp.seed);
        m.put("job_seed", job.seed());
        m.put("engine", engine.name());
        m.put("master", engine.master());
        m.put("partitions", r.partitions());
        m.put("tasks", job.tasks());
        m.put("config_file", exp.file.toString());
        m.put("config_sha256", RunInfo.sha256(exp.bytes));
        m.put("inputs", exp.inputs());
        m.put("started_at", started);
        m.put("wall_seconds", r.wallSeconds());
        m.put("tasks_per_second", r.tasksPerSecond());
        m.put("task_seconds_total", r.taskSecondsTotal());
        return m;
    }

    /** Writes the engine's own formats (Parquet on Spark) and the manifest and config into {@code run}. */
    static List<String> finish(RunDirectory run, Engine engine, Job job, JobResult r, String table,
            Map<String, Object> manifest, Experiment exp) throws IOException {
        List<String> extra = engine.writeExtra(job, r, run.file(".").normalize(), table);
        manifest.put("extra_outputs", extra);
        AnalysisRun.json().writeValue(run.file("manifest.json").toFile(), manifest);
        Files.write(run.file("config.yaml"), exp.bytes);
        return extra;
    }

    /** Now, for manifests. */
    static String now() {
        return Instant.now().toString();
    }

    /** A job that failed: one message naming the task, exit status 1 (not the user's input). */
    static final class JobFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JobFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
