package org.fena.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.fena.annealing.NoiseSchedule;
import org.fena.consolidation.DownScaling;
import org.fena.consolidation.EpisodicReplay;
import org.fena.consolidation.FastToSlowTransfer;
import org.fena.consolidation.GenerativeReplay;
import org.fena.consolidation.InterleavedDreams;
import org.fena.consolidation.Sleep;
import org.fena.consolidation.SleepStrategy;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.StochasticIntegrator;

/**
 * The {@code sleep:} section shared by {@code fena sleep} and {@code fena continual}: duration,
 * batch, update rule and rate of the sleep, the strategies it composes (in order) and each
 * strategy's parameters. Unknown keys are refused, every error names the file and key.
 */
final class SleepSettings {

    static final Set<String> KEYS = Set.of("duration", "batch", "update", "rate", "strategies", "replay", "dream",
            "downscale", "transfer");
    static final Set<String> STRATEGIES = Set.of("replay", "dream", "downscale", "transfer");
    static final Set<String> DREAM_KEYS = Set.of("schedule", "integrator", "step", "t_end", "spread", "clip", "mix");
    static final Set<String> DOWNSCALE_KEYS = Set.of("mode", "factor", "level", "layers");
    static final Set<String> TRANSFER_KEYS = Set.of("mode", "alpha", "rate", "decay");

    final int duration;
    final int batch;
    final UpdateRule update;
    final double rate;
    final List<String> strategies;
    private final ConfigNode node;

    SleepSettings(ConfigNode n) {
        this.node = n.isMissing() ? n : n.requireObject(KEYS);
        this.duration = n.intAtLeast("duration", 0, 200);
        this.batch = n.intAtLeast("batch", 1, 32);
        try {
            this.update = UpdateRule.byName(n.textOr("update", "adam"));
        } catch (IllegalArgumentException e) {
            throw n.get("update").error("sgd or adam");
        }
        this.rate = n.nonNegative("rate", 1e-3);
        this.strategies = n.has("strategies") ? names(n.get("strategies")) : List.of();
        // build once so a bad parameter is reported when the file is read, not after training
        for (String s : STRATEGIES) {
            strategy(s);
        }
    }

    /** Strategy names from a YAML list, each checked. */
    static List<String> names(ConfigNode list) {
        List<String> out = new ArrayList<>();
        for (ConfigNode c : list.elements()) {
            String s = c.asText();
            if (!STRATEGIES.contains(s)) {
                throw c.error("one of replay, dream, downscale, transfer");
            }
            if (out.contains(s)) {
                throw c.error("each strategy once");
            }
            out.add(s);
        }
        return out;
    }

    /** A sleep of {@code names} (fresh strategy objects) with {@code seed}. */
    Sleep sleep(List<String> names, long seed) {
        List<SleepStrategy> st = new ArrayList<>();
        for (String s : names) {
            st.add(strategy(s));
        }
        return new Sleep(st, duration, batch, update, rate, seed);
    }

    /** The configured sleep. */
    Sleep sleep(long seed) {
        return sleep(strategies, seed);
    }

    /**
     * Dreams of the {@code dream:} parameters interleaved with waking batches, {@code ratio} dreamed
     * batches (of the sleep's batch) per waking batch, seeded per waking period by the benchmark.
     */
    InterleavedDreams interleaved(double ratio) {
        return new InterleavedDreams((GenerativeReplay) strategy("dream"), ratio, batch, 0);
    }

    private SleepStrategy strategy(String name) {
        ConfigNode p = node.get(name);
        try {
            switch (name) {
                case "replay":
                    if (!p.isMissing()) {
                        p.requireObject(Set.of());
                    }
                    return new EpisodicReplay();
                case "dream": {
                    if (!p.isMissing()) {
                        p.requireObject(DREAM_KEYS);
                    }
                    NoiseSchedule schedule = p.has("schedule") ? NoiseSettings.schedule(p.get("schedule"))
                            : org.fena.annealing.NoiseSchedules.create("linear",
                                    java.util.Map.of("t0", 0.05, "duration", 4.0));
                    String integ = p.textOr("integrator", "euler-maruyama");
                    if (!StochasticIntegrator.NAMES.contains(StochasticIntegrator.canonicalName(integ))) {
                        throw p.get("integrator").error("one of " + StochasticIntegrator.NAMES);
                    }
                    double lo = 0;
                    double hi = 1;
                    if (p.has("clip")) {
                        List<ConfigNode> c = p.get("clip").elements();
                        if (c.size() != 2) {
                            throw p.get("clip").error("[lo, hi]");
                        }
                        lo = c.get(0).asDouble();
                        hi = c.get(1).asDouble();
                    }
                    return new GenerativeReplay(schedule, integ, p.positive("step", 0.2), p.positive("t_end", 4.0),
                            p.nonNegative("spread", 1.0), lo, hi).withMix(p.nonNegative("mix", 0.0));
                }
                case "downscale": {
                    if (!p.isMissing()) {
                        p.requireObject(DOWNSCALE_KEYS);
                    }
                    int[] layers = new int[0];
                    if (p.has("layers")) {
                        List<ConfigNode> ls = p.get("layers").elements();
                        layers = new int[ls.size()];
                        for (int i = 0; i < layers.length; i++) {
                            layers[i] = (int) ls.get(i).asLong();
                        }
                    }
                    return new DownScaling(DownScaling.Mode.byName(p.textOr("mode", "per_unit")),
                            p.positive("factor", 1.0), p.positive("level", 1.0), layers);
                }
                case "transfer":
                    if (!p.isMissing()) {
                        p.requireObject(TRANSFER_KEYS);
                    }
                    switch (FastToSlowTransfer.Mode.byName(p.textOr("mode", "interpolate"))) {
                        case INTERPOLATE:
                            if (p.has("rate") || p.has("decay")) {
                                throw p.get(p.has("rate") ? "rate" : "decay").error(
                                        "nothing with mode interpolate (rate and decay are distill's)");
                            }
                            return new FastToSlowTransfer(p.nonNegative("alpha", 0.5));
                        default:
                            if (p.has("alpha")) {
                                throw p.get("alpha").error("nothing with mode distill (alpha is interpolate's)");
                            }
                            return FastToSlowTransfer.distill(p.has("rate") ? p.nonNegative("rate", 0) : Double.NaN,
                                    p.nonNegative("decay", 1.0));
                    }
                default:
                    throw new IllegalStateException(name);
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(node.file() + ": " + (node.path().isEmpty() ? name : node.path() + "." + name) + ": "
                    + e.getMessage(), e);
        }
    }
}
