package org.fena.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.fena.annealing.NoiseSchedule;
import org.fena.annealing.NoiseSchedules;
import org.fena.dynamics.StopCriteria;
import org.fena.integrators.StochasticIntegrator;

/**
 * The {@code noise:} section of an experiment, read by {@code fena anneal}: the temperature
 * schedule {@code T(t)}, the stochastic integrator and its step, the seed of the per-sample noise
 * streams, the final time, and how the batch is spread over threads.
 *
 * @param schedule        {@code T(t)}
 * @param integrator      the fixed-step stochastic integrator
 * @param seed            master seed of the per-sample streams
 * @param tEnd            final simulated time
 * @param threads         threads over chunks of samples (never changes the result)
 * @param samplesPerChunk samples per chunk (0: the whole batch)
 * @param compare         also settle noise-free from the same initial states, for comparison
 */
record NoiseSettings(NoiseSchedule schedule, StochasticIntegrator integrator, long seed, double tEnd, int threads,
                     int samplesPerChunk, boolean compare) {

    static final Set<String> KEYS = Set.of("schedule", "integrator", "step", "seed", "t_end", "threads",
            "samples_per_chunk", "compare");

    /** Reads {@code noise:}; null when absent. {@code seed} and {@code stop} are the experiment's. */
    static NoiseSettings read(ConfigNode n, long seed, StopCriteria stop) {
        if (n.isMissing()) {
            return null;
        }
        n.requireObject(KEYS);
        NoiseSchedule schedule = schedule(n.get("schedule"));
        double step = n.positive("step", Double.NaN);
        if (Double.isNaN(step)) {
            throw n.get("step").error("the fixed step of the stochastic integrator, a number > 0");
        }
        ConfigNode m = n.get("integrator");
        StochasticIntegrator integrator;
        try {
            integrator = StochasticIntegrator.create(m.isMissing() ? "euler-maruyama" : m.asText(), step);
        } catch (IllegalArgumentException e) {
            throw new UserError(n.file() + ": " + m.path() + ": " + e.getMessage(), e);
        }
        double tEnd = n.positive("t_end", stop.tMax());
        if (Double.isInfinite(tEnd)) {
            throw n.get("t_end").error("a final time > 0 (or stop.t_max): annealing runs to a final time");
        }
        return new NoiseSettings(schedule, integrator, n.longOr("seed", seed), tEnd, n.intAtLeast("threads", 1, 1),
                n.intAtLeast("samples_per_chunk", 0, 0), n.boolOr("compare", true));
    }

    /** A schedule from {@code {kind: NAME, PARAM: value, ...}}. */
    static NoiseSchedule schedule(ConfigNode s) {
        if (s.isMissing() || !s.raw().isObject() || !s.has("kind")) {
            throw s.error("a mapping {kind: one of " + String.join(", ", NoiseSchedules.kinds())
                    + ", and its parameters}, e.g. {kind: exponential, t0: 1.0, rate: 0.1}");
        }
        String kind = s.get("kind").asText();
        Map<String, Object> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.raw().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("kind")) {
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                params.put(e.getKey(), v.asDouble());
            } else if (v.isArray()) {
                List<Object> list = new ArrayList<>();
                v.forEach(x -> list.add(x.isNumber() ? (Object) x.asDouble() : x.asText()));
                params.put(e.getKey(), list);
            } else {
                params.put(e.getKey(), v.asText());
            }
        }
        try {
            return NoiseSchedules.create(kind, params);
        } catch (IllegalArgumentException e) {
            throw new UserError(s.file() + ": " + s.path() + ": " + e.getMessage(), e);
        }
    }
}
