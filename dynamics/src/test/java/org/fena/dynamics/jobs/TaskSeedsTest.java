package org.fena.dynamics.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Per-task seeds depend on the job's seed and the task's index alone, and are SplitMix64's own sequence. */
class TaskSeedsTest {

    @Property(tries = 50)
    void theSeedOfTaskIIsTheIthDrawOfSplittableRandomComputedDirectly(@ForAll long jobSeed,
            @ForAll @IntRange(min = 0, max = 300) int index) {
        SplittableRandom r = new SplittableRandom(jobSeed);
        long expected = 0;
        for (int i = 0; i <= index; i++) {
            expected = r.nextLong();
        }
        assertEquals(expected, TaskSeeds.seed(jobSeed, index));
    }

    @Test
    void neighbouringTasksAndNeighbouringJobsGetDifferentSeeds() {
        Set<Long> seen = new HashSet<>();
        for (long job = 0; job < 20; job++) {
            for (int i = 0; i < 500; i++) {
                seen.add(TaskSeeds.seed(job, i));
            }
        }
        assertEquals(20 * 500, seen.size());
        assertNotEquals(TaskSeeds.stream(1, 0).nextDouble(), TaskSeeds.stream(1, 1).nextDouble());
    }

    @Test
    void aNegativeIndexIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TaskSeeds.seed(0, -1));
    }
}
