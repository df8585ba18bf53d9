package org.fena.dynamics.jobs;

/**
 * A finished job: one row per task in index order, and where and how it ran.
 *
 * @param rows        {@code rows[i]} is task {@code i}'s row, whatever ran it and when
 * @param taskSeconds each task's own compute time (measurement only: not part of the result's bits)
 * @param engine      {@code local} or {@code spark}
 * @param master      where it ran: {@code local[N threads]} or the Spark master URL
 * @param partitions  how the tasks were cut (threads' work queue for the local engine: 1)
 * @param wallSeconds wall time of the job, start of the first task to the last row collected
 */
public record JobResult(double[][] rows, double[] taskSeconds, String engine, String master, int partitions,
        double wallSeconds) {

    /** Tasks per second of wall time. */
    public double tasksPerSecond() {
        return rows.length / wallSeconds;
    }

    /** Sum of the tasks' own compute times, in seconds. */
    public double taskSecondsTotal() {
        double s = 0;
        for (double t : taskSeconds) {
            s += t;
        }
        return s;
    }
}
