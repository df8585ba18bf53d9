package org.fena.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.fena.dynamics.Settler;
import org.fena.dynamics.stability.Problem;
import org.fena.hierarchy.EnergyWorkspace;

/**
 * What a task rebuilds on a worker from the experiment text it was shipped with: the experiment
 * is parsed once per JVM and kept (keyed by its digest and what was derived from it), so a worker
 * running thousands of tasks parses its config once, not thousands of times.
 */
final class TaskSources {

    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();

    private TaskSources() {
    }

    /** The object {@code make} derives from the experiment {@code (file, bytes)}, built once per key. */
    @SuppressWarnings("unchecked")
    static <T> T cached(String key, String file, byte[] bytes, Function<Experiment, T> make) {
        return (T) CACHE.computeIfAbsent(key, k -> make.apply(Experiment.parse(Path.of(file), bytes)));
    }

    /** Sample {@code s} of the experiment's batch as a batch-1 problem and its initial free state. */
    static Object[] sample(Experiment exp, int s) {
        Settler settler;
        try {
            settler = exp.settler().build();
        } catch (IllegalArgumentException e) {
            throw new UserError(exp.file + ": " + e.getMessage(), e);
        }
        if (s < 0 || s >= exp.batch) {
            throw new UserError("sample: expected a sample index in 0.." + (exp.batch - 1) + " (batch " + exp.batch
                    + " in " + exp.file + "), got " + s);
        }
        EnergyWorkspace ws = settler.newWorkspace();
        double[] y0 = settler.initialState(ws);
        return Problem.sample(ws, y0, s, exp.feedback);
    }
}
