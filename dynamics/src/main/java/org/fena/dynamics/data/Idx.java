package org.fena.dynamics.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format of the MNIST distribution, gzipped or not: a big-endian header
 * ({@code 0x00 0x00}, a type byte, the number of dimensions, then one 32-bit size per dimension)
 * followed by the values. Only unsigned bytes (type {@code 0x08}) are read, the type MNIST and
 * Fashion-MNIST use: {@code 0x00000801} for label vectors, {@code 0x00000803} for image stacks.
 *
 * <p>Everything is checked before it is trusted: the magic number, the type, the number of
 * dimensions the caller expects, that no size is negative and that the product of the sizes fits
 * in an array, and that the file holds exactly that many values (a truncated file or one with
 * trailing bytes is refused). Every error is an {@link IdxFormatException} naming the file.
 */
public final class Idx {

    /** Magic number of a vector of unsigned bytes (labels). */
    public static final int MAGIC_LABELS = 0x00000801;
    /** Magic number of a 3-D array of unsigned bytes (images). */
    public static final int MAGIC_IMAGES = 0x00000803;

    private Idx() {
    }

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims   sizes, outermost first (e.g. {@code n, 28, 28})
     * @param values the values 0..255 in row-major order
     */
    public record UByteArray(int[] dims, int[] values) {
        /** Number of items along the first dimension. */
        public int count() {
            return dims[0];
        }

        /** Number of values per item: the product of the other sizes. */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }
    }

    /** Reads a label file: magic {@code 0x00000801}, one dimension. */
    public static int[] readLabels(Path file) throws IOException {
        return read(file, MAGIC_LABELS).values();
    }

    /** Reads an image file: magic {@code 0x00000803}, three dimensions ({@code n x rows x cols}). */
    public static UByteArray readImages(Path file) throws IOException {
        return read(file, MAGIC_IMAGES);
    }

    /**
     * Reads an unsigned-byte IDX file whose magic number must be {@code expectedMagic}; a name ending
     * in {@code .gz} is decompressed.
     *
     * @throws IdxFormatException for a missing file, bad magic, impossible sizes, truncation or trailing bytes
     */
    public static UByteArray read(Path file, int expectedMagic) throws IOException {
        byte[] bytes;
        try {
            bytes = load(file);
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(file, "no such file");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IdxFormatException(file, "not a valid gzip stream (" + e.getMessage() + ")");
        }
        return parse(file, bytes, expectedMagic);
    }

    /** Parses IDX bytes already in memory ({@code file} only names them in errors). */
    public static UByteArray parse(Path file, byte[] bytes, int expectedMagic) throws IdxFormatException {
        if (bytes.length < 4) {
            throw new IdxFormatException(file, "truncated: " + bytes.length + " bytes, too short for the 4-byte magic number");
        }
        int magic = readInt(bytes, 0);
        if (magic != expectedMagic) {
            throw new IdxFormatException(file, String.format("bad magic number 0x%08x, expected 0x%08x (%s)", magic,
                    expectedMagic, expectedMagic == MAGIC_LABELS ? "an IDX label file"
                            : expectedMagic == MAGIC_IMAGES ? "an IDX image file" : "IDX"));
        }
        int nd = magic & 0xff;
        int header = 4 + 4 * nd;
        if (bytes.length < header) {
            throw new IdxFormatException(file, "truncated header: " + nd + " dimensions need " + header
                    + " bytes, the file has " + bytes.length);
        }
        int[] dims = new int[nd];
        long total = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = readInt(bytes, 4 + 4 * i);
            if (dims[i] < 0) {
                throw new IdxFormatException(file, "size " + i + " is negative: " + dims[i]);
            }
            total *= dims[i];
            if (total > Integer.MAX_VALUE - 16) {
                throw new IdxFormatException(file, "sizes " + java.util.Arrays.toString(dims) + " are too large");
            }
        }
        long have = bytes.length - (long) header;
        if (have < total) {
            throw new IdxFormatException(file, "truncated: sizes " + java.util.Arrays.toString(dims) + " need " + total
                    + " values after the header, the file holds " + have);
        }
        if (have > total) {
            throw new IdxFormatException(file, (have - total) + " trailing bytes after the " + total
                    + " values the sizes " + java.util.Arrays.toString(dims) + " announce");
        }
        int[] v = new int[(int) total];
        for (int i = 0; i < v.length; i++) {
            v[i] = bytes[header + i] & 0xff;
        }
        return new UByteArray(dims, v);
    }

    private static byte[] load(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
