package org.fena.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

import org.fena.cli.TrainConfig;
import org.fena.dynamics.data.LabelledData;
import org.fena.dynamics.learning.EpochReport;
import org.fena.dynamics.learning.PcTrainer;

/**
 * What learning adds to the memory of settling: in this (fresh) JVM, either settles every batch of
 * {@code --epochs} epochs of a training file's model with its training clamps and no weight step
 * ({@code --mode settle}, {@link PcTrainer#settleEpoch}), or trains those epochs (settle, then the
 * Hebbian step; {@code --mode train}, {@link PcTrainer#trainEpoch}). Same model, batch, data and
 * order; run each mode in its own JVM with the same flags and compare the peak resident sets
 * ({@code VmHWM}). Prints one JSON line, including the bytes the epoch loop allocated on the heap
 * (the usual reason one resident set outgrows the other).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/fena-bench.jar org.fena.bench.TrainMemory \
 *      --config examples/mnist-pc.yaml --mode settle|train [--epochs 1]
 * </pre>
 * See {@code bench/memory-train.sh}, which runs both modes side by side several times.
 */
public final class TrainMemory {

    private TrainMemory() {
    }

    /** Entry point; exit status 2 on bad arguments. */
    public static void main(String[] args) {
        Path config = null;
        String mode = null;
        int epochs = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (config == null || mode == null || !(mode.equals("settle") || mode.equals("train")) || epochs < 1) {
            usage("--config FILE and --mode settle|train are required; --epochs >= 1");
        }
        TrainConfig cfg;
        LabelledData train;
        try {
            cfg = TrainConfig.load(config);
            train = cfg.split().train();
        } catch (IllegalArgumentException e) {
            System.err.println("TrainMemory: " + e.getMessage());
            System.exit(2);
            return;
        }
        PcTrainer trainer = new PcTrainer(cfg.hierarchy(), cfg.settings());
        long rssLoaded = Harness.peakRssKb();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long alloc0 = threads.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        int batches = 0;
        double rhs = 0;
        for (int e = 0; e < epochs; e++) {
            EpochReport r = mode.equals("train") ? trainer.trainEpoch(train) : trainer.settleEpoch(train);
            batches += r.batches();
            rhs += r.rhsPerBatch() * r.batches();
        }
        double wall = (System.nanoTime() - t0) * 1e-9;
        long allocated = threads.getThreadAllocatedBytes(tid) - alloc0;
        long peak = Harness.peakRssKb();
        Runtime rt = Runtime.getRuntime();
        System.out.println(String.format(Locale.ROOT,
                "{\"mode\": \"%s\", \"config\": \"%s\", \"batch\": %d, \"epochs\": %d, \"batches\": %d, "
                        + "\"rhs_per_batch\": %.1f, \"wall_seconds\": %.2f, \"allocated_bytes\": %d, "
                        + "\"allocated_bytes_per_batch\": %.0f, \"rss_after_load_kb\": %d, \"peak_rss_kb\": %d, "
                        + "\"heap_max_mb\": %d, \"jvm_args\": \"%s\"}",
                mode, config, cfg.settings().batch(), epochs, batches, rhs / Math.max(1, batches), wall, allocated,
                allocated / (double) Math.max(1, batches), rssLoaded, peak, rt.maxMemory() >> 20,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()).replace("\"", "'")));
    }

    private static void usage(String why) {
        System.err.println("TrainMemory: " + why + "\nusage: TrainMemory --config FILE --mode settle|train [--epochs N]");
        System.exit(2);
    }
}
