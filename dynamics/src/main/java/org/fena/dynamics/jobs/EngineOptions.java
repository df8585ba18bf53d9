package org.fena.dynamics.jobs;

/**
 * How to run a job.
 *
 * @param engine     {@code local} (a thread pool, no Spark) or {@code spark}
 * @param master     the Spark master ({@code local[N]}, {@code spark://host:7077}, ...); null: what
 *                   {@code spark-submit} provides, else {@code local[*]}; unused by the local engine
 * @param partitions how many pieces the tasks are cut into on Spark (0: the engine chooses)
 * @param threads    threads of the local engine (0: every core)
 */
public record EngineOptions(String engine, String master, int partitions, int threads) {

    /** Checks the numbers. */
    public EngineOptions {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0 (0: chosen by the engine), got " + partitions);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: every core), got " + threads);
        }
    }

    /** The local engine with {@code threads} threads (0: every core). */
    public static EngineOptions local(int threads) {
        return new EngineOptions("local", null, 0, threads);
    }
}
