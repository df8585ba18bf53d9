package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class HierarchyTest {

    private static Hierarchy example() {
        return Hierarchy.builder()
                .layer(2, 1.0).layer(3, 2.0)
                .activation(0, Activations.TANH)
                .precision(0, Precisions.scalar(2, 1.5))
                .weights(0, new double[] {0.1, -0.2, 0.3, 0.0, 0.5, 0.25})
                .prior(new double[3], Precisions.scalar(3, 1.0))
                .build();
    }

    @Test
    void toStringPrintsThePasteableConfigForm() {
        assertEquals("""
                layers:
                  - dim: 2
                    tau: 1.0
                    activation: tanh
                    precision: 1.5
                    weights: [[0.1, -0.2, 0.3], [0.0, 0.5, 0.25]]
                    bias: [0.0, 0.0]
                  - dim: 3
                    tau: 2.0
                prior:
                  mean: [0.0, 0.0, 0.0]
                  precision: 1.0
                """, example().toString());
    }

    @Test
    void toStringPrintsDiagonalAndFullPrecisionsAsListsAndOmitsAnAbsentPrior() {
        Hierarchy h = Hierarchy.builder()
                .layer(2, 0.5).layer(2, 1.0).layer(1, 3.0)
                .precision(0, Precisions.diagonal(new double[] {2.0, 3.5}))
                .precision(1, Precisions.full(2, new double[] {2, 1, 1, 2}))
                .activation(1, Activations.leakyRelu(0.1))
                .weights(0, new double[] {1, 0, 0, 1}).weights(1, new double[] {1e10, -1e-7})
                .build();
        assertEquals("""
                layers:
                  - dim: 2
                    tau: 0.5
                    activation: identity
                    precision: [2.0, 3.5]
                    weights: [[1.0, 0.0], [0.0, 1.0]]
                    bias: [0.0, 0.0]
                  - dim: 2
                    tau: 1.0
                    activation: leaky_relu(0.1)
                    precision: [[2.0, 1.0], [1.0, 2.0]]
                    weights: [[1.0E+10], [-1.0E-7]]
                    bias: [0.0, 0.0]
                  - dim: 1
                    tau: 3.0
                """, h.toString());
    }

    @Test
    void toStringRoundTripsThroughAYamlReaderBitForBit() {
        Hierarchy h = Hierarchy.builder()
                .layer(2, 0.1 + 0.2).layer(3, Math.PI).layer(2, 1e-3)
                .activation(0, Activations.SOFTPLUS).activation(1, Activations.leakyRelu(1.0 / 3))
                .precision(0, Precisions.diagonal(new double[] {Math.E, 1e-300}))
                .precision(1, Precisions.full(3, new double[] {2, 0.1, 0, 0.1, 2, 1.0 / 7, 0, 1.0 / 7, 2}))
                .bias(0, new double[] {-0.0, 1.0 / 3})
                .weightInit(WeightInit.xavierNormal(), 12345)
                .prior(new double[] {1e22, -2.5e-9}, Precisions.full(2, new double[] {1, 0.5, 0.5, 1}))
                .build();
        Hierarchy back = fromYaml(h.toString());
        assertEquals(h.toString(), back.toString());
        for (int l = 0; l < h.top(); l++) {
            assertArrayEquals(h.weights(l), back.weights(l), 0.0);
            assertArrayEquals(h.bias(l), back.bias(l), 0.0);
            assertArrayEquals(h.precision(l).toDense(), back.precision(l).toDense(), 0.0);
            assertEquals(h.activation(l).name(), back.activation(l).name());
            assertEquals(h.tau(l), back.tau(l), 0.0);
        }
        assertArrayEquals(h.priorMean(), back.priorMean(), 0.0);
    }

    @Test
    void builderRefusesBadInputNamingTheLayerAndTheExpectedForm() {
        assertMessage(() -> Hierarchy.builder().build(), "at least one layer");
        assertMessage(() -> Hierarchy.builder().layer(3, 1).build(), "prior");
        assertMessage(() -> Hierarchy.builder().layer(3, 1).layer(0, 1), "layer 1: dim");
        assertMessage(() -> Hierarchy.builder().layer(3, 0.0), "layer 0: tau");
        assertMessage(() -> Hierarchy.builder().layer(3, Double.NaN), "layer 0: tau");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).weights(0, new double[5]).build(),
                "layer 0: weights W_0 must be d_0 x d_1 = 2 x 3 (6 row-major values");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).weights(0, new double[] {0, 0, 0, 0, 0, Double.NaN}).build(),
                "layer 0: weights W_0: value at index 5 is not finite");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).precision(0, Precisions.scalar(3, 1)).build(),
                "layer 0: precision has dimension 3, expected d_0 = 2");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).bias(0, new double[3]).build(),
                "layer 0: bias b_0 must have d_0 = 2 values");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).activation(1, Activations.TANH).build(),
                "layer 1 is the top layer");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).precision(1, Precisions.scalar(3, 1)).build(),
                "prior(mean, precision)");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).weights(4, new double[1]).build(),
                "layers are 0..1");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).prior(new double[2], Precisions.scalar(2, 1)).build(),
                "prior: mean must have d_1 = 3 values");
        assertMessage(() -> Hierarchy.builder().layer(2, 1).layer(3, 1).prior(new double[3], Precisions.scalar(2, 1)).build(),
                "prior: precision has dimension 2, expected d_1 = 3");
    }

    @Test
    void singleLayerWithAPriorIsAValidHierarchy() {
        Hierarchy h = Hierarchy.builder().layer(2, 1).prior(new double[] {1, 2}, Precisions.scalar(2, 2)).build();
        EnergyWorkspace ws = new EnergyWorkspace(h, 1, new boolean[] {false});
        double[] g = new double[2];
        assertEquals(0.5 * 2 * (1 + 4), ws.gradient(new double[] {0, 0}, g, null), 1e-15);
        assertArrayEquals(new double[] {-2, -4}, g, 1e-15);
        assertEquals("layers:\n  - dim: 2\n    tau: 1.0\nprior:\n  mean: [1.0, 2.0]\n  precision: 2.0\n", h.toString());
    }

    @Test
    void accessorsDescribeTheStructureAndCopyIsDeep() {
        Hierarchy h = example();
        assertEquals(2, h.layers());
        assertEquals(1, h.top());
        assertArrayEquals(new int[] {2, 3}, h.dims());
        assertEquals(5, h.totalUnits());
        assertEquals(3, h.freeUnits(new boolean[] {true, false}));
        assertEquals(8, h.parameterCount());
        assertSame(Activations.TANH, h.activation(0));
        assertNull(h.activation(1));
        assertTrue(h.hasPrior());
        assertFalse(h.isLinear());
        assertThrows(IllegalArgumentException.class, () -> h.weights(1));
        assertThrows(IllegalArgumentException.class, () -> h.dim(2));
        Hierarchy c = h.copy();
        assertNotSame(h.weights(0), c.weights(0));
        c.weights(0)[0] = 42;
        c.priorMean()[0] = 42;
        assertEquals(0.1, h.weights(0)[0]);
        assertEquals(0.0, h.priorMean()[0]);
        assertEquals(h.toString().replace("0.1,", "42.0,").replace("mean: [0.0", "mean: [42.0"), c.toString());
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }

    /** A minimal reader of the YAML {@link Hierarchy#toString()} prints (the cli owns the real one). */
    static Hierarchy fromYaml(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Hierarchy.Builder b = Hierarchy.builder();
        JsonNode layers = root.get("layers");
        for (JsonNode l : layers) {
            b.layer(l.get("dim").asInt(), l.get("tau").doubleValue());
        }
        for (int l = 0; l + 1 < layers.size(); l++) {
            JsonNode n = layers.get(l);
            int d = n.get("dim").asInt();
            b.activation(l, Activations.byName(n.get("activation").asText()));
            b.precision(l, precision(n.get("precision"), d));
            b.weights(l, flatten(n.get("weights")));
            b.bias(l, flatten(n.get("bias")));
        }
        JsonNode prior = root.get("prior");
        if (prior != null) {
            int d = layers.get(layers.size() - 1).get("dim").asInt();
            b.prior(flatten(prior.get("mean")), precision(prior.get("precision"), d));
        }
        return b.build();
    }

    private static Precision precision(JsonNode n, int d) {
        if (n.isNumber()) {
            return Precisions.scalar(d, n.doubleValue());
        }
        return n.get(0).isArray() ? Precisions.full(d, flatten(n)) : Precisions.diagonal(flatten(n));
    }

    private static double[] flatten(JsonNode n) {
        java.util.List<Double> v = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (e.isArray()) {
                for (JsonNode x : e) {
                    assertTrue(x.isNumber(), "YAML reads a number: " + x);
                    v.add(x.doubleValue());
                }
            } else {
                assertTrue(e.isNumber(), "YAML reads a number: " + e);
                v.add(e.doubleValue());
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
