package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fena.dynamics.SettleResult;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.learning.ModelFile;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.WeightInit;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model:} in an experiment file: every command settles the trained hierarchy, not a fresh one. */
class TrainedModelExperimentTest {

    @TempDir
    Path dir;

    private static final String CONFIG = String.join("\n",
            "model: trained.fena",
            "layers:",
            "  - dim: 4",
            "    activation: tanh",
            "    clamp: [0.5, -0.2, 0.1, 0.7]",
            "  - dim: 3",
            "prior: {mean: 0, precision: 1}",
            "integrator: {method: rk4, step: 0.05}",
            "stop: {grad_tol: 1.0e-10, t_max: 500}",
            "");

    private Hierarchy trained() {
        return Hierarchy.builder().layer(4, 1).layer(3, 1).activation(0, Activations.TANH)
                .precision(0, Precisions.diagonal(new double[] {2, 1, 0.5, 1}))
                .weightInit(WeightInit.xavierNormal(), 99).prior(new double[3], Precisions.scalar(3, 1)).build();
    }

    private int fena(StringWriter err, String... args) {
        return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    @Test
    void settleWithAModelUsesItsTrainedWeightsAndPrecisions() throws Exception {
        Hierarchy h = trained();
        ModelFile.save(dir.resolve("trained.fena"), new ModelFile.Model(h, TrainingSettings.supervisedDefaults(1), null));
        Files.writeString(dir.resolve("exp.yaml"), CONFIG);
        StringWriter err = new StringWriter();
        assertEquals(0, fena(err, "settle", "--config", dir.resolve("exp.yaml").toString(), "--out",
                dir.resolve("run").toString()), err.toString());
        JsonNode s = new ObjectMapper().readTree(dir.resolve("run/summary.json").toFile());
        SettleResult direct = Settler.builder(h).clamp(0, new double[] {0.5, -0.2, 0.1, 0.7})
                .integrator(Integrators.create("rk4", StepSettings.fixed(0.05)))
                .stop(new StopCriteria(500, 1e-10, 0, 0, 1, 1_000_000)).build().run();
        assertEquals(direct.energyFinal(), s.get("energy_final").asDouble(), 0.0);
        JsonNode m = new ObjectMapper().readTree(dir.resolve("run/manifest.json").toFile());
        assertTrue(m.get("inputs").toString().contains("trained.fena"), "manifest lists the model file");
    }

    @Test
    void aModelOfAnotherShapeOrActivationIsRefusedClearly() throws Exception {
        ModelFile.save(dir.resolve("trained.fena"), new ModelFile.Model(trained(), TrainingSettings.supervisedDefaults(1), null));
        Files.writeString(dir.resolve("shape.yaml"), CONFIG.replace("dim: 3", "dim: 2"));
        StringWriter err = new StringWriter();
        assertEquals(2, fena(err, "settle", "--config", dir.resolve("shape.yaml").toString(), "--out",
                dir.resolve("o1").toString()));
        assertTrue(err.toString().contains("model") && err.toString().contains("[4, 3]"), err.toString());
        Files.writeString(dir.resolve("act.yaml"), CONFIG.replace("activation: tanh", "activation: logistic"));
        StringWriter err2 = new StringWriter();
        assertEquals(2, fena(err2, "settle", "--config", dir.resolve("act.yaml").toString(), "--out",
                dir.resolve("o2").toString()));
        assertTrue(err2.toString().contains("'tanh' in the model"), err2.toString());
        Files.writeString(dir.resolve("missing.yaml"), CONFIG.replace("trained.fena", "nowhere.fena"));
        StringWriter err3 = new StringWriter();
        assertEquals(2, fena(err3, "settle", "--config", dir.resolve("missing.yaml").toString(), "--out",
                dir.resolve("o3").toString()));
        assertTrue(err3.toString().contains("nowhere.fena"), err3.toString());
    }
}
