package org.fena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The Harness's command line: every option read before anything runs, mistakes refused. */
class HarnessOptionsTest {

    private static Harness.Options parse(String... args) {
        Harness.Options o = new Harness.Options();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void repsAfterDgemmStillCounts() {
        // the hand-written loop before ran the dgemm on reaching --dgemm, with the reps read so far
        Harness.Options o = parse("--dgemm", "--reps", "3");
        assertTrue(o.dgemm);
        assertEquals(3, o.reps);
    }

    @Test
    void onlyNamesTheWorkloadsInTheirOrder() {
        List<Workload> w = parse("--only", "tiny,small-batch1", "--reps", "10").workloads();
        assertEquals(List.of("tiny", "small-batch1"), w.stream().map(Workload::name).toList());
    }

    @Test
    void batchesTakeMnistAtEachSize() {
        List<Workload> w = parse("--batches", "4,16").workloads();
        assertEquals(List.of(4, 16), w.stream().map(Workload::batch).toList());
    }

    @Test
    void mistakesAreRefused() {
        assertThrows(CommandLine.ParameterException.class, () -> parse("--foo"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--reps"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--reps", "x"));
        assertThrows(IllegalArgumentException.class, () -> parse("--batches", "4,0").workloads());
        assertThrows(IllegalArgumentException.class, () -> parse("--only", "nope").workloads());
    }
}
