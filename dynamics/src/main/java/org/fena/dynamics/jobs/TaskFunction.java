package org.fena.dynamics.jobs;

import java.io.Serializable;

/**
 * What one task computes: a row of numbers from the task's index and seed. It must be a pure
 * function of those two (and of what it was built with): an engine may run a task on any thread
 * or machine, more than once (retries, speculation), and the job's result must not notice.
 * Serializable, because a cluster engine ships it to its workers.
 */
public interface TaskFunction extends Serializable {

    /**
     * The row of task {@code index}; a state that diverged is a row (marked so), not an exception.
     *
     * @throws Exception when the task cannot be computed; the engine retries it or fails the job
     */
    double[] run(int index, long seed) throws Exception;

    /** The task's parameters in words, for messages, e.g. {@code layers[1].tau = 0.3}. */
    default String describe(int index) {
        return "task " + index;
    }
}
