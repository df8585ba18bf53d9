package org.fena.consolidation;

import java.util.List;
import java.util.SplittableRandom;

import org.fena.annealing.NoiseSchedules;
import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.WeightInit;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.StepSettings;

/** Small supervised hierarchies (labels at the bottom, data at the top) and seeded toy data. */
final class Fixtures {

    static final int CLASSES = 3;
    static final int DIM = 8;

    private Fixtures() {
    }

    /** {@code 3 <- hidden <- 8}: labels at layer 0, data at the top. */
    static Hierarchy hierarchy(int hidden, boolean linear, long seed) {
        return Hierarchy.builder().layer(CLASSES, 1.0).layer(hidden, 1.0).layer(DIM, 1.0)
                .activation(0, Activations.IDENTITY)
                .activation(1, linear ? Activations.IDENTITY : Activations.TANH)
                .precision(0, Precisions.scalar(CLASSES, 0.5))
                .weightInit(WeightInit.xavierUniform(), seed).build();
    }

    /** Training settings of those hierarchies with a tight settle (so settled means at the minimum). */
    static TrainingSettings settings(int batch) {
        StopCriteria tight = new StopCriteria(Double.POSITIVE_INFINITY, 1e-11, 0, 0, 1, 20000);
        return TrainingSettings.supervisedDefaults(2).withBatch(batch).withUpdate(UpdateRule.sgd(), 0.01)
                .withSettling("euler", StepSettings.fixed(0.2), tight, tight);
    }

    /** {@code n} inputs in [0, 1]: class {@code c} is a fixed random prototype plus seeded noise. */
    static LabelledData data(int n, long seed) {
        SplittableRandom proto = new SplittableRandom(99);
        double[][] p = new double[CLASSES][DIM];
        for (double[] row : p) {
            for (int j = 0; j < DIM; j++) {
                row[j] = proto.nextDouble();
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * DIM];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
            for (int j = 0; j < DIM; j++) {
                x[i * DIM + j] = Math.max(0, Math.min(1, p[y[i]][j] + 0.1 * (r.nextDouble() - 0.5)));
            }
        }
        return new LabelledData(x, y, DIM, CLASSES, "toy");
    }

    static EpisodicBuffer buffer(int capacity, int n, long seed) {
        EpisodicBuffer b = new EpisodicBuffer(capacity, DIM, CLASSES, seed);
        b.offerAll(data(n, seed + 1));
        return b;
    }

    static GenerativeReplay dreaming() {
        return new GenerativeReplay(NoiseSchedules.create("linear", java.util.Map.of("t0", 0.05, "duration", 2.0)),
                "euler-maruyama", 0.1, 2.0, 1.0, 0, 1);
    }

    /** Dreaming at a constant low temperature with no spread: every dreamed cause is its class mean. */
    static GenerativeReplay meanDreams() {
        return new GenerativeReplay(NoiseSchedules.create("constant", java.util.Map.of("T", 0.1)), "euler-maruyama",
                0.1, 1.0, 0.0, 0, 1);
    }

    static Sleep sleep(List<SleepStrategy> strategies, int duration, int batch, long seed) {
        return new Sleep(strategies, duration, batch, UpdateRule.adam(), 1e-2, seed);
    }

    static double[][] weights(Hierarchy h) {
        double[][] w = new double[2 * h.top()][];
        for (int l = 0; l < h.top(); l++) {
            w[2 * l] = h.weights(l).clone();
            w[2 * l + 1] = h.bias(l).clone();
        }
        return w;
    }
}
