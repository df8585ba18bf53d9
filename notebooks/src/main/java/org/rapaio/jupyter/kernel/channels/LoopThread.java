package org.rapaio.jupyter.kernel.channels;

/**
 * A patched copy of {@code rapaio-jupyter-kernel} 3.0.1's {@code LoopThread}: the thread that runs
 * one kernel channel's poll loop (shell, control, stdin), its body once per period. The kernelspecs
 * that {@code notebooks/run-notebooks.sh} and {@code notebooks/install-kernel.sh} write put this
 * class ahead of the kernel's jar on the kernel's class path, so it replaces the original; nothing
 * else of the kernel changes.
 *
 * <p>Why: the original {@code start()} started the thread and only then set {@code running}, so a
 * thread that reached its {@code while (running)} first saw {@code false} and ended at once. When
 * that thread was the shell channel's, the kernel never answered a request and Jupyter gave up on it
 * ("Kernel didn't respond"): 3 of 42 starts of a one-cell notebook on this project's machine (none
 * of 31 with this copy), and 31 of 2,000 loop threads in a direct test of the class (none of 2,000).
 * Here {@code running} is set before the thread starts. The loop also outlives an exception from its
 * body: the shell's first request can arrive before the kernel has registered its message handlers,
 * and an exception there would end the thread the same way (the client repeats {@code kernel_info}
 * until it is answered).
 */
public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    /** A thread named {@code name} that runs {@code loopBody}, then sleeps {@code sleep} ms, until shut down. */
    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    /** Runs the body once per period until {@link #shutdown} or an interrupt. */
    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                // the kernel logs through java.util.logging to stderr, which Jupyter keeps
                System.err.println("[" + getName() + "] poll failed, polling on: " + e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** Marks the loop running, then starts the thread (the original did it the other way round). */
    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    /** Ends the loop after the current pass. */
    public void shutdown() {
        running = false;
    }
}
