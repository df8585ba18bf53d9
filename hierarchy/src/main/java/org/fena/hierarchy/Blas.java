package org.fena.hierarchy;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The one BLAS every dense product of the hierarchy goes through, and a report of which
 * implementation {@code dev.ludovic.netlib} picked on this machine, for run manifests.
 *
 * <p>The library tries the system's native BLAS first (OpenBLAS when installed as
 * {@code libblas.so.3}), then the JDK Vector API (needs {@code --add-modules jdk.incubator.vector}),
 * then plain Java. Results agree to rounding whichever is picked, so a manifest records it only to
 * explain speed and last-bit differences between machines.
 */
public final class Blas {

    /** Which family of implementation is in use. */
    public enum Backend {
        /** JNI onto the system BLAS (OpenBLAS, MKL or the reference library, whichever is installed). */
        NATIVE,
        /** Pure Java vectorised with the incubating JDK Vector API. */
        VECTOR_API,
        /** Pure Java, scalar loops. */
        JAVA
    }

    private static final BLAS INSTANCE = choose(System.getProperty("fena.blas", "auto"));

    private static final boolean NATIVE_BACKEND = backendKind() == Backend.NATIVE;

    /**
     * The pure-Java BLAS (Vector API when present) for products too small to repay a JNI call:
     * below {@link #SMALL_PRODUCT} multiply-adds the crossing into native code costs more than the
     * arithmetic, so a batch-1 settle of a small network stays on the Java side.
     */
    private static final BLAS SMALL = dev.ludovic.netlib.blas.JavaBLAS.getInstance();

    /**
     * Products of at most this many multiply-adds go to {@link #small()}, one sample's to FENA's own
     * vector kernels when the Vector API is there (measured: see bench/PERFORMANCE.md).
     */
    public static final long SMALL_PRODUCT = 32_768;

    private Blas() {
    }

    /**
     * The implementation named by {@code -Dfena.blas=auto|native|java} (default {@code auto}: native
     * when the system has a BLAS, else Java), so the pure-Java path can be measured on a machine that
     * has OpenBLAS.
     */
    private static BLAS choose(String which) {
        switch (which) {
            case "native":
                return dev.ludovic.netlib.blas.NativeBLAS.getInstance();
            case "java":
                return dev.ludovic.netlib.blas.JavaBLAS.getInstance();
            case "auto":
                return BLAS.getInstance();
            default:
                throw new IllegalArgumentException("-Dfena.blas must be auto, native or java, got '" + which + "'");
        }
    }

    /** The BLAS for small products: pure Java, no JNI crossing. */
    public static BLAS small() {
        return SMALL;
    }

    /** The BLAS for a product of {@code macs} multiply-adds: native for large ones when available. */
    public static BLAS forProduct(long macs) {
        return macs <= SMALL_PRODUCT ? SMALL : INSTANCE;
    }

    /** The shared instance ({@code BLAS.getInstance()}); stateless and thread-safe. */
    public static BLAS instance() {
        return INSTANCE;
    }

    /**
     * Per-thread buffers of the products below that run in {@link VectorGemm}: they grow to the
     * largest product a thread has taken, then are reused (a weight update allocates nothing).
     */
    private static final ThreadLocal<VectorGemm.Buffers> GEMM_BUFFERS = ThreadLocal.withInitial(VectorGemm.Buffers::new);

    /**
     * Row-major {@code C (m x n) = alpha A B + beta C} with {@code A} row-major {@code m x k} (from
     * {@code a[aOff]}) and {@code B} row-major {@code k x n} (from {@code b[bOff]}), or with
     * {@code transB} {@code B = b'} for row-major {@code b} ({@code n x k}); {@code beta = 0} overwrites
     * {@code C}, NaN included, as in BLAS. For the products outside a settle's evaluation (learning
     * rules, a full {@code Pi}): where netlib's pure-Java BLAS would run them (the pure-Java backend,
     * and products of at most {@link #SMALL_PRODUCT} multiply-adds on a native one) they run in
     * FENA's own Vector API kernels, as a settle's do, so a JVM uses one vector shape only (netlib's
     * Vector API BLAS runs the machine's widest, and mixing shapes made C2 box the vectors of FENA's
     * kernels: see bench/PERFORMANCE.md) and nothing is allocated per call; so do products of at most
     * {@link #OWN_ROWS} rows on a native BLAS, where FENA's kernels are the faster; else the BLAS.
     */
    public static void gemm(int m, int n, int k, double alpha, double[] a, int aOff, double[] b, int bOff,
            boolean transB, double beta, double[] c, int cOff) {
        gemm(m, n, k, alpha, a, aOff, b, bOff, transB, beta, c, cOff, own(m, (long) m * n * k));
    }

    /** {@link #gemm(int, int, int, double, double[], int, double[], int, boolean, double, double[], int)} with the route chosen by the caller (tests). */
    static void gemm(int m, int n, int k, double alpha, double[] a, int aOff, double[] b, int bOff, boolean transB,
            double beta, double[] c, int cOff, boolean own) {
        if (!own) {
            // row-major C = A B is column-major C' = B' A', the column-major views of b and a being B' and A'
            INSTANCE.dgemm(transB ? "T" : "N", "N", n, m, k, alpha, b, bOff, transB ? k : n, a, aOff, k, beta, c, cOff, n);
        } else if (m == 1 && bOff == 0 && (long) n * k <= SMALL_PRODUCT && (!transB || (alpha == 1.0 && beta == 0.0))) {
            // one row (a batch-1 Pi eps): the one-sample kernels, without packing b
            if (transB) {
                VectorProducts.predict(b, n, k, a, aOff, c, cOff);
            } else {
                VectorProducts.backProject(b, k, n, a, aOff, alpha, beta, c, cOff);
            }
        } else {
            VectorGemm.gemm(a, aOff, m, k, b, bOff, transB, n, alpha, beta, c, cOff, GEMM_BUFFERS.get());
        }
    }

    /**
     * Row-major {@code C (m x n) = alpha A' B + beta C} with {@code A} row-major {@code k x m} and
     * {@code B} row-major {@code k x n}: a sum over {@code k} rows (samples) of outer products, the
     * form of a weight update {@code (1/B) Z' X} or a precision update {@code (1/B) eps' eps}. Routed
     * as {@link #gemm(int, int, int, double, double[], int, double[], int, boolean, double, double[], int)};
     * on FENA's kernels {@code A'} is first copied into a per-thread buffer (k m copies against k m n
     * multiply-adds).
     */
    public static void gemmTN(int m, int n, int k, double alpha, double[] a, int aOff, double[] b, int bOff,
            double beta, double[] c, int cOff) {
        gemmTN(m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, own(m, (long) m * n * k));
    }

    /** {@link #gemmTN(int, int, int, double, double[], int, double[], int, double, double[], int)} with the route chosen by the caller (tests). */
    static void gemmTN(int m, int n, int k, double alpha, double[] a, int aOff, double[] b, int bOff, double beta,
            double[] c, int cOff, boolean own) {
        if (!own) {
            // column-major C' (n x m) = B' A: b's column-major view is B', a's (m x k) transposed is A
            INSTANCE.dgemm("N", "T", n, m, k, alpha, b, bOff, n, a, aOff, m, beta, c, cOff, n);
            return;
        }
        VectorGemm.Buffers buf = GEMM_BUFFERS.get();
        double[] at = buf.transposed(Math.multiplyExact(m, k));
        EnergyWorkspace.transpose(a, aOff, k, m, at, 0);
        VectorGemm.gemm(at, 0, m, k, b, bOff, false, n, alpha, beta, c, cOff, buf);
    }

    /**
     * Whether a product of {@code macs} multiply-adds runs in FENA's kernels rather than the BLAS (see
     * {@link #gemm}): the one rule for a settle's batch products and for those of this class.
     */
    static boolean own(long macs) {
        return EnergyWorkspace.OWN_GEMM && (!NATIVE_BACKEND || macs <= SMALL_PRODUCT);
    }

    /**
     * A batch product of at most this many rows runs in FENA's kernels on a native BLAS too
     * ({@code -Dfena.ownRows=N} changes it; 0 leaves every large product to the native BLAS): any
     * number where {@link VectorGemm} runs eight-lane vectors, else 64.
     *
     * <p>With four lanes, measured single-threaded against OpenBLAS 0.3.21's {@code dgemm} on the
     * seven product shapes of mnist-mlp and wide (inner and outer sizes 256 to 1,000; {@code B}
     * packed once, as a settle's weights are), FENA's {@link VectorGemm} over OpenBLAS: 2.3-5.3x at
     * 4 rows, 1.2-2.0x at 16, 1.06-1.46x at 32, 0.98-1.23x at 64, 0.93-1.07x at 128 and 0.90-1.04x
     * at 250 (OpenBLAS packs the whole of {@code B} at every call, which few rows do not repay).
     * Since its tiles read a copy of their rows ({@code VectorGemm.packRows}) it is level with
     * OpenBLAS at 128 and 250 rows too (49-51 against 50-53 GFLOP/s on a Zen 4 core), and whole
     * mnist-mlp and wide settles with every product in it were level with the default (288-311
     * against 302-306 steps/s, 29-33 against 33-34), so the threshold stays.
     * With eight lanes ({@code -Dfena.gemmBits=512}) on a CPU whose AVX-512 units are full width (Zen 5
     * here), whole mnist-mlp settles ran at 155-168 GFLOP/s against 94-97 through OpenBLAS, whose own
     * 1024-square {@code dgemm} reached 112-126 on both cores with the Haswell kernels this machine's
     * environment selects ({@code OPENBLAS_CORETYPE}).
     */
    static final int OWN_ROWS = Integer.getInteger("fena.ownRows",
            batchProductBits() >= 512 ? Integer.MAX_VALUE : 64);

    /**
     * Whether a product with {@code rows} rows of output and {@code macs} multiply-adds runs in FENA's
     * kernels: wherever {@link #own(long)} says so, and on any backend for {@link #fewRows}.
     */
    static boolean own(long rows, long macs) {
        return own(macs) || fewRows(rows);
    }

    /**
     * Whether products of {@code rows} rows run in FENA's kernels whatever the backend (at most
     * {@link #OWN_ROWS}, with the Vector API there): the rule by rows alone, which also lets
     * {@link SampleParallel} split such parts over the cores beside a threaded native BLAS.
     */
    static boolean fewRows(long rows) {
        return EnergyWorkspace.OWN_GEMM && rows <= OWN_ROWS;
    }

    /**
     * Whether the native BLAS was told to run each product on the calling thread alone
     * ({@code OPENBLAS_NUM_THREADS=1}, or {@code OMP_NUM_THREADS=1} when the former is unset): then
     * the cores are FENA's to use, and large batches are split by samples over them (products and
     * the elementwise passes alike) instead of threading only inside each product.
     */
    public static boolean nativeSingleThreaded() {
        String t = System.getenv("OPENBLAS_NUM_THREADS");
        if (t == null) {
            t = System.getenv("OMP_NUM_THREADS");
        }
        return "1".equals(t == null ? null : t.trim());
    }

    /**
     * Whether FENA's own Vector API kernels run (the tanh error pass, one sample's products, a batch's
     * products wherever netlib's pure-Java BLAS would run them or they have few rows), for run manifests: they need {@code --add-modules jdk.incubator.vector}, 256-bit vectors and no
     * {@code -Dfena.vector=false}. The tanh pass gives the same bits either way; one sample's products
     * round differently from the scalar loops that replace them.
     */
    public static String vectorKernels() {
        return FusedActivation.VECTOR
                ? "on: tanh error passes, one sample's products and the batch products the pure-Java BLAS would"
                        + (OWN_ROWS == Integer.MAX_VALUE ? " run or any other" : " run or of at most " + OWN_ROWS + " rows")
                        + " (VectorGemm" + (EnergyWorkspace.OWN_GEMM ? " on " + VectorGemm.bits() + "-bit vectors"
                                : ": off, -Dfena.gemm=netlib")
                        + "); the tanh passes and one sample's products on 4-lane (256-bit) vectors"
                : "off: scalar loops (jdk.incubator.vector absent, -Dfena.vector=false or no 256-bit vectors)";
    }

    /**
     * Bits per vector of FENA's own batch products ({@code VectorGemm}): 256, or 512 under
     * {@code -Dfena.gemmBits=512} on a machine with 512-bit vectors; 0 when they do not run.
     */
    public static int batchProductBits() {
        return EnergyWorkspace.OWN_GEMM ? VectorGemm.bits() : 0;
    }

    /** The family of the implementation in use. */
    public static Backend backendKind() {
        String n = INSTANCE.getClass().getSimpleName();
        if (n.startsWith("JNI") || n.startsWith("Native")) {
            return Backend.NATIVE;
        }
        if (n.startsWith("Vector")) {
            return Backend.VECTOR_API;
        }
        return Backend.JAVA;
    }

    /**
     * A one-line description for run manifests, e.g.
     * {@code "native (system libblas, e.g. OpenBLAS) via dev.ludovic.netlib.blas.JNIBLAS"},
     * {@code "Vector API via dev.ludovic.netlib.blas.VectorBLAS"} or
     * {@code "Java via dev.ludovic.netlib.blas.Java11BLAS"}.
     */
    public static String backend() {
        String cls = INSTANCE.getClass().getName();
        switch (backendKind()) {
            case NATIVE:
                String core = System.getenv("OPENBLAS_CORETYPE");
                return "native (system libblas, e.g. OpenBLAS) via " + cls + (nativeSingleThreaded()
                        ? "; one thread per product (OPENBLAS_NUM_THREADS=1), large batches split by samples over "
                                + Integer.getInteger("fena.threads", Runtime.getRuntime().availableProcessors()) + " cores"
                        : "; products threaded by the library")
                        // the kernels OpenBLAS runs: forced by the environment, or its own pick for the CPU
                        + (core == null ? "" : "; OPENBLAS_CORETYPE=" + core);
            case VECTOR_API:
                return "Vector API via " + cls;
            default:
                return "Java via " + cls;
        }
    }
}
