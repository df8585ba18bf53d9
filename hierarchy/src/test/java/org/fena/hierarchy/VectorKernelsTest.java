package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The Vector API tanh pass writes the very bits the scalar formulas give, whatever the width and values. */
class VectorKernelsTest {

    @Test
    void vectorTanhPassIsBitIdenticalToTheScalarOne() {
        assertTrue(FusedActivation.VECTOR, "tests run with --add-modules jdk.incubator.vector");
        SplittableRandom rng = new SplittableRandom(5);
        double[] special = {0.0, -0.0, 0.625, -0.625, Math.nextDown(0.625), 22.0, -22.0, 30.0, -700.0, 1e-300,
            -1e-300, Double.MIN_VALUE, 0.3465735902799726, 3.0, -3.0};
        for (int d : new int[] {1, 3, 4, 7, 8, 10, 16, 17, 33, 64}) {
            int rows = 3;
            int n = rows * d;
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                double scale = switch (i % 4) { case 0 -> 0.5; case 1 -> 2.0; case 2 -> 30.0; default -> 1e-4; };
                a[i] = (rng.nextDouble() * 2 - 1) * scale;
            }
            for (int i = 0; i < Math.min(n, special.length); i++) {
                a[(i * 5) % n] = special[i];
            }
            double[] bias = new double[d];
            double[] pi = new double[d];
            for (int j = 0; j < d; j++) {
                bias[j] = j % 3 == 0 ? 0.0 : rng.nextDouble() - 0.5;
                pi[j] = 0.1 + rng.nextDouble();
            }
            double[] x = new double[n + 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextDouble() * 2 - 1;
            }
            double c = -0.7;
            double[] ae = a.clone();
            double[] pieps = new double[n];
            double[] fp = new double[n];
            double[] z = new double[n];
            double[] out = new double[n + 1];
            double sum = VectorKernels.tanhErrorPass(ae, bias, d, 0, rows, x, 2, pi, pieps, fp, z, out, 1, c);
            int bound = VectorKernels.bound(d);
            if (bound == d) {
                // the fused energy sum: the scalar four-chain order, to the bit
                assertEquals(Double.doubleToRawLongBits(Activations.errorEnergy(ae, pieps, 0, n)),
                        Double.doubleToRawLongBits(sum), "energy, d=" + d);
            } else {
                assertTrue(Double.isNaN(sum), "a row the pass does not cover whole leaves the energy to the caller");
            }
            for (int i = 0; i < n; i++) {
                int j = i % d;
                if (j >= bound) {
                    continue;
                }
                double t = Elementary.tanh(a[i] + bias[j]);
                double f1 = 1.0 - t * t;
                double e = x[2 + i] - t;
                double pe = pi[j] * e;
                String at = "d=" + d + " i=" + i + " a=" + a[i];
                assertEquals(Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(ae[i]), at);
                assertEquals(Double.doubleToRawLongBits(pe), Double.doubleToRawLongBits(pieps[i]), at);
                assertEquals(Double.doubleToRawLongBits(f1), Double.doubleToRawLongBits(fp[i]), at);
                assertEquals(Double.doubleToRawLongBits(pe * f1), Double.doubleToRawLongBits(z[i]), at);
                assertEquals(Double.doubleToRawLongBits(c * pe), Double.doubleToRawLongBits(out[1 + i]), at);
            }
        }
    }

    @Test
    void vectorTanhMatchesScalarTanhOnSignedZerosAndTheBranchEdges() {
        double[] v = {0.0, -0.0, 0.625, -0.625, Math.nextDown(0.625), Math.nextUp(-0.625), 22.0, 23.0, -1e-310,
            -3.5, 1e-9, -22.5, 0.1, -0.0, 40.0, -0.3};
        int d = v.length;
        double[] ae = v.clone();
        double[] zeros = new double[d];
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1.0);
        double[] pieps = new double[d];
        double[] fp = new double[d];
        double[] z = new double[d];
        VectorKernels.tanhErrorPass(ae, zeros, d, 0, 1, zeros, 0, ones, pieps, fp, z, null, 0, 0.0);
        int bound = VectorKernels.bound(d);
        for (int i = 0; i < bound; i++) {
            // x = 0, so eps = -tanh(a): compare tanh's bits through eps
            assertEquals(Double.doubleToRawLongBits(0.0 - Elementary.tanh(v[i])), Double.doubleToRawLongBits(ae[i]),
                    "a = " + v[i]);
        }
    }

    @Test
    void tanhRowGivesTheScalarBitsWhetherAVectorIsAllSmallMixedOrAllLarge() {
        // rows whose vectors are all below 0.625 (the small form alone), all above, or mixed, edges included
        SplittableRandom rng = new SplittableRandom(11);
        double[] edges = {0.0, -0.0, Math.nextDown(0.625), -Math.nextDown(0.625), 0.625, -0.625, Double.MIN_VALUE,
            -1e-300, 22.0, 45.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        int d = 64;
        double[] a = new double[d];
        double[] bias = new double[d];
        double[] t = new double[d + 3];
        for (int trial = 0; trial < 2000; trial++) {
            for (int j = 0; j < d; j++) {
                int kind = (trial + j / 4) % 3;
                double scale = kind == 0 ? 0.625 : kind == 1 ? 40.0 : (j % 2 == 0 ? 0.625 : 5.0);
                a[j] = (rng.nextDouble() * 2 - 1) * scale;
                if (kind == 1 && Math.abs(a[j]) < 0.625) {
                    a[j] += Math.copySign(1.0, a[j]);
                }
                if (rng.nextInt(16) == 0) {
                    a[j] = edges[rng.nextInt(edges.length)];
                }
            }
            VectorKernels.tanhRow(a, 0, bias, VectorKernels.bound(d), t, 3);
            for (int j = 0; j < d; j++) {
                assertEquals(Double.doubleToRawLongBits(Elementary.tanh(a[j] + 0.0)), Double.doubleToRawLongBits(t[3 + j]),
                        "a = " + a[j]);
            }
        }
    }

    @Test
    void leanPassGivesTheFullPassBitsForOneRowAndForMany() {
        // one row takes its own loop (tanhLeanErrorRow), several the rows loop: both must give the
        // output, Pi eps f' and energy of the full pass, to the bit, whether the output is written or not
        SplittableRandom rng = new SplittableRandom(23);
        for (int d : new int[] {4, 7, 8, 10, 32, 33, 64}) {
            for (int rows : new int[] {1, 3}) {
                for (boolean writes : new boolean[] {true, false}) {
                    int n = rows * d;
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (rng.nextDouble() * 2 - 1) * (i % 3 == 0 ? 3.0 : 0.6);
                    }
                    double[] bias = new double[d];
                    double[] pi = new double[d];
                    for (int j = 0; j < d; j++) {
                        bias[j] = rng.nextDouble() - 0.5;
                        pi[j] = 0.1 + rng.nextDouble();
                    }
                    double[] x = new double[n + 2];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = rng.nextDouble() * 2 - 1;
                    }
                    double c = -0.4;
                    double[] zFull = new double[n];
                    double[] outFull = writes ? new double[n + 1] : null;
                    double full = VectorKernels.tanhErrorPass(a.clone(), bias, d, 0, rows, x, 2, pi, new double[n],
                            new double[n], zFull, outFull, 1, c);
                    double[] ae = a.clone();
                    double[] zLean = new double[n];
                    double[] outLean = writes ? new double[n + 1] : null;
                    double lean = VectorKernels.tanhLeanErrorPass(ae, bias, d, 0, rows, x, 2, pi, zLean, outLean, 1, c);
                    String at = "d=" + d + " rows=" + rows + " writes=" + writes;
                    assertEquals(Double.doubleToRawLongBits(full), Double.doubleToRawLongBits(lean), "energy, " + at);
                    int bound = VectorKernels.bound(d);
                    for (int i = 0; i < n; i++) {
                        if (i % d >= bound) {
                            continue;
                        }
                        assertEquals(Double.doubleToRawLongBits(zFull[i]), Double.doubleToRawLongBits(zLean[i]),
                                "Pi eps f' " + i + ", " + at);
                        assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(ae[i]),
                                "the lean pass keeps the prediction, " + i + ", " + at);
                        if (writes) {
                            assertEquals(Double.doubleToRawLongBits(outFull[1 + i]), Double.doubleToRawLongBits(outLean[1 + i]),
                                    "output " + i + ", " + at);
                        }
                    }
                }
            }
        }
    }
}
