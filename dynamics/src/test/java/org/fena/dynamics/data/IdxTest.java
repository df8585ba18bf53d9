package org.fena.dynamics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    static final Path DATA = Path.of("..", "data");

    @TempDir
    Path dir;

    private static byte[] header(int magic, int... dims) {
        byte[] b = new byte[4 + 4 * dims.length];
        put(b, 0, magic);
        for (int i = 0; i < dims.length; i++) {
            put(b, 4 + 4 * i, dims[i]);
        }
        return b;
    }

    private static void put(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void readsTheShippedMnistAndFashionSubsets() throws IOException {
        LabelledData mnist = LabelledData.readIdx(DATA.resolve("mnist-10k-images-idx3-ubyte.gz"),
                DATA.resolve("mnist-10k-labels-idx1-ubyte.gz"));
        assertEquals(10_000, mnist.size());
        assertEquals(784, mnist.dim());
        int[] counts = new int[10];
        for (int y : mnist.labels()) {
            counts[y]++;
        }
        for (int c : counts) {
            assertTrue(c > 800 && c < 1200, "about 1,000 of each digit, got " + c);
        }
        double max = 0;
        for (double v : mnist.inputs()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1.0, max);
        Idx.UByteArray fashion = Idx.readImages(DATA.resolve("fashion-10k-images-idx3-ubyte.gz"));
        assertArrayEquals(new int[] {10_000, 28, 28}, fashion.dims());
    }

    @Test
    void readsAHandWrittenFile() throws IOException {
        Path f = dir.resolve("tiny.idx");
        Files.write(f, concat(header(Idx.MAGIC_IMAGES, 2, 1, 2), new byte[] {0, (byte) 255, 7, (byte) 128}));
        Idx.UByteArray a = Idx.readImages(f);
        assertArrayEquals(new int[] {2, 1, 2}, a.dims());
        assertArrayEquals(new int[] {0, 255, 7, 128}, a.values());
        assertEquals(2, a.itemSize());
    }

    @Test
    void badMagicIsNamed() throws IOException {
        Path f = dir.resolve("labels.idx");
        Files.write(f, concat(header(Idx.MAGIC_LABELS, 2), new byte[] {1, 2}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("labels.idx") && e.getMessage().contains("bad magic number 0x00000801"),
                e.getMessage());
    }

    @Test
    void truncatedDataIsRefused() throws IOException {
        Path f = dir.resolve("short.idx");
        Files.write(f, concat(header(Idx.MAGIC_IMAGES, 3, 2, 2), new byte[5]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("need 12"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsRefused() throws IOException {
        Path f = dir.resolve("head.idx");
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        Path f = dir.resolve("long.idx");
        Files.write(f, concat(header(Idx.MAGIC_LABELS, 2), new byte[] {1, 2, 3}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readLabels(f));
        assertTrue(e.getMessage().contains("1 trailing bytes"), e.getMessage());
    }

    @Test
    void corruptGzipAndMissingFilesAreNamed() throws IOException {
        Path f = dir.resolve("broken.gz");
        Files.write(f, new byte[] {31, (byte) 139, 8, 0, 1, 2});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readLabels(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        IdxFormatException m = assertThrows(IdxFormatException.class, () -> Idx.readLabels(dir.resolve("none.gz")));
        assertTrue(m.getMessage().contains("no such file"), m.getMessage());
    }

    @Test
    void labelAndImageCountsMustAgree() throws IOException {
        Path im = dir.resolve("im.idx");
        Path lb = dir.resolve("lb.idx");
        Files.write(im, concat(header(Idx.MAGIC_IMAGES, 2, 1, 1), new byte[] {1, 2}));
        Files.write(lb, concat(header(Idx.MAGIC_LABELS, 3), new byte[] {1, 2, 3}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> LabelledData.readIdx(im, lb));
        assertTrue(e.getMessage().contains("3 labels but"), e.getMessage());
    }

    @Test
    void splitsAreSeededDisjointAndOfTheRequestedSizes() throws IOException {
        LabelledData d = LabelledData.readIdx(DATA.resolve("mnist-10k-images-idx3-ubyte.gz"),
                DATA.resolve("mnist-10k-labels-idx1-ubyte.gz")).head(500);
        LabelledData.Split a = d.split(400, 100, 5);
        LabelledData.Split b = d.split(400, 100, 5);
        LabelledData.Split c = d.split(400, 100, 6);
        assertEquals(400, a.train().size());
        assertEquals(100, a.test().size());
        assertArrayEquals(a.test().inputs(), b.test().inputs());
        assertTrue(!java.util.Arrays.equals(a.test().inputs(), c.test().inputs()));
        java.util.Set<String> train = new java.util.HashSet<>();
        for (int i = 0; i < 400; i++) {
            train.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(a.train().inputs(), i * 784, i * 784 + 784)));
        }
        int shared = 0;
        for (int i = 0; i < 100; i++) {
            if (train.contains(java.util.Arrays.toString(
                    java.util.Arrays.copyOfRange(a.test().inputs(), i * 784, i * 784 + 784)))) {
                shared++;
            }
        }
        // the subset has no exact duplicate images, so a disjoint split shares none
        assertEquals(0, shared);
    }
}
