package org.fena.dynamics.jobs;

import java.util.List;

/**
 * A list of independent tasks {@code 0..tasks-1}, each computing one row of {@code columns}.
 *
 * @param name     the study's name, for progress lines and messages
 * @param columns  the columns of every task's row
 * @param tasks    how many tasks ({@code >= 1})
 * @param seed     the job's seed; task {@code i} gets {@link TaskSeeds#seed(long, long) seed(seed, i)}
 * @param function what a task computes
 */
public record Job(String name, List<String> columns, int tasks, long seed, TaskFunction function) {

    /** Checks the job is well formed. */
    public Job {
        columns = List.copyOf(columns);
        if (tasks < 1) {
            throw new IllegalArgumentException("a job needs at least one task, got " + tasks);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a job's rows need at least one column");
        }
    }

    /**
     * Runs task {@code index} as every engine does: the seed from the job's, a row of the right
     * width, and any failure wrapped with the task's index and parameters.
     *
     * @throws TaskFailedException when the function throws or returns a row of the wrong width
     */
    public double[] runTask(int index) {
        return runTask(function, columns.size(), seed, index);
    }

    /** {@link #runTask(int)} for a function shipped without its job (a cluster worker's view). */
    public static double[] runTask(TaskFunction function, int width, long jobSeed, int index) {
        double[] row;
        try {
            row = function.run(index, TaskSeeds.seed(jobSeed, index));
        } catch (TaskFailedException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new TaskFailedException(index, safeDescribe(function, index), e);
        }
        if (row == null || row.length != width) {
            throw new TaskFailedException(index, safeDescribe(function, index), new IllegalStateException(
                    "the task returned " + (row == null ? "no row" : row.length + " values") + ", expected " + width));
        }
        return row;
    }

    private static String safeDescribe(TaskFunction f, int index) {
        try {
            return f.describe(index);
        } catch (RuntimeException e) {
            return "task " + index;
        }
    }
}
