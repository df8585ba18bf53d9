package org.fena.hierarchy;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits one evaluation of a workspace by samples over the machine's cores. The samples of a
 * batch are independent, so part {@code p} computes rows {@code [r_p, r_{p+1})} of every buffer
 * and of the output; the per-layer energies of the parts are then added in part order, so the
 * result is the same whatever thread ran which part.
 *
 * <p>Used only where it pays: a batch of at least two samples per part, at least
 * {@link #MIN_MULTIPLY_ADDS} multiply-adds per evaluation, and cores that are ours: a pure-Java
 * BLAS, a native one told to run each product on the caller's thread
 * ({@link Blas#nativeSingleThreaded()}; a natively threaded BLAS already spreads each product over
 * the cores, and two layers of threads would fight, but then every elementwise pass runs on one
 * core), or parts of few enough rows that their products run in FENA's kernels
 * ({@link Blas#OWN_ROWS}). {@code -Dfena.split=on|off} overrides the choice. The number of parts is
 * {@code -Dfena.threads} (default: the available processors). Tasks are allocated once
 * and re-initialised for each evaluation: the hot loop allocates nothing.
 */
final class SampleParallel {

    /** Below this much work per evaluation the fork/join hand-off costs more than it saves. */
    static final long MIN_MULTIPLY_ADDS = 1L << 20;

    private final EnergyWorkspace ws;
    private final Part[] parts;
    private final double[][] partials;

    private SampleParallel(EnergyWorkspace ws, int batch, int n, int layers) {
        this.ws = ws;
        this.parts = new Part[n];
        this.partials = new double[n][layers];
        for (int p = 0; p < n; p++) {
            int r0 = (int) ((long) batch * p / n);
            int r1 = (int) ((long) batch * (p + 1) / n);
            parts[p] = new Part(r0, r1 - r0, partials[p]);
        }
    }

    /** The driver for a workspace, or null when the evaluation should stay on the caller's thread. */
    static SampleParallel forWorkspace(EnergyWorkspace ws, int batch, long multiplyAdds) {
        int threads = Integer.getInteger("fena.threads", Runtime.getRuntime().availableProcessors());
        int n = Math.min(threads, batch / 2);
        String mode = System.getProperty("fena.split", "auto");
        if (n < 2 || "off".equals(mode)) {
            return null;
        }
        if (!"on".equals(mode) && (multiplyAdds < MIN_MULTIPLY_ADDS || !(Blas.backendKind() != Blas.Backend.NATIVE
                || Blas.nativeSingleThreaded() || Blas.fewRows((batch + n - 1) / n)))) {
            return null;
        }
        return new SampleParallel(ws, batch, n, ws.hierarchy().layers());
    }

    /**
     * A driver with {@code parts} slices whatever size and backend, but, as the automatic choice, at
     * least two samples per slice: a one-sample slice takes the batch-1 kernels
     * ({@code VectorProducts}), whose sums run in another order than a batch's, so its results would
     * differ from the unsplit evaluation's in the last bits, and at a kink of the activation (ReLU's
     * derivative at exactly 0) by a whole step: {@code SampleParallelProperties} found a batch of two
     * split in two whose ReLU derivative was 1 in one and 0 in the other.
     */
    static SampleParallel forced(EnergyWorkspace ws, int batch, int parts) {
        int n = Math.min(parts, batch / 2);
        return n < 2 ? null : new SampleParallel(ws, batch, n, ws.hierarchy().layers());
    }

    /** Rows of the largest part. */
    int maxRows() {
        int m = 0;
        for (Part p : parts) {
            m = Math.max(m, p.rows);
        }
        return m;
    }

    /** Number of parts (threads) an evaluation is split into. */
    int parts() {
        return parts.length;
    }

    double evaluate(double[] free, double[] out, double[] perLayer, boolean flow, boolean lean) {
        for (Part p : parts) {
            p.reinitialize();
            p.set(free, out, flow, lean);
        }
        if (ForkJoinTask.inForkJoinPool() || ForkJoinPool.getCommonPoolParallelism() < 1) {
            for (Part p : parts) {
                p.compute();
            }
        } else {
            ForkJoinTask.invokeAll(parts);
        }
        double total = 0;
        int layers = partials[0].length;
        for (int l = 0; l < layers; l++) {
            double el = 0;
            for (double[] partial : partials) {
                el += partial[l];
            }
            if (perLayer != null) {
                perLayer[l] = el;
            }
            total += el;
        }
        return total;
    }

    /** One slice of samples; re-used for every evaluation. */
    private final class Part extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int r0;
        private final int rows;
        private final double[] perLayer;
        private transient double[] free;
        private transient double[] out;
        private boolean flow;
        private boolean lean;
        private final transient VectorGemm.Buffers buf = EnergyWorkspace.newGemmBuffers();

        Part(int r0, int rows, double[] perLayer) {
            this.r0 = r0;
            this.rows = rows;
            this.perLayer = perLayer;
        }

        void set(double[] f, double[] o, boolean isFlow, boolean isLean) {
            this.free = f;
            this.out = o;
            this.flow = isFlow;
            this.lean = isLean;
        }

        @Override
        protected void compute() {
            ws.evaluateRows(free, out, perLayer, flow, lean, r0, rows, buf);
        }
    }
}
