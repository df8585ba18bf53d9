package org.fena.plots;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small CSV table (header line, comma-separated cells, no quoting: FENA writes numbers and
 * simple labels only), the form every figure's data is written in and read back from, so a figure
 * can be re-rendered from the files a run wrote.
 */
public final class Table {

    private final List<String> header;
    private final List<String[]> rows = new ArrayList<>();

    /** An empty table with these columns. */
    public Table(String... header) {
        this(List.of(header));
    }

    /** An empty table with these columns. */
    public Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** Appends a row of numbers (NaN written as {@code nan}, infinities as {@code inf}/{@code -inf}). */
    public Table add(double... values) {
        String[] r = new String[values.length];
        for (int k = 0; k < values.length; k++) {
            r[k] = format(values[k]);
        }
        return addCells(r);
    }

    /** Appends a row of cells as text. */
    public Table addCells(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + header.size()
                    + " columns " + header);
        }
        rows.add(cells.clone());
        return this;
    }

    /** A number as a cell: full round-trip precision. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    /** The column names. */
    public List<String> header() {
        return header;
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    /** Index of column {@code name}. */
    public int column(String name) {
        int k = header.indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + header);
        }
        return k;
    }

    /** Whether the table has column {@code name}. */
    public boolean has(String name) {
        return header.contains(name);
    }

    /** The cell at row {@code r}, column {@code name}. */
    public String text(int r, String name) {
        return rows.get(r)[column(name)];
    }

    /** The number at row {@code r}, column {@code name}. */
    public double number(int r, String name) {
        return parse(rows.get(r)[column(name)]);
    }

    /** A whole column as numbers. */
    public double[] numbers(String name) {
        int k = column(name);
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = parse(rows.get(r)[k]);
        }
        return out;
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan", "NaN", "" -> Double.NaN;
            case "inf", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** Writes the table as CSV through a temporary file and an atomic move. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Figures.writeAtomically(file, out -> {
            BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(String.join(",", header));
            w.write('\n');
            for (String[] r : rows) {
                w.write(String.join(",", r));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** Reads a CSV table written by {@link #write} (or any header-first CSV without quoted commas). */
    public static Table read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty; expected a header line");
        }
        Table t = new Table(Arrays.asList(lines.get(0).split(",", -1)));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isEmpty()) {
                String[] cells = line.split(",", -1);
                if (cells.length != t.header.size()) {
                    throw new IOException(file + ": line " + (i + 1) + " has " + cells.length + " cells, the header "
                            + t.header.size());
                }
                t.rows.add(cells);
            }
        }
        return t;
    }
}
