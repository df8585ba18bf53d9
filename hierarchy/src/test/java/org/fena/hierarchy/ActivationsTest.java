package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    private static List<Activation> everyActivation() {
        List<Activation> all = new ArrayList<>(Activations.all());
        all.add(Activations.leakyRelu(0.2));
        return all;
    }

    private static boolean kinked(Activation f) {
        return f.name().startsWith("relu") || f.name().startsWith("leaky_relu");
    }

    /** Points over [-6, 6], including large |a|, avoiding the kink of relu-like functions. */
    private static double[] points() {
        double[] p = new double[61];
        for (int i = 0; i < p.length; i++) {
            p[i] = -6 + 0.2 * i + 0.0137;
        }
        return p;
    }

    @Test
    void firstDerivativeEqualsCentralDifferenceForEveryActivation() {
        double h = 1e-6;
        for (Activation f : everyActivation()) {
            for (double a : points()) {
                double fd = (f.value(a + h) - f.value(a - h)) / (2 * h);
                assertEquals(fd, f.derivative(a), 1e-8, f.name() + "'(" + a + ")");
            }
        }
    }

    @Test
    void secondDerivativeEqualsCentralDifferenceOfTheFirstForEveryActivation() {
        double h = 1e-5;
        for (Activation f : everyActivation()) {
            for (double a : points()) {
                double fd = (f.derivative(a + h) - f.derivative(a - h)) / (2 * h);
                assertEquals(fd, f.secondDerivative(a), 1e-8, f.name() + "''(" + a + ")");
            }
        }
    }

    @Test
    void fusedValueAndDerivativeAgreesWithTheSeparateOnes() {
        double[] a = {-800, -30, -2.5, -1e-9, 0, 1e-9, 0.3, 4, 30, 800};
        for (Activation f : everyActivation()) {
            double[] mu = new double[a.length + 2];
            double[] fp = new double[a.length + 2];
            double[] shifted = new double[a.length + 2];
            System.arraycopy(a, 0, shifted, 1, a.length);
            f.valueAndDerivative(shifted, mu, fp, 1, a.length);
            assertEquals(0.0, mu[0]);
            assertEquals(0.0, mu[a.length + 1], "writes stay within [off, off + n)");
            for (int i = 0; i < a.length; i++) {
                assertEquals(f.value(a[i]), mu[i + 1], 1e-15 * Math.max(1, Math.abs(mu[i + 1])), f.name() + "(" + a[i] + ")");
                assertEquals(f.derivative(a[i]), fp[i + 1], 1e-15, f.name() + "'(" + a[i] + ")");
                assertTrue(Double.isFinite(mu[i + 1]) && Double.isFinite(fp[i + 1]), f.name() + " at " + a[i]);
            }
        }
    }

    @Test
    void softplusIsStableForLargeArguments() {
        Activation sp = Activations.SOFTPLUS;
        assertEquals(800.0, sp.value(800), 0.0);
        assertEquals(0.0, sp.value(-800), 1e-300);
        assertEquals(Math.log(2), sp.value(0), 1e-16);
        assertEquals(1.0, sp.derivative(800), 0.0);
        assertEquals(0.0, sp.derivative(-800), 1e-300);
        assertEquals(Math.log1p(Math.exp(3.0)), sp.value(3.0), 1e-15);
    }

    @Test
    void kinksTakeTheLeftDerivative() {
        assertEquals(0.0, Activations.RELU.derivative(0.0));
        assertEquals(0.01, Activations.LEAKY_RELU.derivative(0.0));
        assertEquals(0.2, Activations.leakyRelu(0.2).derivative(0.0));
        for (Activation f : everyActivation()) {
            if (kinked(f)) {
                assertEquals(0.0, f.secondDerivative(0.0));
            }
        }
    }

    @Test
    void tanhAndLogisticDerivativesFollowFromTheirValues() {
        for (double a : points()) {
            double t = Activations.TANH.value(a);
            assertEquals(1 - t * t, Activations.TANH.derivative(a), 1e-16);
            double s = Activations.LOGISTIC.value(a);
            assertEquals(s * (1 - s), Activations.LOGISTIC.derivative(a), 1e-16);
        }
    }

    @Test
    void byNameAcceptsEveryNameAliasAndCase() {
        assertSame(Activations.IDENTITY, Activations.byName("identity"));
        assertSame(Activations.IDENTITY, Activations.byName("Linear"));
        assertSame(Activations.TANH, Activations.byName(" TANH "));
        assertSame(Activations.LOGISTIC, Activations.byName("sigmoid"));
        assertSame(Activations.LOGISTIC, Activations.byName("logistic"));
        assertSame(Activations.RELU, Activations.byName("ReLU"));
        assertSame(Activations.LEAKY_RELU, Activations.byName("leaky_relu"));
        assertSame(Activations.SOFTPLUS, Activations.byName("softplus"));
        Activation l = Activations.byName("leaky_relu(0.1)");
        assertEquals(0.1, l.derivative(-1.0));
        assertEquals("leaky_relu(0.1)", l.name());
        assertSame(Activations.LEAKY_RELU, Activations.byName("leaky_relu(0.01)"));
        for (Activation f : everyActivation()) {
            assertEquals(f, Activations.byName(f.name()), "name() round-trips through byName: " + f.name());
        }
    }

    @Test
    void unknownNameIsRefusedNamingTheValueAndTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.byName("swish"));
        assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
        for (String known : new String[] {"identity", "tanh", "logistic", "relu", "leaky_relu", "softplus"}) {
            assertTrue(e.getMessage().contains(known), e.getMessage());
        }
        IllegalArgumentException slope = assertThrows(IllegalArgumentException.class,
                () -> Activations.byName("leaky_relu(abc)"));
        assertTrue(slope.getMessage().contains("leaky_relu(abc)"), slope.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.byName("leaky_relu(-1)"));
        assertThrows(IllegalArgumentException.class, () -> Activations.byName(null));
    }
}
