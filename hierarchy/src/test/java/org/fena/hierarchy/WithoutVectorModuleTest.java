package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} (a notebook kernel, a user's own
 * {@code java -jar}) evaluates with the scalar loops and gets the very bits the vector passes give.
 */
class WithoutVectorModuleTest {

    /**
     * The bits of a tanh error pass (rows x units large enough for the vector pass; no BLAS, whose
     * Java fallback without the module is another implementation).
     */
    static String evaluate() {
        int rows = 6;
        int d = 101;
        SplittableRandom rng = new SplittableRandom(4);
        double[] ae = new double[rows * d];
        double[] x = new double[rows * d];
        for (int i = 0; i < ae.length; i++) {
            ae[i] = 6 * rng.nextDouble() - 3;
            x[i] = 2 * rng.nextDouble() - 1;
        }
        double[] bias = new double[d];
        double[] pi = new double[d];
        for (int j = 0; j < d; j++) {
            bias[j] = rng.nextDouble() - 0.5;
            pi[j] = 0.5 + rng.nextDouble();
        }
        double[] pieps = new double[ae.length];
        double[] fp = new double[ae.length];
        double[] z = new double[ae.length];
        double[] out = new double[ae.length];
        double e = ((FusedActivation) Activations.TANH).errorPass(ae, bias, d, 0, rows, x, 0, pi, pieps, fp, z, out,
                0, -1.0);
        long hash = Double.doubleToRawLongBits(e);
        for (double[] a : new double[][] {ae, pieps, fp, z, out}) {
            for (double v : a) {
                hash = 31 * hash + Double.doubleToRawLongBits(v);
            }
        }
        return Double.doubleToRawLongBits(e) + " " + hash;
    }

    /** Prints {@link #evaluate()}: run in a child JVM. */
    public static void main(String[] args) {
        System.out.println(FusedActivation.VECTOR + " " + evaluate());
    }

    @Test
    void scalarPathWithoutTheModuleGivesTheVectorPathsBits() throws IOException, InterruptedException {
        assertTrue(FusedActivation.VECTOR);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleTest.class.getName())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String got = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), got);
        assertEquals("false " + evaluate(), got, "child JVM without jdk.incubator.vector");
    }
}
