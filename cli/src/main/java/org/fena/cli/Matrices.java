package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the numbers of an experiment file: a scalar, an inline list (a vector), an inline list of
 * lists (a matrix, row by row), or {@code {file: NAME}} naming a {@code .csv} or {@code .npy} file
 * relative to the experiment file. Every value is checked finite.
 */
final class Matrices {

    private Matrices() {
    }

    /** Row-major numbers with their shape; {@code vector} for a flat list or a 1-D file. */
    record Values(double[] data, int rows, int cols, boolean vector, boolean scalar) {
    }

    static Values read(ConfigNode n) {
        if (n.isMissing()) {
            throw n.error("a number, a list, a list of lists, or {file: NAME.csv|NAME.npy}");
        }
        JsonNode raw = n.raw();
        Values v;
        if (raw.isNumber()) {
            v = new Values(new double[] {raw.asDouble()}, 1, 1, false, true);
        } else if (raw.isArray()) {
            v = inline(n);
        } else if (raw.isObject() && raw.has("idx")) {
            v = idx(n);
        } else if (raw.isObject()) {
            n.requireObject(Set.of("file"));
            ConfigNode f = n.get("file");
            Path p = n.file().toAbsolutePath().getParent().resolve(f.asText());
            if (!Files.isRegularFile(p)) {
                throw new UserError(String.format(Locale.ROOT, "%s: %s: file %s does not exist",
                        n.file(), f.path(), p));
            }
            n.noteRead(p);
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".npy")) {
                Npy.Array a = Npy.read(p);
                v = new Values(a.data(), a.rows(), a.cols(), a.oneDimensional(), false);
            } else if (name.endsWith(".csv") || name.endsWith(".txt")) {
                v = csv(p);
            } else {
                throw f.error("a .csv or .npy file name");
            }
            checkFinite(v, n.file() + ": " + n.path() + ": " + p);
            return v;
        } else {
            throw n.error("a number, a list, a list of lists, or {file: NAME.csv|NAME.npy}");
        }
        checkFinite(v, n.file() + ": " + n.path());
        return v;
    }

    /**
     * {@code {idx: IMAGES.idx3-ubyte.gz, count: N, offset: K}}: N images from the K-th on of an IDX
     * image file (the MNIST format, gzipped or not), one per row, pixels scaled by 1/255 as training
     * scales them: how an experiment clamps real digits.
     */
    private static Values idx(ConfigNode n) {
        n.requireObject(Set.of("idx", "count", "offset"));
        ConfigNode f = n.get("idx");
        Path p = n.file().toAbsolutePath().getParent().resolve(f.asText());
        org.fena.dynamics.data.Idx.UByteArray im;
        try {
            im = org.fena.dynamics.data.Idx.readImages(p);
        } catch (java.io.IOException e) {
            throw new UserError(n.file() + ": " + f.path() + ": " + e.getMessage(), e);
        }
        n.noteRead(p);
        int total = im.dims()[0];
        int per = im.values().length / Math.max(1, total);
        int offset = n.intAtLeast("offset", 0, 0);
        int count = n.intAtLeast("count", 1, 1);
        if (offset + count > total) {
            throw n.get("count").error(String.format(Locale.ROOT, "offset + count <= %d (the images in %s)", total, p));
        }
        double[] data = new double[count * per];
        for (int i = 0; i < data.length; i++) {
            data[i] = im.values()[offset * per + i] / 255.0;
        }
        return new Values(data, count, per, count == 1, false);
    }

    private static void checkFinite(Values v, String where) {
        for (int i = 0; i < v.data().length; i++) {
            if (!Double.isFinite(v.data()[i])) {
                throw new UserError(String.format(Locale.ROOT,
                        "%s: expected finite numbers, found %s at row %d, column %d", where,
                        v.data()[i], i / v.cols(), i % v.cols()));
            }
        }
    }

    private static Values inline(ConfigNode n) {
        List<ConfigNode> items = n.elements();
        if (items.isEmpty()) {
            throw n.error("a non-empty list");
        }
        if (items.get(0).raw() != null && items.get(0).raw().isArray()) {
            int cols = -1;
            List<double[]> rows = new ArrayList<>();
            for (ConfigNode row : items) {
                List<ConfigNode> cells = row.elements();
                if (cols >= 0 && cells.size() != cols) {
                    throw row.error("a row of " + cols + " numbers like the first row");
                }
                cols = cells.size();
                double[] r = new double[cols];
                for (int j = 0; j < cols; j++) {
                    r[j] = cells.get(j).asDouble();
                }
                rows.add(r);
            }
            double[] data = new double[rows.size() * cols];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, data, i * cols, cols);
            }
            return new Values(data, rows.size(), cols, false, false);
        }
        double[] data = new double[items.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = items.get(i).asDouble();
        }
        return new Values(data, 1, data.length, true, false);
    }

    private static Values csv(Path p) {
        List<String> lines;
        try {
            lines = Files.readAllLines(p);
        } catch (IOException e) {
            throw new UserError(p + ": cannot read (" + e.getMessage() + ")", e);
        }
        List<double[]> rows = new ArrayList<>();
        int cols = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\\s*[,;\\s]\\s*");
            double[] r = new double[cells.length];
            try {
                for (int j = 0; j < cells.length; j++) {
                    r[j] = Double.parseDouble(cells[j]);
                }
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && cols < 0) {
                    cols = -2; // a header line: skip it once
                    continue;
                }
                throw new UserError(String.format(Locale.ROOT, "%s: line %d: expected numbers separated by commas, got '%s'",
                        p, i + 1, line));
            }
            if (cols >= 0 && r.length != cols) {
                throw new UserError(String.format(Locale.ROOT, "%s: line %d: expected %d values like the first row, got %d",
                        p, i + 1, cols, r.length));
            }
            cols = r.length;
            rows.add(r);
        }
        if (rows.isEmpty()) {
            throw new UserError(p + ": no numbers in the file");
        }
        double[] data = new double[rows.size() * cols];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, data, i * cols, cols);
        }
        return new Values(data, rows.size(), cols, rows.size() == 1, false);
    }
}
