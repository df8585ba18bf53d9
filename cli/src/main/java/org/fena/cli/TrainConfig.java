package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.InitMode;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.WeightInit;
import org.fena.hierarchy.learning.PrecisionRule;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;

/**
 * A training configuration ({@code fena train --config FILE}): the data and split, the hierarchy's
 * layers (bottom first, as in a settle experiment), which layers hold data and labels, the
 * learning rule and regime, the settling, and what to compare and measure. Unknown keys are
 * refused; every complaint names the file and the key. See README, section "Learning".
 */
public final class TrainConfig {

    static final Set<String> TOP_KEYS = Set.of("name", "seed", "data", "ood", "layers", "data_layer", "label_layer",
            "training", "settle", "eval_stop", "backprop", "generate");
    static final Set<String> DATA_KEYS = Set.of("images", "labels", "train", "test", "split_seed");
    static final Set<String> OOD_KEYS = Set.of("images", "labels", "count");
    static final Set<String> LAYER_KEYS = Set.of("dim", "tau", "activation", "precision");
    static final Set<String> TRAINING_KEYS = Set.of("epochs", "batch", "regime", "update", "rate", "tau_w",
            "present_time", "initial_state", "amortised_rate", "precision");
    static final Set<String> PRECISION_KEYS = Set.of("rule", "rate", "floor", "ceiling", "layers");
    static final Set<String> SETTLE_KEYS = Set.of("method", "step", "rtol", "atol", "stop");
    static final Set<String> STOP_KEYS = Set.of("grad_tol", "grad_rtol", "t_max", "max_steps");
    static final Set<String> GENERATE_KEYS = Set.of("samples", "noise", "show");

    final Path file;
    final byte[] bytes;
    final String name;
    final long seed;
    final Path images;
    final Path labels;
    final int trainSize;
    final int testSize;
    final long splitSeed;
    final Path oodImages;
    final Path oodLabels;
    final int oodCount;
    final Hierarchy hierarchy;
    final TrainingSettings settings;
    final boolean backprop;
    final boolean generate;
    /** Draws per cause of annealed generation ({@code generate.samples}); 0 when not asked for. */
    final int generateSamples;
    /** The {@code generate.noise} section (schedule, integrator, step, seed, t_end), or null. */
    final NoiseSettings generateNoise;
    /** {@code generate.show}: true for {@code prediction} (mu_0 of the sampled layer 1), false for {@code state} (x_0). */
    final boolean generateShowsPrediction;

    private TrainConfig(Path file, byte[] bytes, JsonNode json) {
        this.file = file;
        this.bytes = bytes;
        ConfigNode root = new ConfigNode(file, "", json).requireObject(TOP_KEYS);
        String base = file.getFileName().toString();
        this.name = root.textOr("name", base.replaceFirst("\\.ya?ml$", ""));
        this.seed = root.longOr("seed", 0);
        ConfigNode data = root.get("data");
        if (data.isMissing()) {
            throw data.error("a mapping {images, labels, train, test}");
        }
        data = data.requireObject(DATA_KEYS);
        this.images = path(data, "images", true);
        this.labels = path(data, "labels", true);
        this.trainSize = data.intAtLeast("train", 1, 8000);
        this.testSize = data.intAtLeast("test", 1, 2000);
        this.splitSeed = data.longOr("split_seed", seed);
        ConfigNode ood = root.get("ood");
        if (!ood.isMissing()) {
            ood = ood.requireObject(OOD_KEYS);
            this.oodImages = path(ood, "images", true);
            this.oodLabels = path(ood, "labels", true);
            this.oodCount = ood.intAtLeast("count", 1, 2000);
        } else {
            this.oodImages = null;
            this.oodLabels = null;
            this.oodCount = 0;
        }
        ConfigNode layersNode = root.get("layers");
        if (layersNode.isMissing()) {
            throw layersNode.error("a list of layers, bottom first");
        }
        List<ConfigNode> layers = layersNode.elements();
        if (layers.size() < 2) {
            throw layersNode.error("at least two layers (data and something that predicts it)");
        }
        Hierarchy.Builder hb = Hierarchy.builder();
        int[] dims = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            ConfigNode ln = layers.get(l).requireObject(LAYER_KEYS);
            dims[l] = ln.intAtLeast("dim", 1, -1);
            if (dims[l] < 1) {
                throw ln.get("dim").error("the layer's dimension, a whole number >= 1");
            }
            hb.layer(dims[l], ln.positive("tau", 1.0));
            boolean top = l == layers.size() - 1;
            for (String k : List.of("activation", "precision")) {
                if (top && ln.has(k)) {
                    throw ln.get(k).error("nothing: the top layer receives no prediction, so it has no '" + k + "'");
                }
            }
            if (ln.has("activation")) {
                try {
                    hb.activation(l, Activations.byName(ln.get("activation").asText()));
                } catch (IllegalArgumentException e) {
                    throw new UserError(file + ": " + ln.get("activation").path() + ": " + e.getMessage(), e);
                }
            }
            if (ln.has("precision")) {
                ConfigNode p = ln.get("precision");
                if (p.raw().isNumber()) {
                    hb.precision(l, Precisions.scalar(dims[l], p.asDouble()));
                } else {
                    List<ConfigNode> el = p.elements();
                    if (el.size() != dims[l]) {
                        throw p.error("a number or a list of " + dims[l] + " positive numbers");
                    }
                    double[] v = new double[dims[l]];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = el.get(i).asDouble();
                        if (!(v[i] > 0)) {
                            throw el.get(i).error("a number > 0");
                        }
                    }
                    hb.precision(l, Precisions.diagonal(v));
                }
            }
        }
        hb.weightInit(WeightInit.xavierUniform(), seed);
        this.hierarchy = hb.build();
        int top = dims.length - 1;
        int dataLayer = layerRef(root.get("data_layer"), top, "top", false);
        int labelLayer = layerRef(root.get("label_layer"), top, dataLayer == top ? "bottom" : "none", true);
        if (dataLayer == labelLayer) {
            throw root.get("label_layer").error("a layer other than the data layer " + dataLayer);
        }

        ConfigNode tr = root.get("training");
        tr = tr.isMissing() ? new ConfigNode(file, "training", new ObjectMapper().createObjectNode())
                : tr.requireObject(TRAINING_KEYS);
        int epochs = tr.intAtLeast("epochs", 0, 10);
        int batch = tr.intAtLeast("batch", 1, 64);
        TrainingSettings.Regime regime;
        String rg = tr.textOr("regime", "two_phase").toLowerCase(Locale.ROOT).replace('-', '_');
        switch (rg) {
            case "two_phase":
                regime = TrainingSettings.Regime.TWO_PHASE;
                break;
            case "continuous":
                regime = TrainingSettings.Regime.CONTINUOUS;
                break;
            default:
                throw tr.get("regime").error("two_phase or continuous");
        }
        UpdateRule update;
        try {
            update = UpdateRule.byName(tr.textOr("update", "adam"));
        } catch (IllegalArgumentException e) {
            throw tr.get("update").error("adam or sgd");
        }
        double[] rates = perLayer(tr.get("rate"), top, 1e-3);
        double[] tauW = perLayer(tr.get("tau_w"), top, 1000);
        double present = tr.positive("present_time", 10);
        InitMode init;
        try {
            init = InitMode.byName(tr.textOr("initial_state", dataLayer == top ? "top_down" : "zeros"));
        } catch (IllegalArgumentException e) {
            throw tr.get("initial_state").error("zeros, top_down or amortised");
        }
        if (init == InitMode.AMORTISED && dataLayer != 0) {
            throw tr.get("initial_state").error("top_down or zeros: the amortised (bottom-up) start needs data_layer: bottom");
        }
        double amortised = tr.nonNegative("amortised_rate", init == InitMode.AMORTISED ? 0.01 : 0);
        PrecisionRule prule = null;
        int[] plAyers = new int[0];
        ConfigNode pn = tr.get("precision");
        if (!pn.isMissing()) {
            pn = pn.requireObject(PRECISION_KEYS);
            String rule = pn.textOr("rule", "covariance");
            double rate = pn.positive("rate", 0.01);
            double floor = pn.nonNegative("floor", 0.01);
            double ceiling = pn.positive("ceiling", 100);
            try {
                prule = rule.equals("covariance") ? PrecisionRule.covariance(rate, floor, ceiling)
                        : rule.equals("energy_only") ? PrecisionRule.energyOnly(rate, floor) : null;
            } catch (IllegalArgumentException e) {
                throw new UserError(file + ": " + pn.path() + ": " + e.getMessage(), e);
            }
            if (prule == null) {
                throw pn.get("rule").error("covariance or energy_only");
            }
            List<ConfigNode> ls = pn.get("layers").isMissing() ? List.of() : pn.get("layers").elements();
            plAyers = new int[ls.size()];
            for (int i = 0; i < plAyers.length; i++) {
                plAyers[i] = (int) ls.get(i).asLong();
                if (plAyers[i] < 0 || plAyers[i] >= top) {
                    throw ls.get(i).error("a layer 0.." + (top - 1) + " that receives a prediction");
                }
            }
        }

        ConfigNode st = root.get("settle");
        st = st.isMissing() ? new ConfigNode(file, "settle", new ObjectMapper().createObjectNode())
                : st.requireObject(SETTLE_KEYS);
        String method;
        try {
            method = Integrators.canonicalName(st.textOr("method", "euler"));
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + st.get("method").path() + ": " + e.getMessage(), e);
        }
        StepSettings steps = new StepSettings(st.has("step") ? st.positive("step", 0.2) : 0.2,
                st.positive("rtol", 1e-6), st.positive("atol", 1e-9), 0, Double.POSITIVE_INFINITY,
                !Set.of("euler", "midpoint", "heun", "rk4", "cm-rk4").contains(method));
        StopCriteria stop = stop(st.get("stop"), new StopCriteria(Double.POSITIVE_INFINITY, 1e-6, 1e-2, 0, 1, 40));
        StopCriteria evalStop = stop(root.get("eval_stop"), stop);
        this.settings = new TrainingSettings(dataLayer, labelLayer, batch, epochs, regime, update, rates, tauW, present,
                init, amortised, prule, plAyers, method, steps, stop, evalStop, seed);
        this.backprop = root.boolOr("backprop", labelLayer == 0 && dataLayer == top);
        if (backprop && !(labelLayer == 0 && dataLayer == top)) {
            throw root.get("backprop").error("false: the backprop reference needs data_layer: top and label_layer: bottom");
        }
        ConfigNode gen = root.get("generate");
        if (!gen.isMissing() && gen.raw().isObject()) {
            gen = gen.requireObject(GENERATE_KEYS);
            this.generate = true;
            this.generateNoise = NoiseSettings.read(gen.get("noise"), seed, evalStop);
            if (generateNoise == null) {
                throw gen.get("noise").error("a mapping {schedule, step, t_end, seed, integrator} for annealed sampling");
            }
            this.generateSamples = gen.intAtLeast("samples", 1, 8);
            String show = gen.textOr("show", layers.size() > 2 ? "prediction" : "state");
            if (!show.equals("prediction") && !show.equals("state")) {
                throw gen.get("show").error("prediction (mu_0 of the sampled layer 1) or state (the sampled x_0)");
            }
            if (show.equals("prediction") && layers.size() < 3) {
                throw gen.get("show").error("state: with two layers the clamped top predicts the image directly");
            }
            this.generateShowsPrediction = show.equals("prediction");
            if (dataLayer != 0) {
                throw gen.error("false, or data_layer: bottom: generation draws images at the bottom layer");
            }
        } else {
            if (!gen.isMissing() && !gen.raw().isBoolean()) {
                throw gen.error("true, false, or a mapping {samples, noise: {schedule, step, t_end, seed}}");
            }
            this.generate = root.boolOr("generate", true);
            this.generateNoise = null;
            this.generateSamples = 0;
            this.generateShowsPrediction = false;
        }
    }

    private StopCriteria stop(ConfigNode n, StopCriteria fallback) {
        if (n.isMissing()) {
            return fallback;
        }
        n = n.requireObject(STOP_KEYS);
        try {
            return new StopCriteria(n.positive("t_max", Double.POSITIVE_INFINITY), n.nonNegative("grad_tol", 0),
                    n.nonNegative("grad_rtol", 0), 0, 1, n.longOr("max_steps", Long.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + n.path() + ": " + e.getMessage(), e);
        }
    }

    private static double[] perLayer(ConfigNode n, int top, double fallback) {
        if (n.isMissing()) {
            return new double[] {fallback};
        }
        if (n.raw().isNumber()) {
            double v = n.asDouble();
            if (!(v > 0)) {
                throw n.error("a number > 0, or a list of " + top + " (one per layer 0.." + (top - 1) + ")");
            }
            return new double[] {v};
        }
        List<ConfigNode> el = n.elements();
        if (el.size() != top) {
            throw n.error("a number, or a list of " + top + " numbers (one per layer 0.." + (top - 1) + ")");
        }
        double[] v = new double[top];
        for (int i = 0; i < top; i++) {
            v[i] = el.get(i).asDouble();
            if (!(v[i] >= 0)) {
                throw el.get(i).error("a number >= 0");
            }
        }
        return v;
    }

    private static int layerRef(ConfigNode n, int top, String fallback, boolean noneAllowed) {
        String s = n.isMissing() ? fallback : n.raw().isNumber() ? null : n.asText();
        if (s == null) {
            long v = n.asLong();
            if (v < 0 || v > top) {
                throw n.error("top, bottom" + (noneAllowed ? ", none" : "") + " or a layer 0.." + top);
            }
            return (int) v;
        }
        switch (s) {
            case "top":
                return top;
            case "bottom":
                return 0;
            case "none":
                if (noneAllowed) {
                    return -1;
                }
                // fall through
            default:
                throw n.error("top, bottom" + (noneAllowed ? ", none" : "") + " or a layer 0.." + top);
        }
    }

    private Path path(ConfigNode n, String key, boolean mustExist) {
        ConfigNode v = n.get(key);
        if (v.isMissing()) {
            throw v.error("the path of an IDX file (relative to the config file)");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path p = dir.resolve(v.asText()).normalize();
        if (mustExist && !Files.isRegularFile(p)) {
            throw new UserError(file + ": " + v.path() + ": no such file: " + p);
        }
        return p;
    }

    /** The hierarchy the file describes, freshly initialised from its seed (live: training updates it). */
    public Hierarchy hierarchy() {
        return hierarchy;
    }

    /** The training settings (clamps, batch, rule, rates, settling, stop rules, seed). */
    public TrainingSettings settings() {
        return settings;
    }

    /** The file's data read and cut into its seeded train/test split. */
    public LabelledData.Split split() {
        try {
            return readData(images, labels).split(trainSize, testSize, splitSeed);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": data: " + e.getMessage(), e);
        }
    }

    /** Reads and checks {@code file}: every problem is a {@link UserError} naming the file and key. */
    public static TrainConfig load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = yaml.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": not a valid YAML training file: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new UserError(file + ": the file is empty; expected a mapping with 'data' and 'layers'");
        }
        try {
            return new TrainConfig(file, bytes, root);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an IDX image/label pair, turning format errors into a {@link UserError} naming the file. */
    static LabelledData readData(Path images, Path labels) {
        try {
            return LabelledData.readIdx(images, labels);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
