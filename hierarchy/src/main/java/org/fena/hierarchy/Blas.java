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

    private static final BLAS INSTANCE = BLAS.getInstance();

    private Blas() {
    }

    /** The shared instance ({@code BLAS.getInstance()}); stateless and thread-safe. */
    public static BLAS instance() {
        return INSTANCE;
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
                return "native (system libblas, e.g. OpenBLAS) via " + cls;
            case VECTOR_API:
                return "Vector API via " + cls;
            default:
                return "Java via " + cls;
        }
    }
}
