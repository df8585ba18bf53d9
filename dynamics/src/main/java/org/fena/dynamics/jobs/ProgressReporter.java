package org.fena.dynamics.jobs;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines such as {@code sweep-2d: 120/400 tasks (30%), 12.3 tasks/s, about 23 s left},
 * at most one every {@code intervalSeconds} and one at the end, so a long study on a cluster says
 * how far it is without flooding the terminal.
 */
public final class ProgressReporter implements ProgressListener {

    private final String name;
    private final PrintWriter out;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastPrinted = Long.MIN_VALUE;
    private long lastDone = -1;

    /** Reports the job {@code name} on {@code out}. */
    public ProgressReporter(String name, PrintWriter out, double intervalSeconds) {
        this.name = name;
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    @Override
    public synchronized void update(long done, long total) {
        long now = System.nanoTime();
        boolean last = done >= total;
        if (done == lastDone || (!last && lastPrinted != Long.MIN_VALUE && now - lastPrinted < intervalNanos)) {
            return;
        }
        lastDone = done;
        lastPrinted = now;
        out.println(line(done, total, (now - start) * 1e-9));
        out.flush();
    }

    /** The progress line for {@code done} of {@code total} after {@code seconds}. */
    static String line(String name, long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        String left = done >= total ? "done in " + duration(seconds)
                : rate > 0 ? "about " + duration((total - done) / rate) + " left" : "time left unknown";
        return String.format(Locale.ROOT, "%s: %d/%d tasks (%.0f%%), %.3g tasks/s, %s", name, done, total,
                100.0 * done / total, rate, left);
    }

    private String line(long done, long total, double seconds) {
        return line(name, done, total, seconds);
    }

    private static String duration(double s) {
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", Math.ceil(s));
        }
        if (s < 7200) {
            return String.format(Locale.ROOT, "%.0f min", Math.ceil(s / 60));
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
}
