package org.fena.dynamics.jobs;

import java.util.SplittableRandom;

/**
 * Per-task seeds, computed from the job's seed and the task's index alone. The seed of task
 * {@code i} is the SplitMix64 output {@code mix64(jobSeed + (i + 1) * GOLDEN_GAMMA)} — the value
 * {@code new SplittableRandom(jobSeed)} would give on its {@code (i+1)}-th {@code nextLong()} —
 * evaluated directly, so a worker holding only task 4711 needs no walk over the 4710 before it,
 * and a retried task draws exactly what its first attempt drew.
 */
public final class TaskSeeds {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private TaskSeeds() {
    }

    /** The seed of task {@code index >= 0} of a job seeded with {@code jobSeed}. */
    public static long seed(long jobSeed, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("task index must be >= 0, got " + index);
        }
        return mix64(jobSeed + (index + 1) * GOLDEN_GAMMA);
    }

    /** A generator for task {@code index}, seeded with {@link #seed}. */
    public static SplittableRandom stream(long jobSeed, long index) {
        return new SplittableRandom(seed(jobSeed, index));
    }

    /** SplitMix64's finaliser (Stafford variant 13), as in {@link SplittableRandom}. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
