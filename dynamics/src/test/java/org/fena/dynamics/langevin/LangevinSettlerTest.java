package org.fena.dynamics.langevin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.fena.annealing.NoiseSchedule;
import org.fena.dynamics.InitialState;
import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.WeightInit;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.fena.integrators.StochasticIntegrator;
import org.junit.jupiter.api.Test;

/**
 * Known answers of annealed settling on a hierarchy: reproducibility across thread counts and
 * chunkings, clamps that stay put, a recorded T(t) column, and per-sample energies that add up.
 */
class LangevinSettlerTest {

    private static final Hierarchy H = Hierarchy.builder().layer(5, 1.0).layer(4, 2.0).layer(3, 4.0)
            .activation(0, Activations.TANH).activation(1, Activations.TANH)
            .weightInit(WeightInit.xavierUniform(), 5).build();
    private static final double[] CLAMP = {0.5, -0.3, 0.8, 0.1, -0.6};

    private static LangevinResult run(int chunk, int threads, long seed) {
        return run(chunk, threads, seed, true);
    }

    private static LangevinResult run(int chunk, int threads, long seed, boolean sampleEnergies) {
        return LangevinSettler.builder(H).batch(6).clamp(0, CLAMP).initial(InitialState.random(3, 1.0))
                .schedule(NoiseSchedule.exponential(0.5, 0.5))
                .integrator(StochasticIntegrator.create("stochastic-heun", 0.02))
                .tEnd(4).seed(seed).recordEvery(10).samplesPerChunk(chunk).threads(threads)
                .sampleEnergies(sampleEnergies).build().run();
    }

    /**
     * A single-chunk run holds its weights from the top-down start on, so the prediction made by a
     * clamped top layer is computed once and kept (the bottom is clamped too, as in replay, so the
     * free middle layer moves); at T = 0 the path must still be the deterministic
     * settle's (which computes that prediction afresh), to the last bits the energy kernels' JIT tiers
     * may round differently.
     */
    @Test
    void aHeldRunFromTheTopDownStartFollowsTheDeterministicPath() {
        double[] top = {0.9, -0.4, 0.2, 0.7, -0.8, 0.1, 0.3, 0.5, -0.2};
        Settler.Builder b = Settler.builder(H).batch(3).clamp(0, CLAMP).clamp(2, top).initial(InitialState.topDown())
                .integrator(Integrators.create("euler", StepSettings.fixed(0.05)))
                .stop(new StopCriteria(2.0, 0, 0, 0, 1, Long.MAX_VALUE));
        SettleResult d = b.build().run();
        LangevinResult r = LangevinSettler.builder(b.build()).schedule(NoiseSchedule.noiseFree())
                .integrator(StochasticIntegrator.create("euler-maruyama", 0.05)).tEnd(2.0).seed(3).build().run();
        assertEquals(d.trace().size(), r.trace().size());
        for (int l = 0; l < H.layers(); l++) {
            assertArrayEquals(d.finalState(l), r.finalState(l), 1e-12, "layer " + l);
        }
        for (int i = 0; i < d.trace().size(); i++) {
            assertEquals(d.trace().energy(i), r.trace().energy(i), 1e-12 * Math.abs(d.trace().energy(i)), "row " + i);
        }
        assertTrue(d.energyFinal() < d.energyInitial(), "the free layers moved");
    }

    @Test
    void perSampleEnergiesLeftOutChangeNothingElse() {
        for (int chunk : new int[] {0, 2}) {
            LangevinResult with = run(chunk, 1, 42, true);
            LangevinResult without = run(chunk, 1, 42, false);
            assertNull(without.energyFinalPerSample());
            for (int l = 0; l < H.layers(); l++) {
                assertArrayEquals(with.finalState(l), without.finalState(l), 1e-12, "layer " + l);
            }
            assertArrayEquals(with.trace().energies(), without.trace().energies(), 1e-10);
            assertEquals(with.energyFinal(), without.energyFinal(), 1e-10);
        }
    }

    /**
     * Same chunks, same streams: the noise is identical bit for bit whatever the thread count. The
     * paths agree to rounding only because the hierarchy's energy kernels (Vector API) may round
     * their last bit differently from one JIT tier to the next, even on one thread; on a plain
     * landscape the identity is exact (EscapeExperimentTest).
     */
    @Test
    void oneAndTwoThreadsGiveTheSamePaths() {
        LangevinResult one = run(2, 1, 42);
        LangevinResult two = run(2, 2, 42);
        for (int l = 0; l < H.layers(); l++) {
            assertArrayEquals(one.finalState(l), two.finalState(l), 1e-12, "layer " + l);
        }
        assertArrayEquals(one.trace().energies(), two.trace().energies(), 1e-10);
        assertArrayEquals(one.energyFinalPerSample(), two.energyFinalPerSample(), 1e-12);
    }

    @Test
    void aSamplesPathDependsOnItsOwnStreamNotOnItsBatchMates() {
        LangevinResult whole = run(0, 1, 42);
        LangevinResult single = run(1, 2, 42);
        for (int l = 1; l < H.layers(); l++) {
            // equal up to the rounding of batched products
            assertArrayEquals(whole.finalState(l), single.finalState(l), 1e-9, "layer " + l);
        }
        LangevinResult other = run(0, 1, 43);
        assertFalse(Arrays.equals(whole.finalState(1), other.finalState(1)), "another seed, another path");
    }

    @Test
    void clampsStayPutAndTheTraceRecordsTheTemperature() {
        LangevinResult r = run(3, 2, 1);
        for (int s = 0; s < 6; s++) {
            assertArrayEquals(CLAMP, Arrays.copyOfRange(r.finalState(0), 5 * s, 5 * s + 5), 0.0);
        }
        assertEquals(0.5, r.trace().temperature(0), 0.0);
        int last = r.trace().size() - 1;
        assertEquals(4.0, r.trace().t(last), 1e-12);
        assertEquals(0.5 * Math.exp(-2.0), r.trace().temperature(last), 1e-12);
        assertEquals(r.energyFinal(), Arrays.stream(r.energyFinalPerSample()).sum(), 1e-9);
        assertEquals(200, r.steps());
        assertTrue(r.gradNormFinal() > 0);
    }
}
