package org.fena.dynamics.learning;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.StepSettings;

/**
 * A trained model on disk: the hierarchy (structure and every parameter, bit-exact), which layers
 * hold data and labels, and the inference settings (start, integrator, stop rule, batch), so that
 * evaluation settles exactly as training's evaluation did.
 *
 * <p>Format version {@value #VERSION}, big-endian ({@link DataOutputStream}):
 *
 * <pre>
 *   bytes   "FENAMODEL"                     magic
 *   int     version                          1
 *   int     L+1; per layer: int d_l, double tau_l
 *   per layer l &lt; L: UTF activation name, precision, double[d_l d_{l+1}] W_l (row-major), double[d_l] b_l
 *   boolean prior; if so: double[d_L] m_L, precision
 *   int data layer, int label layer (-1: none)
 *   UTF init mode; boolean amortised; if so per l &lt; L: double[d_{l+1} d_l] V_l, double[d_{l+1}] c_l
 *   UTF integrator; double step, rtol, atol; boolean adaptive
 *   double t_max, grad_tol, grad_rtol, energy_tol; int energy_window; long max_steps; int batch
 *   precision := UTF kind ("scalar" | "diagonal" | "full"), then 1 | d | d*d doubles
 * </pre>
 *
 * Loading a file of another version, a truncated file or a model of a shape the caller does not
 * expect fails with a message naming the file and the mismatch. Files are written to a temporary
 * sibling and moved into place, so a model file is never half-written.
 */
public final class ModelFile {

    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = "FENAMODEL".getBytes(StandardCharsets.US_ASCII);

    private ModelFile() {
    }

    /**
     * A model: the hierarchy and what inference needs.
     *
     * @param hierarchy the trained hierarchy
     * @param settings  settings whose data and label layers, start, integrator, evaluation stop rule
     *                  and batch serve inference (the training-only fields come back as defaults)
     * @param guess     the amortised guess, or null
     */
    public record Model(Hierarchy hierarchy, TrainingSettings settings, AmortisedGuess guess) {
    }

    /** Writes {@code model} to {@code file} atomically. */
    public static void save(Path file, Model model) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            write(out, model);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(DataOutputStream out, Model m) throws IOException {
        Hierarchy h = m.hierarchy();
        TrainingSettings s = m.settings();
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(h.layers());
        for (int l = 0; l < h.layers(); l++) {
            out.writeInt(h.dim(l));
            out.writeDouble(h.tau(l));
        }
        for (int l = 0; l < h.top(); l++) {
            out.writeUTF(h.activation(l).name());
            writePrecision(out, h.precision(l));
            writeDoubles(out, h.weights(l));
            writeDoubles(out, h.bias(l));
        }
        out.writeBoolean(h.hasPrior());
        if (h.hasPrior()) {
            writeDoubles(out, h.priorMean());
            writePrecision(out, h.precision(h.top()));
        }
        out.writeInt(s.dataLayer());
        out.writeInt(s.labelLayer());
        out.writeUTF(s.init().name());
        out.writeBoolean(m.guess() != null);
        if (m.guess() != null) {
            for (int l = 0; l < h.top(); l++) {
                writeDoubles(out, m.guess().map(l));
                writeDoubles(out, m.guess().offset(l));
            }
        }
        out.writeUTF(s.method());
        StepSettings st = s.step();
        out.writeDouble(st.step());
        out.writeDouble(st.rtol());
        out.writeDouble(st.atol());
        out.writeBoolean(st.adaptive());
        StopCriteria e = s.evalStop();
        out.writeDouble(e.tMax());
        out.writeDouble(e.gradTol());
        out.writeDouble(e.gradRtol());
        out.writeDouble(e.energyTol());
        out.writeInt(e.energyWindow());
        out.writeLong(e.maxSteps());
        out.writeInt(s.batch());
    }

    /**
     * Reads a model.
     *
     * @throws IOException naming the file and the problem: not a model file, another format version,
     *                     truncated, or inconsistent contents
     */
    public static Model load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a FENA model file (it does not start with \"FENAMODEL\")");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": model format version " + version + ", but this FENA reads version "
                        + VERSION + " only: retrain, or use the FENA release that wrote it");
            }
            return read(in, file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such model file", e);
        } catch (EOFException e) {
            throw new IOException(file + ": model file is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": inconsistent model: " + e.getMessage(), e);
        }
    }

    private static Model read(DataInputStream in, Path file) throws IOException {
        int layers = in.readInt();
        if (layers < 1 || layers > 1000) {
            throw new IOException(file + ": implausible layer count " + layers);
        }
        Hierarchy.Builder b = Hierarchy.builder();
        int[] dims = new int[layers];
        for (int l = 0; l < layers; l++) {
            dims[l] = in.readInt();
            if (dims[l] < 1 || dims[l] > 1 << 20) {
                throw new IOException(file + ": implausible dimension " + dims[l] + " of layer " + l);
            }
            b.layer(dims[l], in.readDouble());
        }
        for (int l = 0; l < layers - 1; l++) {
            b.activation(l, Activations.byName(in.readUTF()));
            b.precision(l, readPrecision(in, dims[l]));
            b.weights(l, readDoubles(in, dims[l] * dims[l + 1]));
            b.bias(l, readDoubles(in, dims[l]));
        }
        if (in.readBoolean()) {
            double[] mean = readDoubles(in, dims[layers - 1]);
            b.prior(mean, readPrecision(in, dims[layers - 1]));
        }
        Hierarchy h = b.build();
        int data = in.readInt();
        int label = in.readInt();
        InitMode init = InitMode.valueOf(in.readUTF());
        AmortisedGuess guess = null;
        if (in.readBoolean()) {
            guess = new AmortisedGuess(h, 0);
            for (int l = 0; l < h.top(); l++) {
                System.arraycopy(readDoubles(in, dims[l + 1] * dims[l]), 0, guess.map(l), 0, dims[l + 1] * dims[l]);
                System.arraycopy(readDoubles(in, dims[l + 1]), 0, guess.offset(l), 0, dims[l + 1]);
            }
        }
        String method = in.readUTF();
        double step = in.readDouble();
        double rtol = in.readDouble();
        double atol = in.readDouble();
        boolean adaptive = in.readBoolean();
        StopCriteria stop = new StopCriteria(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readInt(), in.readLong());
        int batch = in.readInt();
        if (in.read() != -1) {
            throw new IOException(file + ": trailing bytes after the model");
        }
        StepSettings st = new StepSettings(step, rtol, atol, 0.0, Double.POSITIVE_INFINITY, adaptive);
        TrainingSettings s = new TrainingSettings(data, label, batch, 0, TrainingSettings.Regime.TWO_PHASE,
                UpdateRule.sgd(), new double[] {0}, new double[] {1}, 1, init, 0, null, null, method, st, stop, stop, 0);
        if (data < 0 || data >= layers || label >= layers) {
            throw new IOException(file + ": data layer " + data + " or label layer " + label + " is not a layer 0.."
                    + (layers - 1));
        }
        return new Model(h, s, guess);
    }

    /**
     * Checks that a loaded model fits data of {@code dim} values per sample (and, when
     * {@code classes > 0}, that many classes).
     *
     * @throws IllegalArgumentException naming the file and both shapes
     */
    public static void requireShape(Path file, Model m, int dim, int classes) {
        Hierarchy h = m.hierarchy();
        int d = h.dim(m.settings().dataLayer());
        if (d != dim) {
            throw new IllegalArgumentException(file + ": the model's data layer " + m.settings().dataLayer() + " has "
                    + d + " units, the data have " + dim + " values per sample");
        }
        if (classes > 0 && m.settings().labelLayer() >= 0 && h.dim(m.settings().labelLayer()) != classes) {
            throw new IllegalArgumentException(file + ": the model's label layer has " + h.dim(m.settings().labelLayer())
                    + " units, the data have " + classes + " classes");
        }
    }

    private static void writePrecision(DataOutputStream out, Precision p) throws IOException {
        out.writeUTF(p.kind());
        double[] dense = p.toDense();
        int d = p.dimension();
        switch (p.kind()) {
            case "scalar":
                out.writeDouble(dense[0]);
                break;
            case "diagonal":
                for (int i = 0; i < d; i++) {
                    out.writeDouble(dense[i * d + i]);
                }
                break;
            default:
                writeDoubles(out, dense);
        }
    }

    private static Precision readPrecision(DataInputStream in, int d) throws IOException {
        String kind = in.readUTF();
        switch (kind) {
            case "scalar":
                return Precisions.scalar(d, in.readDouble());
            case "diagonal":
                return Precisions.diagonal(readDoubles(in, d));
            case "full":
                return Precisions.full(d, readDoubles(in, d * d));
            default:
                throw new IOException("unknown precision kind '" + kind + "'");
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    private static double[] readDoubles(DataInputStream in, int n) throws IOException {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
