package org.fena.cli;

import java.util.Locale;
import java.util.Set;

import org.fena.dynamics.jobs.LangevinEnsemble;
import org.fena.dynamics.stability.Problem;

/**
 * The {@code ensemble:} section read by {@code fena ensemble}, beside the experiment's {@code noise:}
 * section (schedule, stochastic integrator, step, {@code t_end}):
 *
 * <pre>
 * ensemble:
 *   runs: 200                                  # members (per temperature)
 *   seed: 5                                    # job seed (default: noise.seed)
 *   sample: 0                                  # which sample of the batch (clamps, initial state)
 *   temperatures: [0.1, 0.2]                   # constant T per block of runs (else noise.schedule)
 *   start: {rule: uniform, low: -4, high: 4}   # per-run random start (else the initial state)
 *   target: {layer: 1, center: [-2], radius: 0.5}   # or {energy_below: 0.6}
 *   stop_on_hit: true                          # end a run at its first arrival
 * </pre>
 *
 * @param runs         members per temperature
 * @param seed         the job's seed
 * @param sample       the batch sample that is settled
 * @param temperatures constant temperatures, or null
 * @param start        per-run start, or null
 * @param target       target region, or null
 * @param stopOnHit    end runs at arrival
 * @param noise        the experiment's noise settings
 */
record EnsembleSettings(int runs, long seed, int sample, double[] temperatures, LangevinEnsemble.Start start,
        LangevinEnsemble.Target target, boolean stopOnHit, NoiseSettings noise) {

    static final Set<String> KEYS = Set.of("runs", "seed", "sample", "temperatures", "start", "target", "stop_on_hit");

    /** Reads and checks the sections; every problem is a {@link UserError} naming the key. */
    static EnsembleSettings read(Experiment exp) {
        if (exp.noise == null) {
            throw new UserError(exp.file + ": noise: expected a 'noise:' section (schedule, integrator, step, t_end),"
                    + " e.g. noise: {schedule: {kind: constant, t: 0.2}, integrator: euler-maruyama, step: 0.01, t_end: 100}");
        }
        ConfigNode n = exp.section("ensemble");
        if (n.isMissing()) {
            return new EnsembleSettings(100, exp.noise.seed(), 0, null, null, null, false, exp.noise);
        }
        n.requireObject(KEYS);
        int runs = n.intAtLeast("runs", 1, 100);
        long seed = n.longOr("seed", exp.noise.seed());
        int sample = n.intAtLeast("sample", 0, 0);
        double[] temps = null;
        if (n.has("temperatures")) {
            Matrices.Values v = Matrices.read(n.get("temperatures"));
            temps = v.data();
            if (temps.length == 0) {
                throw n.get("temperatures").error("a list of temperatures >= 0");
            }
            for (double t : temps) {
                if (!(t >= 0) || Double.isInfinite(t)) {
                    throw n.get("temperatures").error("a list of finite temperatures >= 0");
                }
            }
        }
        LangevinEnsemble.Start start = null;
        if (n.has("start")) {
            ConfigNode s = n.get("start").requireObject(Set.of("rule", "low", "high", "mean", "std"));
            String rule = s.get("rule").isMissing() ? "" : s.get("rule").asText().toLowerCase(Locale.ROOT);
            switch (rule) {
                case "uniform" -> {
                    double lo = s.doubleOr("low", 0.0);
                    double hi = s.doubleOr("high", 1.0);
                    if (!(hi > lo)) {
                        throw s.get("high").error("a number above low = " + lo);
                    }
                    start = new LangevinEnsemble.Start("uniform", lo, hi);
                }
                case "normal" -> start = new LangevinEnsemble.Start("normal", s.doubleOr("mean", 0.0),
                        s.nonNegative("std", 1.0));
                default -> throw s.get("rule").error("'uniform' (low, high) or 'normal' (mean, std)");
            }
        }
        LangevinEnsemble.Target target = null;
        if (n.has("target")) {
            ConfigNode t = n.get("target").requireObject(Set.of("layer", "center", "radius", "energy_below"));
            if (t.has("energy_below")) {
                if (t.has("layer") || t.has("center") || t.has("radius")) {
                    throw t.get("energy_below").error("either energy_below alone or layer, center and radius");
                }
                target = LangevinEnsemble.Target.energyBelow(t.doubleOr("energy_below", 0));
            } else {
                if (!t.has("layer") || !t.has("center") || !t.has("radius")) {
                    throw t.error("{layer: L, center: [...], radius: r} or {energy_below: E}");
                }
                int layer = t.intAtLeast("layer", 0, 0);
                if (layer >= exp.hierarchy.layers() || exp.clamps.containsKey(layer)) {
                    throw t.get("layer").error("a free layer (0.." + (exp.hierarchy.layers() - 1) + ", not clamped)");
                }
                Matrices.Values c = Matrices.read(t.get("center"));
                int d = exp.hierarchy.dim(layer);
                double[] center = c.scalar() && d > 1 ? filled(d, c.data()[0]) : c.data();
                if (center.length != d) {
                    throw t.get("center").error(d + " numbers (layer " + layer + "'s dim)");
                }
                double r = t.positive("radius", Double.NaN);
                target = LangevinEnsemble.Target.ball(layer, center, r);
            }
        }
        boolean stop = n.boolOr("stop_on_hit", false);
        if (stop && target == null) {
            throw n.get("stop_on_hit").error("false, or a target: stop_on_hit ends a run at the target");
        }
        if (sample >= exp.batch) {
            throw n.get("sample").error("a sample index in 0.." + (exp.batch - 1) + " (batch " + exp.batch + ")");
        }
        return new EnsembleSettings(runs, seed, sample, temps, start, target, stop, exp.noise);
    }

    /** The ensemble of {@code runs} members per temperature on the experiment's sample. */
    LangevinEnsemble ensemble(Experiment exp, int runs) {
        Object[] pair = TaskSources.sample(exp, sample);
        try {
            return new LangevinEnsemble((Problem) pair[0], (double[]) pair[1], start, noise.schedule(), temperatures,
                    noise.integrator(), noise.tEnd(), target, stopOnHit, runs);
        } catch (IllegalArgumentException e) {
            throw new UserError(exp.file + ": ensemble: " + e.getMessage(), e);
        }
    }

    private static double[] filled(int d, double v) {
        double[] a = new double[d];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
