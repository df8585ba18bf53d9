package org.fena.dynamics.learning;

import java.util.Arrays;

/**
 * Area under the ROC curve of a score that should be higher for out-of-distribution samples:
 * the probability that a random OOD sample scores above a random in-distribution one (ties count
 * one half), by the rank-sum (Mann–Whitney) formula.
 */
public final class Auroc {

    private Auroc() {
    }

    /** AUROC of {@code outScores} (positives) against {@code inScores} (negatives). */
    public static double of(double[] inScores, double[] outScores) {
        int n = inScores.length;
        int m = outScores.length;
        double[][] all = new double[n + m][];
        for (int i = 0; i < n; i++) {
            all[i] = new double[] {inScores[i], 0};
        }
        for (int i = 0; i < m; i++) {
            all[n + i] = new double[] {outScores[i], 1};
        }
        Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
        double rankSum = 0;
        for (int i = 0; i < all.length;) {
            int j = i;
            while (j < all.length && all[j][0] == all[i][0]) {
                j++;
            }
            double rank = 0.5 * (i + 1 + j);
            for (int k = i; k < j; k++) {
                if (all[k][1] == 1) {
                    rankSum += rank;
                }
            }
            i = j;
        }
        return (rankSum - m * (m + 1) / 2.0) / ((double) n * m);
    }
}
