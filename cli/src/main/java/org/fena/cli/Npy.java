package org.fena.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} arrays (format versions 1 to 3, C order, 1-D or 2-D,
 * float64/float32/int64/int32 in either byte order), so weights and data move between FENA and
 * a NumPy session without conversion.
 */
public final class Npy {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * A 1-D or 2-D array read from a file: {@code data} row-major, {@code rows x cols}
     * ({@code rows = 1} for a 1-D array, whose {@code oneDimensional} flag is set).
     */
    public record Array(double[] data, int rows, int cols, boolean oneDimensional) {
    }

    /** Reads {@code file}; a malformed file is a {@link UserError} naming it and the problem. */
    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U'
                || bytes[3] != 'M' || bytes[4] != 'P' || bytes[5] != 'Y') {
            throw new UserError(file + ": not a .npy file (missing the \\x93NUMPY magic string)");
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            headerStart = 12;
        } else {
            throw new UserError(file + ": unsupported .npy format version " + major);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new UserError(file + ": truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if ("True".equals(group(FORTRAN, header, file, "fortran_order"))) {
            throw new UserError(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }
        String[] dims = group(SHAPE, header, file, "shape").split(",");
        int[] shape = new int[2];
        int n = 0;
        for (String d : dims) {
            if (!d.isBlank()) {
                if (n == 2) {
                    throw new UserError(file + ": expected a 1-D or 2-D array, got shape (" + header + ")");
                }
                shape[n++] = Integer.parseInt(d.trim());
            }
        }
        if (n == 0) {
            throw new UserError(file + ": expected a 1-D or 2-D array, got a scalar");
        }
        int rows = n == 1 ? 1 : shape[0];
        int cols = n == 1 ? shape[0] : shape[1];
        long count = (long) rows * cols;
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.substring(1);
        int width = switch (type) {
            case "f8", "i8" -> 8;
            case "f4", "i4" -> 4;
            default -> throw new UserError(file + ": unsupported dtype '" + descr
                    + "' (expected float64, float32, int64 or int32)");
        };
        int dataStart = headerStart + headerLen;
        if (dataStart + count * width > bytes.length) {
            throw new UserError(file + ": truncated data (header promises " + count + " values)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) (count * width)).order(order);
        double[] out = new double[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case "f8" -> data.getDouble();
                case "f4" -> data.getFloat();
                case "i8" -> data.getLong();
                default -> data.getInt();
            };
        }
        return new Array(out, rows, cols, n == 1);
    }

    /** Writes a row-major {@code rows x cols} float64 array as {@code .npy} version 1.0. */
    public static void write(OutputStream out, double[] data, int rows, int cols) throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        h.append(" ".repeat(pad)).append('\n');
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int len = h.length();
        buf.write(len & 0xff);
        buf.write((len >> 8) & 0xff);
        buf.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer bb = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            bb.putDouble(v);
        }
        buf.write(bb.array());
        out.write(buf.toByteArray());
    }

    private static String group(Pattern p, String header, Path file, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new UserError(file + ": .npy header has no '" + key + "' entry");
        }
        return m.group(1);
    }
}
