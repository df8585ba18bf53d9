package org.fena.dynamics.langevin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fena.annealing.NoiseSchedule;
import org.junit.jupiter.api.Test;

/**
 * Experiment 1 at modest size (the README's full table has 1,000 runs and every schedule): on the
 * three-well landscape noise-free settling finds the global minimum from at most half of the
 * starts, and annealing from at least 90% of the same starts.
 */
class EscapeExperimentTest {

    private static EscapeExperiment experiment(int runs, Map<String, NoiseSchedule> schedules, double tAnneal,
                                               int threads) {
        GaussianWells wells = GaussianWells.threeWells();
        return new EscapeExperiment(() -> wells, wells.minima(),
                EscapeExperiment.uniformStarts(1, runs, new double[] {-4}, new double[] {4}), schedules,
                "euler-maruyama", 0.01, tAnneal + 20, 2, threads, 100);
    }

    @Test
    void logarithmicAnnealingFindsTheGlobalMinimumWhereNoiseFreeSettlingMostlyDoesNot() {
        Map<String, NoiseSchedule> all = EscapeExperiment.threeWellSchedules(400);
        Map<String, NoiseSchedule> some = new LinkedHashMap<>();
        some.put("noise-free", all.get("noise-free"));
        some.put("logarithmic", all.get("logarithmic"));
        List<EscapeExperiment.Outcome> out = experiment(200, some, 400, 2).run();
        String table = out.get(0).fractionGlobal() + " noise-free, " + out.get(1).fractionGlobal() + " annealed";
        assertTrue(out.get(0).fractionGlobal() <= 0.5, table);
        assertTrue(out.get(1).fractionGlobal() >= 0.9, table);
        for (EscapeExperiment.Outcome o : out) {
            assertEquals(0, o.diverged(), o.name());
            assertEquals(200, java.util.Arrays.stream(o.basinCounts()).sum(), o.name());
        }
    }

    @Test
    void runsEndAtTheMinimumTheyAreCountedIn() {
        GaussianWells wells = GaussianWells.threeWells();
        List<double[]> minima = wells.minima();
        EscapeExperiment.Outcome o = experiment(40, EscapeExperiment.threeWellSchedules(40), 40, 1).run().get(3);
        for (int i = 0; i < o.runs(); i++) {
            // after the noise-free tail every run sits at its minimum: same energy to settling accuracy
            assertEquals(wells.energy(minima.get(o.basins()[i]), null), o.finalEnergies()[i], 1e-6, "run " + i);
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalRuns() {
        Map<String, NoiseSchedule> s = Map.of("exponential", NoiseSchedule.exponential(0.5, 0.05));
        EscapeExperiment.Outcome one = experiment(30, s, 30, 1).run().get(0);
        EscapeExperiment.Outcome two = experiment(30, s, 30, 2).run().get(0);
        assertArrayEquals(one.finalEnergies(), two.finalEnergies(), 0.0);
        assertArrayEquals(one.meanEnergy(), two.meanEnergy(), 0.0);
        assertArrayEquals(one.basins(), two.basins());
    }

    @Test
    void threeWellsHaveThreeMinimaWithTheDeepNarrowOneGlobal() {
        List<double[]> m = GaussianWells.threeWells().minima();
        assertEquals(3, m.size());
        assertEquals(2.17, m.get(0)[0], 0.01);
        assertEquals(-1.785, GaussianWells.threeWells().energy(m.get(0), null), 0.01);
    }
}
