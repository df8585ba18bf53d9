package org.fena.cli;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

import org.fena.hierarchy.Blas;

/** What every run records about where it ran: FENA and Java versions, BLAS backend, digests. */
final class RunInfo {

    private RunInfo() {
    }

    /** FENA's version, from the build. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = RunInfo.class.getResourceAsStream("fena.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // an unknown version is reported as such below
        }
        return p.getProperty("version", "unknown");
    }

    /** The Java runtime, e.g. {@code 17.0.15 (Debian)}. */
    static String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
    }

    /**
     * The head of every run's manifest, in order: FENA version, the command, Java, OS, cores and the
     * BLAS backend (with its threading) and whether FENA's vector kernels ran; each command adds its seeds, inputs and timings after it.
     */
    static java.util.Map<String, Object> manifest(String command) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("fena_version", version());
        m.put("command", command);
        m.put("java_version", java());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("blas_backend", blas());
        m.put("vector_kernels", Blas.vectorKernels());
        return m;
    }

    /** The BLAS implementation dense products go to. */
    static String blas() {
        return Blas.backend();
    }

    /** Hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
