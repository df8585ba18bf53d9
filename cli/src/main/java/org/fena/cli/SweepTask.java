package org.fena.cli;

import java.util.ArrayList;
import java.util.List;

import org.fena.dynamics.jobs.SweepGrid;
import org.fena.dynamics.jobs.TaskFunction;
import org.fena.dynamics.stability.Problem;
import org.fena.dynamics.stability.StabilityRegion;
import org.fena.dynamics.stability.SweepParameter;

/**
 * A grid point of {@code fena sweep} as a task a worker can run: it carries the experiment's text,
 * not its objects, and rebuilds the problem there ({@link TaskSources}).
 */
final class SweepTask implements TaskFunction {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final byte[] bytes;
    private final String digest;
    private final int sample;
    private final String[] parameters;
    private final double[][] values;
    private final double step;

    /** The grid of {@code parameters} (paths) over {@code values} on sample {@code sample} of the experiment. */
    SweepTask(Experiment exp, int sample, List<SweepParameter> parameters, double[][] values, double step) {
        this.file = exp.file.toString();
        this.bytes = exp.bytes.clone();
        this.digest = RunInfo.sha256(bytes);
        this.sample = sample;
        this.parameters = parameters.stream().map(SweepParameter::path).toArray(String[]::new);
        this.values = values.clone();
        this.step = step;
    }

    /** What a worker builds once: the problem, its start, the grid and the stability region. */
    record Prepared(Problem problem, double[] x0, SweepGrid grid, StabilityRegion region) {
    }

    /** The prepared problem (also used by the driver, for validation and crossings). */
    Prepared prepared() {
        return TaskSources.cached("sweep:" + digest + ":" + sample + ":" + String.join(",", parameters)
                + ":" + java.util.Arrays.deepHashCode(values), file, bytes, exp -> {
                    Object[] pair = TaskSources.sample(exp, sample);
                    Problem p = (Problem) pair[0];
                    List<SweepParameter> ps = new ArrayList<>();
                    for (String s : parameters) {
                        ps.add(SweepParameter.parse(s));
                    }
                    var h = p.hierarchy();
                    List<Integer> layers = new ArrayList<>();
                    for (int l = 0; l < h.layers(); l++) {
                        if (!p.clamped()[l]) {
                            layers.add(l);
                        }
                    }
                    int[] fl = layers.stream().mapToInt(Integer::intValue).toArray();
                    int[] fd = layers.stream().mapToInt(h::dim).toArray();
                    return new Prepared(p, (double[]) pair[1], new SweepGrid(ps, values, fl, fd),
                            StabilityRegion.forIntegrator(exp.integrator.name()));
                });
    }

    @Override
    public double[] run(int index, long seed) {
        Prepared p = prepared();
        return p.grid().evaluate(p.problem(), p.x0(), p.region(), step, index);
    }

    @Override
    public String describe(int index) {
        return prepared().grid().describe(index);
    }
}
