package org.fena.dynamics.jobs;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The default engine: a pool of threads on this machine, no Spark. Threads take the next task
 * index from a shared counter (so slow tasks do not leave threads idle) and put its row at that
 * index; the first failure stops the job.
 */
public final class LocalEngine implements Engine {

    private final int threads;

    /** An engine with {@code threads} threads (0: every core). */
    public LocalEngine(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String master() {
        return "local[" + threads + "]";
    }

    /** The number of threads. */
    public int threads() {
        return threads;
    }

    @Override
    public JobResult run(Job job, ProgressListener progress) {
        int n = job.tasks();
        double[][] rows = new double[n][];
        double[] secs = new double[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long start = System.nanoTime();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                try {
                    rows[i] = job.runTask(i);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    return;
                }
                secs[i] = (System.nanoTime() - t0) * 1e-9;
                progress.update(done.incrementAndGet(), n);
            }
        };
        int pool = Math.min(threads, n);
        if (pool == 1) {
            worker.run();
        } else {
            ExecutorService ex = Executors.newFixedThreadPool(pool, r -> {
                Thread t = new Thread(r, "fena-job");
                t.setDaemon(true);
                return t;
            });
            try {
                for (int k = 0; k < pool; k++) {
                    ex.execute(worker);
                }
                ex.shutdown();
                while (!ex.awaitTermination(1, TimeUnit.SECONDS)) {
                    // waiting: every worker ends when the indices run out or a task fails
                }
            } catch (InterruptedException e) {
                ex.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + job.name(), e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new JobResult(rows, secs, name(), master(), 1, (System.nanoTime() - start) * 1e-9);
    }

    @Override
    public void close() {
        // threads live only while a job runs
    }
}
