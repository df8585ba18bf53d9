package org.fena.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and time left (me.tongfei:progressbar) on standard error, shown only
 * when the process talks to a terminal: in CI, pipes and tests it stays silent, so logs hold the
 * commands' own one-line results and nothing else.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** Whether bars are drawn: a terminal on both ends, and not switched off by {@code FENA_PROGRESS=0}. */
    static boolean interactive() {
        return System.console() != null && !"0".equals(System.getenv("FENA_PROGRESS"));
    }

    /** A bar over {@code max} units named {@code unit}, or a silent stand-in when there is no terminal. */
    static Progress start(String task, long max, String unit) {
        if (!interactive()) {
            return new Progress(null);
        }
        ProgressBar b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed(new java.text.DecimalFormat("0.00"))
                .setUpdateIntervalMillis(250).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        return new Progress(b);
    }

    /** Advances by one unit. */
    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Updates the text after the bar (e.g. the latest accuracy). */
    void extra(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
