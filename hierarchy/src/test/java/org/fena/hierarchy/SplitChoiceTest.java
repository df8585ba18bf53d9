package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When an evaluation is split by samples over the cores: {@code -Dfena.split} and the size of the work. */
class SplitChoiceTest {

    @AfterEach
    void clear() {
        System.clearProperty("fena.split");
        System.clearProperty("fena.threads");
    }

    private static Hierarchy small() {
        return Hierarchy.builder().layer(4, 1.0).layer(3, 1.0).layer(2, 1.0)
                .activation(0, Activations.TANH).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 3).build();
    }

    @Test
    void smallWorkStaysOnTheCallersThreadUnlessSplittingIsForced() {
        System.setProperty("fena.threads", "2");
        assertEquals(1, new EnergyWorkspace(small(), 8, new boolean[] {true, false, false}).threads(),
                "a few hundred multiply-adds never pay for a fork");
        System.setProperty("fena.split", "on");
        assertEquals(2, new EnergyWorkspace(small(), 8, new boolean[] {true, false, false}).threads());
    }

    @Test
    void splittingOffKeepsLargeWorkOnOneThread() {
        System.setProperty("fena.threads", "2");
        Hierarchy big = Hierarchy.builder().layer(512, 1.0).layer(512, 1.0).layer(16, 1.0)
                .activation(0, Activations.TANH).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 3).build();
        System.setProperty("fena.split", "off");
        assertEquals(1, new EnergyWorkspace(big, 64, new boolean[] {true, false, false}).threads());
        System.clearProperty("fena.split");
        boolean ours = Blas.backendKind() != Blas.Backend.NATIVE || Blas.nativeSingleThreaded();
        // 32 rows per part: few enough that the products run in FENA's kernels on any backend
        assertEquals(ours || Blas.fewRows(32) ? 2 : 1,
                new EnergyWorkspace(big, 64, new boolean[] {true, false, false}).threads(),
                "large work is split exactly when the cores are not already the native BLAS's");
        assertEquals(ours || Blas.fewRows(256) ? 2 : 1,
                new EnergyWorkspace(big, 512, new boolean[] {true, false, false}).threads(),
                "256 rows per part leave the products to a threaded native BLAS");
        assertTrue(new EnergyWorkspace(big, 1, new boolean[] {true, false, false}).threads() == 1,
                "one sample cannot be split");
    }
}
