package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.fena.dynamics.InitialState;
import org.fena.dynamics.Settler;
import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.Activation;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.WeightInit;
import org.fena.integrators.Integrator;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;

/**
 * An experiment file read and checked in full before anything runs: the hierarchy (layers bottom
 * first, weights, biases, precisions, tau, prior), the clamps and initial state, the integrator
 * and its step settings, the stop criteria and what to record. See README, "Config reference".
 */
public final class Experiment {

    static final Set<String> TOP_KEYS = Set.of("name", "seed", "batch", "layers", "weight_init", "prior",
            "initial_state", "integrator", "stop", "record", "noise", "feedback", "sweep", "ensemble", "model");
    static final Set<String> LAYER_KEYS = Set.of("dim", "tau", "activation", "precision", "weights", "bias",
            "clamp", "init");

    /** Default stop criteria: gradient norm 1e-6, at most t = 1000 and 10^6 steps. */
    static final double DEFAULT_GRAD_TOL = 1e-6;

    final Path file;
    final byte[] bytes;
    final String name;
    final long seed;
    final int batch;
    final Hierarchy hierarchy;
    final Map<Integer, double[]> clamps = new LinkedHashMap<>();
    final InitialState initial;
    final Integrator integrator;
    final StopCriteria stop;
    final int recordEvery;
    final double[] sampleTimes;
    /** The {@code noise:} section for {@code fena anneal}, or null. */
    final NoiseSettings noise;
    /** How errors travel up ({@code feedback:}); exact transpose by default. Honoured by settle, stability, phase, sweep. */
    final org.fena.dynamics.stability.Feedback feedback;
    private final ConfigNode root;

    private Experiment(Path file, byte[] bytes, JsonNode root) {
        this.file = file;
        this.bytes = bytes;
        ConfigNode top = new ConfigNode(file, "", root).requireObject(TOP_KEYS);
        this.root = top;
        this.name = top.textOr("name", stripExtension(file.getFileName().toString()));
        this.seed = top.longOr("seed", 0L);
        this.batch = top.intAtLeast("batch", 1, 1);
        ConfigNode layersNode = top.get("layers");
        if (layersNode.isMissing()) {
            throw layersNode.error("a list of layers, bottom first, each with at least 'dim'");
        }
        List<ConfigNode> layers = layersNode.elements();
        if (layers.isEmpty()) {
            throw layersNode.error("at least one layer");
        }
        this.hierarchy = buildHierarchy(top, layers);
        applyModel(top.get("model"));
        readClamps(layers);
        if (clamps.size() == layers.size()) {
            throw new UserError(file + ": layers: every layer has a 'clamp': nothing is left to settle");
        }
        this.initial = readInitial(top, layers);
        this.integrator = readIntegrator(top.get("integrator"));
        this.stop = readStop(top.get("stop"));
        this.noise = NoiseSettings.read(top.get("noise"), seed, stop);
        ConfigNode rec = top.get("record");
        if (rec.isMissing()) {
            this.recordEvery = 1;
            this.sampleTimes = null;
        } else {
            rec.requireObject(Set.of("every", "states", "sample_interval", "sample_times"));
            this.recordEvery = rec.intAtLeast("every", 1, 1);
            this.sampleTimes = readSampleTimes(rec);
        }
        this.feedback = readFeedback(top.get("feedback"));
    }

    /** Reads and checks {@code file}; every problem is a {@link UserError} naming file and key. */
    public static Experiment load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return parse(file, bytes);
    }

    /**
     * Checks the experiment text {@code bytes} as if read from {@code file} (which names it in
     * messages and anchors {@code {file: ...}} references): how a cluster worker rebuilds the
     * experiment the driver read, without the file.
     */
    public static Experiment parse(Path file, byte[] bytes) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = yaml.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : String.format(Locale.ROOT, " at line %d, column %d",
                    loc.getLineNr(), loc.getColumnNr());
            String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip().lines()
                    .map(String::strip).filter(x -> !x.isEmpty() && !x.startsWith("in 'reader'") && !x.equals("^"))
                    .reduce((a, b) -> a + "; " + b).orElse("");
            throw new UserError(file + ": not a valid YAML experiment file" + where + ": " + why, e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new UserError(file + ": the file is empty; expected a mapping with at least 'layers'");
        }
        try {
            return new Experiment(file, bytes, root);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }

    /** A top-level section ({@code sweep}, {@code ensemble}, ...) for the command that reads it. */
    ConfigNode section(String key) {
        return root.get(key);
    }

    /** Every data file the experiment read, with its SHA-256, for the run manifest. */
    public List<Map<String, String>> inputs() {
        List<Map<String, String>> out = new java.util.ArrayList<>();
        for (Path p : root.reads()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("path", p.toString());
            try {
                m.put("sha256", RunInfo.sha256(Files.readAllBytes(p)));
            } catch (IOException e) {
                m.put("sha256", "unreadable: " + e.getMessage());
            }
            out.add(m);
        }
        return out;
    }

    /** The settle this experiment describes, before sinks are attached. */
    public Settler.Builder settler() {
        Settler.Builder b = Settler.builder(hierarchy).batch(batch).initial(initial).integrator(integrator)
                .stop(stop).recordEvery(recordEvery).feedback(feedback);
        clamps.forEach(b::clamp);
        return b;
    }

    private Hierarchy buildHierarchy(ConfigNode top, List<ConfigNode> layers) {
        Hierarchy.Builder hb = Hierarchy.builder();
        int[] dims = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            ConfigNode ln = layers.get(l).requireObject(LAYER_KEYS);
            ConfigNode dim = ln.get("dim");
            if (dim.isMissing()) {
                throw dim.error("the layer's dimension, a whole number >= 1");
            }
            dims[l] = ln.intAtLeast("dim", 1, 1);
            hb.layer(dims[l], ln.positive("tau", 1.0));
        }
        int top1 = layers.size() - 1;
        for (int l = 0; l < layers.size(); l++) {
            ConfigNode ln = layers.get(l);
            if (l == top1) {
                for (String k : List.of("activation", "weights", "bias", "precision")) {
                    if (ln.has(k)) {
                        throw new UserError(String.format(Locale.ROOT,
                                "%s: %s.%s: the top layer receives no prediction, so it has no '%s'%s",
                                file, ln.path(), k, k, k.equals("precision")
                                        ? " (a prior on the top layer goes under 'prior: {mean, precision}')" : ""));
                    }
                }
                continue;
            }
            if (ln.has("activation")) {
                ConfigNode a = ln.get("activation");
                try {
                    Activation f = Activations.byName(a.asText());
                    hb.activation(l, f);
                } catch (IllegalArgumentException e) {
                    throw new UserError(file + ": " + a.path() + ": " + e.getMessage(), e);
                }
            }
            if (ln.has("precision")) {
                hb.precision(l, precision(ln.get("precision"), dims[l]));
            }
            if (ln.has("weights")) {
                ConfigNode w = ln.get("weights");
                Matrices.Values v = Matrices.read(w);
                if (v.rows() != dims[l] || v.cols() != dims[l + 1]) {
                    if (!(v.vector() && dims[l] == 1 && v.cols() == dims[l + 1])) {
                        throw w.error(String.format(Locale.ROOT,
                                "a %d x %d matrix W_%d (d_%d rows of d_%d), read %d x %d", dims[l],
                                dims[l + 1], l, l, l + 1, v.rows(), v.cols()));
                    }
                }
                hb.weights(l, v.data());
            }
            if (ln.has("bias")) {
                ConfigNode bn = ln.get("bias");
                Matrices.Values v = Matrices.read(bn);
                if (v.data().length != dims[l] || (!v.vector() && !v.scalar() && v.rows() != 1)) {
                    throw bn.error("a list of " + dims[l] + " numbers");
                }
                hb.bias(l, v.data());
            }
        }
        ConfigNode wi = top.get("weight_init");
        if (!wi.isMissing()) {
            WeightInit init;
            long wseed = seed;
            if (wi.raw().isTextual()) {
                init = weightInit(wi, wi.asText(), Double.NaN);
            } else {
                wi.requireObject(Set.of("rule", "std", "seed"));
                init = weightInit(wi.get("rule"), wi.get("rule").asText(), wi.doubleOr("std", Double.NaN));
                wseed = wi.longOr("seed", seed);
            }
            hb.weightInit(init, wseed);
        } else {
            hb.weightInit(WeightInit.xavierUniform(), seed);
        }
        ConfigNode prior = top.get("prior");
        if (!prior.isMissing()) {
            prior.requireObject(Set.of("mean", "precision"));
            int d = dims[top1];
            double[] mean = new double[d];
            if (prior.has("mean")) {
                Matrices.Values m = Matrices.read(prior.get("mean"));
                if (m.scalar()) {
                    java.util.Arrays.fill(mean, m.data()[0]);
                } else if (m.data().length == d) {
                    mean = m.data();
                } else {
                    throw prior.get("mean").error("a number or a list of " + d + " numbers (the top layer's dim)");
                }
            }
            Precision p = prior.has("precision") ? precision(prior.get("precision"), d) : Precisions.scalar(d, 1.0);
            hb.prior(mean, p);
        } else if (layers.size() == 1) {
            throw new UserError(file + ": layers: a single layer receives no prediction; add a layer above it or a 'prior'");
        }
        try {
            return hb.build();
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code model: FILE} (a {@code model.fena} written by {@code fena train}, relative to this file):
     * the trained weights, biases and precisions replace the ones built from {@code layers}, whose
     * dimensions and activations must match the model's; clamps, tau, prior and everything else still
     * come from this file. So any command can settle, anneal or analyse a trained hierarchy.
     */
    private void applyModel(ConfigNode n) {
        if (n.isMissing()) {
            return;
        }
        Path p = file.toAbsolutePath().getParent().resolve(n.asText());
        org.fena.dynamics.learning.ModelFile.Model m;
        try {
            m = org.fena.dynamics.learning.ModelFile.load(p);
        } catch (IOException e) {
            throw new UserError(file + ": " + n.path() + ": " + e.getMessage(), e);
        }
        n.noteRead(p);
        Hierarchy trained = m.hierarchy();
        if (!java.util.Arrays.equals(trained.dims(), hierarchy.dims())) {
            throw n.error("a model with the layers' dimensions " + java.util.Arrays.toString(hierarchy.dims())
                    + " (this model has " + java.util.Arrays.toString(trained.dims()) + ")");
        }
        for (int l = 0; l < hierarchy.top(); l++) {
            String want = hierarchy.activation(l).name();
            String have = trained.activation(l).name();
            if (!want.equals(have)) {
                throw new UserError(String.format(Locale.ROOT,
                        "%s: %s: layer %d's activation is '%s' in the model but '%s' in layers[%d].activation",
                        file, n.path(), l, have, want, l));
            }
            System.arraycopy(trained.weights(l), 0, hierarchy.weights(l), 0, trained.weights(l).length);
            System.arraycopy(trained.bias(l), 0, hierarchy.bias(l), 0, trained.bias(l).length);
            hierarchy.setPrecision(l, trained.precision(l));
        }
    }

    private WeightInit weightInit(ConfigNode where, String rule, double std) {
        try {
            return WeightInit.byName(rule, std);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + where.path() + ": " + e.getMessage(), e);
        }
    }

    private Precision precision(ConfigNode n, int d) {
        Matrices.Values v = Matrices.read(n);
        try {
            if (v.scalar()) {
                return Precisions.scalar(d, v.data()[0]);
            }
            if (v.vector()) {
                if (v.data().length != d) {
                    throw n.error("a number, a list of " + d + " positive numbers, or a " + d + " x " + d
                            + " symmetric positive definite matrix");
                }
                return Precisions.diagonal(v.data());
            }
            if (v.rows() != d || v.cols() != d) {
                throw n.error("a " + d + " x " + d + " symmetric positive definite matrix, read "
                        + v.rows() + " x " + v.cols());
            }
            return Precisions.full(d, v.data());
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + n.path() + ": " + e.getMessage(), e);
        }
    }

    private void readClamps(List<ConfigNode> layers) {
        for (int l = 0; l < layers.size(); l++) {
            ConfigNode c = layers.get(l).get("clamp");
            if (!c.isMissing()) {
                clamps.put(l, layerValues(c, l, 0x5eed0000L + l));
            }
        }
    }

    /**
     * Values for one layer: explicit numbers ({@code B x d_l}, or one row for every sample) or a
     * seeded rule {@code {rule: uniform, low, high}} / {@code {rule: normal, mean, std}}.
     */
    private double[] layerValues(ConfigNode c, int l, long salt) {
        int d = hierarchy.dim(l);
        if (c.raw().isObject() && c.raw().has("rule")) {
            c.requireObject(Set.of("rule", "low", "high", "mean", "std", "seed"));
            String rule = c.get("rule").asText().toLowerCase(Locale.ROOT);
            SplittableRandom rng = new SplittableRandom(c.longOr("seed", seed ^ salt));
            double[] out = new double[batch * d];
            switch (rule) {
                case "uniform" -> {
                    double lo = c.doubleOr("low", 0.0);
                    double hi = c.doubleOr("high", 1.0);
                    if (!(hi > lo)) {
                        throw c.get("high").error("a number above low = " + lo);
                    }
                    for (int i = 0; i < out.length; i++) {
                        out[i] = lo + (hi - lo) * rng.nextDouble();
                    }
                }
                case "normal" -> {
                    double mean = c.doubleOr("mean", 0.0);
                    double std = c.nonNegative("std", 1.0);
                    for (int i = 0; i < out.length; i++) {
                        out[i] = mean + std * rng.nextGaussian();
                    }
                }
                default -> throw c.get("rule").error("'uniform' or 'normal'");
            }
            return out;
        }
        Matrices.Values v = Matrices.read(c);
        double[] data = v.data();
        if (v.scalar()) {
            double[] out = new double[batch * d];
            java.util.Arrays.fill(out, data[0]);
            return out;
        }
        if (data.length == d && (v.vector() || v.rows() == 1)) {
            return data;
        }
        if (v.rows() == batch && v.cols() == d) {
            return data;
        }
        throw c.error(String.format(Locale.ROOT,
                "%d x %d values (batch x dim of layer %d), one row of %d, or a rule; read %d x %d",
                batch, d, l, d, v.rows(), v.cols()));
    }

    private InitialState readInitial(ConfigNode top, List<ConfigNode> layers) {
        ConfigNode n = top.get("initial_state");
        InitialState base;
        if (n.isMissing()) {
            base = InitialState.zeros();
        } else {
            String rule;
            double std = 1.0;
            long s = seed ^ 0x1417L;
            if (n.raw().isTextual()) {
                rule = n.asText();
            } else {
                n.requireObject(Set.of("rule", "std", "seed"));
                rule = n.get("rule").asText();
                std = n.nonNegative("std", 1.0);
                s = n.longOr("seed", s);
            }
            base = switch (rule.toLowerCase(Locale.ROOT)) {
                case "zeros", "zero" -> InitialState.zeros();
                case "random" -> InitialState.random(s, std);
                case "top_down", "topdown", "top-down" -> InitialState.topDown();
                default -> throw (n.raw().isTextual() ? n : n.get("rule"))
                        .error("one of zeros, random, top_down");
            };
        }
        Map<Integer, double[]> explicit = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            ConfigNode c = layers.get(l).get("init");
            if (!c.isMissing()) {
                if (clamps.containsKey(l)) {
                    throw new UserError(file + ": " + c.path() + ": layer " + l
                            + " is clamped; 'init' applies to free layers only");
                }
                explicit.put(l, layerValues(c, l, 0x1417_0000L + l));
            }
        }
        return explicit.isEmpty() ? base : InitialState.explicit(explicit, base);
    }

    private Integrator readIntegrator(ConfigNode n) {
        if (n.isMissing()) {
            return Integrators.create("dopri5", StepSettings.tolerances(1e-6, 1e-9));
        }
        n.requireObject(Set.of("method", "step", "rtol", "atol", "min_step", "max_step", "adaptive"));
        ConfigNode m = n.get("method");
        String method = m.isMissing() ? "dopri5" : m.asText();
        double step = n.positive("step", Double.NaN);
        double rtol = n.nonNegative("rtol", 1e-6);
        double atol = n.nonNegative("atol", 1e-9);
        double minStep = n.nonNegative("min_step", 0.0);
        double maxStep = n.positive("max_step", Double.POSITIVE_INFINITY);
        boolean adaptive = n.boolOr("adaptive", true);
        StepSettings settings;
        try {
            settings = new StepSettings(step, rtol, atol, minStep, maxStep, adaptive);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + n.path() + ": " + e.getMessage(), e);
        }
        String canonical;
        try {
            canonical = Integrators.canonicalName(method);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + m.path() + ": " + e.getMessage(), e);
        }
        if (Double.isNaN(step) && (!adaptive || !Integrators.create(canonical, settings.withStep(1.0)).isAdaptive())) {
            throw n.get("step").error("a step size > 0 (method '" + method + "' takes fixed steps)");
        }
        try {
            return Integrators.create(canonical, settings);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + n.path() + ": " + e.getMessage(), e);
        }
    }

    private StopCriteria readStop(ConfigNode n) {
        if (n.isMissing()) {
            return new StopCriteria(1000.0, DEFAULT_GRAD_TOL, 0, 0, 1, 1_000_000L);
        }
        n.requireObject(Set.of("t_max", "grad_tol", "grad_rtol", "energy_tol", "energy_window", "max_steps"));
        boolean anyTol = n.has("grad_tol") || n.has("grad_rtol") || n.has("energy_tol");
        double tMax = n.positive("t_max", n.has("max_steps") || anyTol ? Double.POSITIVE_INFINITY : 1000.0);
        double gradTol = n.nonNegative("grad_tol", anyTol ? 0 : DEFAULT_GRAD_TOL);
        double gradRtol = n.nonNegative("grad_rtol", 0);
        double energyTol = n.nonNegative("energy_tol", 0);
        int window = n.intAtLeast("energy_window", 1, 3);
        long maxSteps = n.has("max_steps") ? n.intAtLeast("max_steps", 1, 1) : Long.MAX_VALUE;
        if (Double.isInfinite(tMax) && maxSteps == Long.MAX_VALUE) {
            maxSteps = 10_000_000L; // a tolerance alone must not run forever on a system that never meets it
        }
        try {
            return new StopCriteria(tMax, gradTol, gradRtol, energyTol, window, maxSteps);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + n.path() + ": " + e.getMessage(), e);
        }
    }

    private double[] readSampleTimes(ConfigNode rec) {
        boolean states = rec.boolOr("states", false);
        if (!states) {
            if (rec.has("sample_interval") || rec.has("sample_times")) {
                throw rec.get("states").error("true (sample_interval/sample_times apply to recorded states)");
            }
            return null;
        }
        if (rec.has("sample_times")) {
            Matrices.Values v = Matrices.read(rec.get("sample_times"));
            double[] t = v.data();
            for (int i = 0; i < t.length; i++) {
                if (t[i] < 0 || (i > 0 && t[i] <= t[i - 1])) {
                    throw rec.get("sample_times").error("increasing times >= 0");
                }
            }
            return t;
        }
        double dt = rec.positive("sample_interval", Double.NaN);
        if (Double.isNaN(dt)) {
            throw rec.get("sample_interval").error("the interval between recorded states (or sample_times)");
        }
        double tEnd = Double.isInfinite(stop.tMax()) ? 1e6 * dt : stop.tMax();
        int n = (int) Math.min(1_000_000, Math.floor(tEnd / dt + 1e-9) + 1);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * dt;
        }
        return t;
    }

    /** {@code feedback: {kind: transpose|random|mixed, scale: 1.0, mix: 0.5, seed: N}} or just the kind. */
    private org.fena.dynamics.stability.Feedback readFeedback(ConfigNode n) {
        if (n.isMissing()) {
            return org.fena.dynamics.stability.Feedback.transpose();
        }
        String kind;
        double scale = 1.0;
        double mix = 0.5;
        long fseed = seed ^ 0xFEEDL;
        if (n.raw().isTextual()) {
            kind = n.asText();
        } else {
            n.requireObject(Set.of("kind", "scale", "mix", "seed"));
            kind = n.get("kind").isMissing() ? "transpose" : n.get("kind").asText();
            scale = n.doubleOr("scale", 1.0);
            mix = n.doubleOr("mix", 0.5);
            fseed = n.longOr("seed", fseed);
        }
        org.fena.dynamics.stability.Feedback.Kind k;
        try {
            k = org.fena.dynamics.stability.Feedback.kind(kind);
        } catch (IllegalArgumentException e) {
            throw (n.raw().isTextual() ? n : n.get("kind")).error("one of transpose, random, mixed");
        }
        if (!(mix >= 0 && mix <= 1)) {
            throw n.get("mix").error("a number in [0, 1] (the share of random feedback)");
        }
        if (!Double.isFinite(scale)) {
            throw n.get("scale").error("a finite number");
        }
        return org.fena.dynamics.stability.Feedback.of(k, hierarchy, scale, mix, fseed);
    }

    private static String stripExtension(String s) {
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
