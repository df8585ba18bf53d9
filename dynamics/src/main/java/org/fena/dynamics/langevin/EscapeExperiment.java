package org.fena.dynamics.langevin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.fena.annealing.NoiseSchedule;
import org.fena.integrators.DivergenceException;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepState;
import org.fena.integrators.StochasticIntegrator;
import org.fena.integrators.StopRules;

/**
 * Escape from energy traps: many seeded Langevin runs on a landscape with known minima, from the
 * same initial states under every schedule, counting how many end in the global minimum.
 *
 * <p>Run {@code i} starts at {@code starts[i]} and draws its noise from stream {@code i} of
 * {@link SampleStreams#split}{@code (seed, runs)} — the same stream under every schedule (common
 * random numbers), so schedules differ only by their temperatures. Each run ends in the basin of
 * the nearest minimum; give schedules an {@link NoiseSchedule#until until} well before
 * {@code tEnd} so that every run has settled noise-free into a minimum by then. Results are stored
 * by run index, so the thread count never changes them.
 */
public final class EscapeExperiment {

    private final Supplier<EnergyLandscape> landscape;
    private final List<double[]> minima;
    private final double[][] starts;
    private final Map<String, NoiseSchedule> schedules;
    private final String integrator;
    private final double step;
    private final double tEnd;
    private final long seed;
    private final int threads;
    private final int recordEvery;

    /**
     * @param landscape   makes one landscape per thread (an immutable one may return itself)
     * @param minima      the landscape's local minima, the global one first
     * @param starts      one initial state per run
     * @param schedules   named schedules, in report order (include a noise-free one to compare)
     * @param integrator  stochastic integrator name ({@link StochasticIntegrator#create})
     * @param step        its fixed step
     * @param tEnd        final time of every run
     * @param seed        master seed of the per-run streams
     * @param threads     worker threads (results do not depend on it)
     * @param recordEvery steps between recorded points of the mean-energy curve
     */
    public EscapeExperiment(Supplier<EnergyLandscape> landscape, List<double[]> minima, double[][] starts,
                            Map<String, NoiseSchedule> schedules, String integrator, double step, double tEnd,
                            long seed, int threads, int recordEvery) {
        if (minima.isEmpty()) {
            throw new IllegalArgumentException("no minima given");
        }
        if (starts.length == 0) {
            throw new IllegalArgumentException("no runs: give at least one initial state");
        }
        if (schedules.isEmpty()) {
            throw new IllegalArgumentException("no schedules given");
        }
        if (!(tEnd > 0) || Double.isInfinite(tEnd)) {
            throw new IllegalArgumentException("t_end must be a finite number > 0, got " + tEnd);
        }
        if (threads < 1 || recordEvery < 1) {
            throw new IllegalArgumentException("threads and record_every must be >= 1");
        }
        StochasticIntegrator.create(integrator, step); // validates name and step now, not in a worker
        this.landscape = landscape;
        this.minima = List.copyOf(minima);
        this.starts = starts;
        this.schedules = new LinkedHashMap<>(schedules);
        this.integrator = integrator;
        this.step = step;
        this.tEnd = tEnd;
        this.seed = seed;
        this.threads = threads;
        this.recordEvery = recordEvery;
    }

    /** {@code runs} initial states drawn uniformly from the box {@code [low, high]} with a seeded stream. */
    public static double[][] uniformStarts(long seed, int runs, double[] low, double[] high) {
        if (low.length != high.length) {
            throw new IllegalArgumentException("low and high differ in dimension");
        }
        for (int j = 0; j < low.length; j++) {
            if (!(high[j] > low[j])) {
                throw new IllegalArgumentException("need low < high in every coordinate; coordinate " + j
                        + ": low " + low[j] + ", high " + high[j]);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[runs][low.length];
        for (int i = 0; i < runs; i++) {
            for (int j = 0; j < low.length; j++) {
                out[i][j] = low[j] + (high[j] - low[j]) * rng.nextDouble();
            }
        }
        return out;
    }

    /**
     * The schedules of the README's experiment 1 for an annealing phase of length {@code tAnneal}
     * (noise off from then on): noise-free; constant {@code T = 0.2}; linear, cosine from 0.8 to 0;
     * exponential from 0.8 to 0.05; geometric from 0.8 by 0.7 every {@code tAnneal/8}; logarithmic
     * with {@code c = 0.8}; steps 0.6, 0.4, 0.25, 0.15 over the quarters.
     */
    public static Map<String, NoiseSchedule> threeWellSchedules(double tAnneal) {
        Map<String, NoiseSchedule> s = new LinkedHashMap<>();
        s.put("noise-free", NoiseSchedule.noiseFree());
        s.put("constant", NoiseSchedule.constant(0.2).until(tAnneal));
        s.put("linear", NoiseSchedule.linear(0.8, 0.0, tAnneal));
        s.put("exponential", NoiseSchedule.exponential(0.8, Math.log(16) / tAnneal).until(tAnneal));
        s.put("geometric", NoiseSchedule.geometric(0.8, 0.7, tAnneal / 8).until(tAnneal));
        s.put("logarithmic", NoiseSchedule.logarithmic(0.8).until(tAnneal));
        s.put("cosine", NoiseSchedule.cosine(0.8, 0.0, tAnneal));
        s.put("piecewise", NoiseSchedule.piecewise(new double[] {0, tAnneal / 4, tAnneal / 2, 3 * tAnneal / 4},
                new double[] {0.6, 0.4, 0.25, 0.15}).until(tAnneal));
        return s;
    }

    /** Runs every schedule and returns their outcomes in schedule order. */
    public List<Outcome> run() {
        List<Outcome> out = new ArrayList<>();
        ExecutorService ex = threads > 1 ? Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "fena-escape");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            for (Map.Entry<String, NoiseSchedule> e : schedules.entrySet()) {
                out.add(runSchedule(e.getKey(), e.getValue(), ex));
            }
        } finally {
            if (ex != null) {
                ex.shutdownNow();
            }
        }
        return out;
    }

    private Outcome runSchedule(String name, NoiseSchedule schedule, ExecutorService ex) {
        long start = System.nanoTime();
        int runs = starts.length;
        SplittableRandom[] streams = SampleStreams.split(seed, runs);
        long steps = (long) Math.ceil(tEnd / step - 1e-9);
        int rows = (int) (steps / recordEvery) + 2;
        double[] finalEnergy = new double[runs];
        int[] basin = new int[runs];
        double[][] energies = new double[runs][];
        int block = Math.max(1, runs / (8 * threads));
        List<int[]> ranges = new ArrayList<>();
        for (int i0 = 0; i0 < runs; i0 += block) {
            ranges.add(new int[] {i0, Math.min(runs, i0 + block)});
        }
        List<Runnable> tasks = new ArrayList<>();
        for (int[] r : ranges) {
            tasks.add(() -> {
                EnergyLandscape land = landscape.get();
                for (int i = r[0]; i < r[1]; i++) {
                    energies[i] = new double[rows];
                    double[] x = starts[i].clone();
                    finalEnergy[i] = single(land, schedule, x, streams[i], energies[i]);
                    basin[i] = Double.isFinite(finalEnergy[i]) ? nearest(x) : -1;
                }
            });
        }
        if (ex == null) {
            tasks.forEach(Runnable::run);
        } else {
            List<Future<?>> fs = new ArrayList<>();
            for (Runnable t : tasks) {
                fs.add(ex.submit(t));
            }
            try {
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
            }
        }
        // the mean energy curve over runs, on the recorded grid (rows of diverged runs are NaN)
        int used = 0;
        while (used < rows && !Double.isNaN(energies[0][used])) {
            used++;
        }
        double[] times = new double[used];
        double[] temps = new double[used];
        double[] mean = new double[used];
        for (int k = 0; k < used; k++) {
            times[k] = Math.min(tEnd, k == used - 1 ? tEnd : k * recordEvery * step);
            temps[k] = schedule.temperature(times[k]);
            double s = 0;
            for (int i = 0; i < runs; i++) {
                s += energies[i][k];
            }
            mean[k] = s / runs;
        }
        int[] counts = new int[minima.size()];
        int global = 0;
        int diverged = 0;
        for (int b : basin) {
            if (b < 0) {
                diverged++;
            } else {
                counts[b]++;
                global += b == 0 ? 1 : 0;
            }
        }
        return new Outcome(name, schedule, runs, (double) global / runs, counts, diverged, finalEnergy, basin,
                times, temps, mean, (System.nanoTime() - start) * 1e-9);
    }

    /** One run: returns the final energy (NaN if it diverged); {@code x} ends at the final state. */
    private double single(EnergyLandscape land, NoiseSchedule schedule, double[] x, SplittableRandom rng,
                          double[] energyRows) {
        Arrays.fill(energyRows, Double.NaN);
        double[] tau = new double[x.length];
        Arrays.fill(tau, 1.0);
        LandscapeFlow flow = new LandscapeFlow(land, tau);
        LangevinSystem sys = new LangevinSystem(flow, tau, schedule, z -> {
            for (int j = 0; j < z.length; j++) {
                z[j] = rng.nextGaussian();
            }
        });
        StepObserver rec = new StepObserver() {
            private int row;

            @Override
            public void start(StepState s) {
                energyRows[row++] = flow.lastEnergy();
            }

            @Override
            public void step(StepState s) {
                if (s.steps() % recordEvery == 0 && row < energyRows.length - 1) {
                    energyRows[row++] = flow.lastEnergy();
                }
            }

            @Override
            public void finish(StepState s, org.fena.integrators.Termination t) {
                if (s.steps() % recordEvery != 0) {
                    energyRows[row++] = flow.lastEnergy();
                }
            }
        };
        try {
            StochasticIntegrator.create(integrator, step).integrate(sys, 0.0, x, StopRules.finalTime(tEnd), rec);
        } catch (DivergenceException e) {
            return Double.NaN;
        }
        return land.energy(x, null);
    }

    private int nearest(double[] x) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int m = 0; m < minima.size(); m++) {
            double[] c = minima.get(m);
            double d = 0;
            for (int j = 0; j < x.length; j++) {
                d += (x[j] - c[j]) * (x[j] - c[j]);
            }
            if (d < bestD) {
                bestD = d;
                best = m;
            }
        }
        return best;
    }

    /**
     * What one schedule did over all runs.
     *
     * @param name           the schedule's name in the experiment
     * @param schedule       the schedule
     * @param runs           number of runs
     * @param fractionGlobal fraction of runs ending in the global minimum's basin
     * @param basinCounts    runs ending near each minimum, global first
     * @param diverged       runs whose state became non-finite
     * @param finalEnergies  final energy of every run, by run index
     * @param basins         index of the minimum each run ended at (-1: diverged)
     * @param times          times of the mean-energy curve
     * @param temperatures   {@code T(t)} at those times
     * @param meanEnergy     energy averaged over runs at those times
     * @param wallSeconds    wall-clock time of this schedule's runs
     */
    public record Outcome(String name, NoiseSchedule schedule, int runs, double fractionGlobal, int[] basinCounts,
                          int diverged, double[] finalEnergies, int[] basins, double[] times,
                          double[] temperatures, double[] meanEnergy, double wallSeconds) {

        /** Binomial standard error of {@link #fractionGlobal()}. */
        public double standardError() {
            return Math.sqrt(fractionGlobal * (1 - fractionGlobal) / runs);
        }
    }
}
