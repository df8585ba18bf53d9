package org.fena.hierarchy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Where a {@code double[]}'s elements start modulo 32 bytes, so that the weight copies the hot loop
 * reads with 256-bit loads can start on a 32-byte boundary: the copy is allocated {@link #PAD}
 * elements longer and written from {@link #offset}. A 256-bit load that is not 32-byte aligned
 * crosses a 64-byte cache line every other time, and a line-crossing load takes two load slots:
 * measured on small-batch1's 64 x 32 {@code W' z} ({@link VectorProducts#backProject}, eight vector
 * FMAs per row of W), 92 ns from a 32-byte aligned {@code W} against 127–131 ns from each of the
 * three other alignments. At its default object alignment a JVM places an array on 8 bytes only, so
 * which of the two a run got was chance (one of the machine's "speed levels" that earlier
 * measurements put down to the machine).
 *
 * <p>The address comes from {@code sun.misc.Unsafe} (module {@code jdk.unsupported}), reading the
 * reference slot of a one-element {@code Object[]}; with compressed references the shift is found
 * by allocating two arrays of 64 bytes one after the other (the heap base, page-aligned, does not
 * change an address modulo 32), and without them the same two arrays must read 64 bytes apart (a
 * collector that tags its pointers, as generational ZGC does, fails this). Anything unexpected (no
 * Unsafe, readings that disagree, a JDK from 24 on, whose Unsafe warns on stderr at its first use,
 * {@code -Dfena.align=false}) gives offset 0, the unaligned layout as before: only speed depends on
 * this, never a result. An array moved by the garbage collector after its offset
 * was taken keeps correct contents at that offset and, three times in four, loses the alignment:
 * {@link EnergyWorkspace} checks its copies every {@link EnergyWorkspace#REALIGN_EVERY} stepFlows and
 * shifts a moved one back onto a boundary within its array ({@link #reposition}).
 */
final class Aligned {

    /** The alignment sought, in bytes: one 256-bit vector. */
    static final int BYTES = 32;
    /** Extra elements to allocate so that any start alignment leaves room for the aligned copy. */
    static final int PAD = BYTES / Double.BYTES - 1;

    private static final MethodHandle GET_INT;
    private static final MethodHandle GET_LONG;
    private static final long REF_BASE;
    private static final long DOUBLE_BASE;
    /** Bytes of a reference slot: 4 with compressed references, 8 without; 0 when unknown. */
    private static final int REF_BYTES;
    /** Shift that turns a compressed reference into an address (0, 3, ...); -1 when unknown. */
    private static final int SHIFT;

    static {
        MethodHandle gi = null;
        MethodHandle gl = null;
        long refBase = 0;
        long doubleBase = 0;
        int refBytes = 0;
        int shift = -1;
        String property = System.getProperty("fena.align");
        // JDK 24 prints a warning on the first use of Unsafe's memory access (JEP 498): opt in there
        boolean wanted = property == null ? Runtime.version().feature() < 24 : Boolean.parseBoolean(property);
        if (wanted) {
            try {
                Class<?> uc = Class.forName("sun.misc.Unsafe");
                Field f = uc.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                Object u = f.get(null);
                MethodHandles.Lookup lk = MethodHandles.lookup();
                gi = lk.findVirtual(uc, "getInt", MethodType.methodType(int.class, Object.class, long.class)).bindTo(u);
                gl = lk.findVirtual(uc, "getLong", MethodType.methodType(long.class, Object.class, long.class)).bindTo(u);
                MethodHandle base = lk.findVirtual(uc, "arrayBaseOffset", MethodType.methodType(int.class, Class.class))
                        .bindTo(u);
                MethodHandle scale = lk.findVirtual(uc, "arrayIndexScale", MethodType.methodType(int.class, Class.class))
                        .bindTo(u);
                refBase = (int) base.invokeExact((Class<?>) Object[].class);
                doubleBase = (int) base.invokeExact((Class<?>) double[].class);
                refBytes = (int) scale.invokeExact((Class<?>) Object[].class);
                if ((refBytes == 4 || refBytes == 8) && doubleBase > 0 && doubleBase < 64 && doubleBase % 8 == 0) {
                    shift = pairShift(gi, gl, refBase, refBytes, (int) (64 - doubleBase) / Double.BYTES);
                }
            } catch (Throwable e) {
                shift = -1;
            }
        }
        GET_INT = gi;
        GET_LONG = gl;
        REF_BASE = refBase;
        DOUBLE_BASE = doubleBase;
        REF_BYTES = refBytes;
        SHIFT = shift;
    }

    private Aligned() {
    }

    /**
     * The shift that turns a reference as read into an address, from two arrays of exactly 64 bytes
     * allocated in a row: they lie 64 bytes apart (at an object alignment of 64 bytes or less), so
     * their references differ by {@code 64 >> shift}; a plain reference must give shift 0 (a
     * collector that tags its pointers gives anything else). At a larger object alignment every
     * address is a multiple of 32 anyway, and the shift found (6) gives that. Pairs that straddle an
     * allocation buffer's end differ otherwise; the shift is taken when most pairs agree, else -1.
     */
    private static int pairShift(MethodHandle gi, MethodHandle gl, long refBase, int refBytes, int length)
            throws Throwable {
        int[] votes = new int[7];
        int tries = 16;
        for (int t = 0; t < tries; t++) {
            Object[] hold = new Object[2];
            hold[0] = new double[length];
            hold[1] = new double[length];
            long d = refBytes == 8
                    ? (long) gl.invokeExact((Object) hold, refBase + 8) - (long) gl.invokeExact((Object) hold, refBase)
                    : ((int) gi.invokeExact((Object) hold, refBase + 4) & 0xFFFFFFFFL)
                            - ((int) gi.invokeExact((Object) hold, refBase) & 0xFFFFFFFFL);
            if (d > 0 && 64 % d == 0 && Long.bitCount(d) == 1) {
                votes[Long.numberOfTrailingZeros(64 / d)]++;
            }
        }
        for (int s = 0; s < votes.length; s++) {
            if (votes[s] * 4 >= tries * 3) {
                return refBytes == 8 && s != 0 ? -1 : s;
            }
        }
        return -1;
    }

    /** Whether {@link #offset} knows addresses on this JVM (else it always answers 0). */
    static boolean known() {
        return SHIFT >= 0;
    }

    /**
     * The first index {@code i} in {@code [0, PAD]} at which {@code a[i]} starts on a
     * {@link #BYTES}-byte boundary now, or 0 when addresses are not known. {@code slot}, a
     * one-element array the caller keeps, holds the reference while it is read (a fresh one would
     * be 24 bytes per call, which C2 does not remove); it is cleared again.
     */
    static int offset(double[] a, Object[] slot) {
        if (SHIFT < 0) {
            return 0;
        }
        try {
            slot[0] = a;
            long address = REF_BYTES == 8 ? (long) GET_LONG.invokeExact((Object) slot, REF_BASE)
                    : ((int) GET_INT.invokeExact((Object) slot, REF_BASE) & 0xFFFFFFFFL) << SHIFT;
            slot[0] = null;
            long first = address + DOUBLE_BASE;
            if (first % Double.BYTES != 0) {
                return 0;
            }
            return (int) (Math.floorMod(-first, (long) BYTES) / Double.BYTES);
        } catch (Throwable e) {
            return 0;
        }
    }

    /**
     * A copy of {@code length} elements written from {@link #offset} that a collection may since have
     * moved: shifts it within {@code a} to where the boundary is now (the {@link #PAD} spare elements
     * allow any shift) and returns that offset. The copy keeps its values; an unmoved one is left as
     * it is.
     */
    static int reposition(double[] a, int off, int length, Object[] slot) {
        int now = offset(a, slot);
        if (now != off) {
            System.arraycopy(a, off, a, now, length);
        }
        return now;
    }
}
