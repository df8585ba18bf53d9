package org.fena.cli;

import org.fena.dynamics.jobs.LangevinEnsemble;
import org.fena.dynamics.jobs.TaskFunction;
import org.fena.dynamics.stability.Problem;

/**
 * A run of {@code fena ensemble} as a task a worker can run: the experiment's text and the
 * ensemble's settings, rebuilt into a {@link LangevinEnsemble} once per worker JVM.
 */
final class EnsembleTask implements TaskFunction {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final byte[] bytes;
    private final String digest;
    private final int runs;
    private final long seed;

    /** Runs {@code runs} members (per temperature) of the ensemble the experiment describes, seeded with {@code seed}. */
    EnsembleTask(Experiment exp, int runs, long seed) {
        this.file = exp.file.toString();
        this.bytes = exp.bytes.clone();
        this.digest = RunInfo.sha256(bytes);
        this.runs = runs;
        this.seed = seed;
    }

    /** The ensemble (also used by the driver to check the settings before anything runs). */
    LangevinEnsemble ensemble() {
        return TaskSources.cached("ensemble:" + digest + ":" + runs, file, bytes,
                exp -> EnsembleSettings.read(exp).ensemble(exp, runs));
    }

    @Override
    public double[] run(int index, long taskSeed) {
        // the ensemble keys noise by run (not task) index, so temperatures share streams
        return ensemble().evaluate(index, seed);
    }

    @Override
    public String describe(int index) {
        return ensemble().describe(index);
    }

    /** The problem the ensemble settles, for the driver's report. */
    Problem problem() {
        return TaskSources.cached("ensemble-problem:" + digest, file, bytes,
                exp -> (Problem) TaskSources.sample(exp, EnsembleSettings.read(exp).sample())[0]);
    }
}
