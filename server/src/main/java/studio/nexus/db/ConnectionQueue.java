package studio.nexus.db;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The queue in front of the connection pool: units of work get a connection in the order they asked for one.
 *
 * <p>Why: HikariCP gives a returned connection to whoever asks next, and the thread that just returned it usually
 * asks first (its next request finds the connection in its thread-local list). Under load some requests therefore
 * got in at once and others waited many turns: {@code GET /api/v1/me} at 64 connections had a p99 four times its
 * median. With a fair semaphore of one permit per connection in front of the pool, every unit of work waits its
 * turn and then finds a free connection at once. The price is a hand-over from thread to thread at every turn
 * (bench/accounts.sh, alternating runs: p99 24–34 ms instead of 38–44 ms, throughput about a tenth lower); a steady
 * answer time is worth more to a musician than the last tenth of throughput.
 *
 * <p>Re-entrant per thread, so a unit of work that runs another on the same thread never waits for itself (the pool
 * alone would hand it a second connection). A wait longer than the pool's own connection timeout gives up with
 * SQLSTATE 53300 (too_many_connections), which the API answers as 503 with Retry-After.
 */
final class ConnectionQueue {
    private final Semaphore turns;
    private final long timeoutNanos;
    private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[1]);

    ConnectionQueue(int connections, Duration timeout) {
        if (connections < 1) {
            throw new IllegalArgumentException("a connection queue needs at least one connection");
        }
        this.turns = new Semaphore(connections, true);
        this.timeoutNanos = timeout.toNanos();
    }

    /** Waits for this thread's turn (at once when it already has one); pair with {@link #leave()} in a finally. */
    void enter() {
        int[] depth = held.get();
        if (depth[0] > 0) {
            depth[0]++;
            return;
        }
        boolean admitted;
        try {
            admitted = turns.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new UnableToExecuteStatementException(new SQLTransientConnectionException(
                    "no database connection became free in time", "53300"), null);
        }
        depth[0] = 1;
    }

    void leave() {
        int[] depth = held.get();
        if (--depth[0] == 0) {
            turns.release();
        }
    }

    /** Turns free right now (for tests). */
    int free() {
        return turns.availablePermits();
    }
}
