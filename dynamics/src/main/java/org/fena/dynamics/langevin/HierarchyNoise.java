package org.fena.dynamics.langevin;

import java.util.SplittableRandom;

import org.fena.hierarchy.EnergyWorkspace;
import org.fena.integrators.NoiseSource;

/**
 * Standard normals for a batched hierarchy's free layout, each sample from its own stream: sample
 * {@code s} draws its free units layer by layer, bottom first, from {@code streams[first + s]},
 * wherever those units sit in the flat vector ({@code B x d_l} blocks per layer).
 */
final class HierarchyNoise implements NoiseSource {

    private final SplittableRandom[] streams;
    private final int first;
    private final int batch;
    private final int[] offsets;
    private final int[] dims;

    HierarchyNoise(EnergyWorkspace ws, SplittableRandom[] streams, int first) {
        this.streams = streams;
        this.first = first;
        this.batch = ws.batch();
        int layers = ws.hierarchy().layers();
        int free = 0;
        for (int l = 0; l < layers; l++) {
            free += ws.isClamped(l) ? 0 : 1;
        }
        offsets = new int[free];
        dims = new int[free];
        int k = 0;
        for (int l = 0; l < layers; l++) {
            if (!ws.isClamped(l)) {
                offsets[k] = ws.freeOffset(l);
                dims[k] = ws.hierarchy().dim(l);
                k++;
            }
        }
    }

    @Override
    public void standardNormals(double[] z) {
        for (int s = 0; s < batch; s++) {
            SplittableRandom rng = streams[first + s];
            for (int k = 0; k < offsets.length; k++) {
                int base = offsets[k] + s * dims[k];
                for (int i = 0; i < dims[k]; i++) {
                    z[base + i] = rng.nextGaussian();
                }
            }
        }
    }
}
