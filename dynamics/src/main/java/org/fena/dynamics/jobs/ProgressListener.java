package org.fena.dynamics.jobs;

/** Told how many tasks of a job are done; called from any thread, possibly often. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} tasks have finished (non-decreasing). */
    void update(long done, long total);
}
