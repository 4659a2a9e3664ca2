package studio.nexus.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs calls all at once, for the race tests: each call gets a thread of its own, and every thread waits on one
 * latch that is released only once all are ready, so that the calls meet inside the server at the same moment
 * instead of one after the other as they were submitted.
 */
public final class AllAtOnce {
    /** How long to wait for any one call's result. */
    private static final long WAIT_SECONDS = 120;

    private AllAtOnce() {}

    /** Runs every call at once and returns their results in the calls' order. */
    public static <T> List<T> run(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code call} {@code n} times at once and returns the results. */
    public static <T> List<T> times(int n, Callable<T> call) throws Exception {
        return run(Collections.nCopies(n, call));
    }
}
