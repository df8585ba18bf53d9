package org.fena.dynamics.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a {@link Job}'s tasks and returns their rows in index order. Engines differ in where tasks
 * run, never in what they return: for the same job every engine, thread count and partitioning
 * gives the same bits.
 */
public interface Engine extends AutoCloseable {

    /** {@code local} or {@code spark}. */
    String name();

    /** Where tasks run, as the manifest records it (e.g. {@code local[2]}, {@code spark://host:7077}). */
    String master();

    /**
     * Runs every task, telling {@code progress} as they finish.
     *
     * @throws TaskFailedException when a task fails (after the retries the engine allows)
     */
    JobResult run(Job job, ProgressListener progress);

    /**
     * Writes the result in the engine's own formats besides the CSV every engine writes (Spark:
     * Parquet) into {@code dir} under {@code name}; returns the names written (none by default).
     */
    default List<String> writeExtra(Job job, JobResult result, Path dir, String name) throws IOException {
        return List.of();
    }

    /** Releases threads or the Spark session this engine started. */
    @Override
    void close();
}
