package studio.nexus.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the server runs work later or again: the sweepers, housekeeping and the polls of job event streams
 * share its few threads instead of each keeping its own. Threads are daemons named {@code scheduler-N}, so a server
 * that forgets to close it still exits; idle threads end after a minute, so a scheduler nobody uses costs nothing.
 * A task that throws is logged and runs again next period (a thrown exception would otherwise cancel it silently).
 * Closed once at shutdown, after which nothing more runs. Thread-safe.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    /** Enough for a long sweep and the event streams' polls side by side. */
    public static final int THREADS = 4;

    private final ScheduledThreadPoolExecutor executor;

    public Scheduler() {
        this(THREADS);
    }

    public Scheduler(int threads) {
        AtomicInteger count = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, "scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setKeepAliveTime(1, TimeUnit.MINUTES);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Runs {@code task} after {@code first}, then again {@code period} after each run ends. {@code name} says in the
     * log what failed.
     */
    public ScheduledFuture<?> every(String name, Duration first, Duration period, Runnable task) {
        return executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; retrying next period", name, e);
            }
        }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every task; a running one is interrupted. Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
