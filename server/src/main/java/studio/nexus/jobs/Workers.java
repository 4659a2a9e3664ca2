package studio.nexus.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads that run jobs from the queue. Each thread claims a job, runs its handler while renewing the lease,
 * and records the outcome. New jobs wake idle threads at once through LISTEN on a dedicated connection; polling
 * every {@code pollInterval} is the fallback (and how a lost notification is healed). One thread also reaps
 * expired leases. Shutdown stops claiming, lets running jobs finish within a grace period, then asks them to stop
 * and hands them back to the queue for another process. Thread-safe.
 */
public final class Workers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final JobQueue queue;
    private final DataSource listenSource;
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    private final int concurrency;
    private final Duration lease;
    private final Duration pollInterval;
    private final Duration shutdownGrace;
    private final Backoff backoff;
    private final String processId;
    private final AtomicBoolean running = new AtomicBoolean(false);
    private final AtomicBoolean stopping = new AtomicBoolean(false);
    private final Semaphore wakeUps = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();

    public Workers(JobQueue queue, DataSource listenSource, List<JobHandler> handlers, int concurrency, Duration lease,
                   Duration pollInterval, Duration shutdownGrace, Backoff backoff) {
        this.queue = queue;
        this.listenSource = listenSource;
        handlers.forEach(handler -> this.handlers.put(handler.kind(), handler));
        this.concurrency = concurrency;
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.shutdownGrace = shutdownGrace;
        this.backoff = backoff;
        this.processId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public List<String> kinds() {
        return List.copyOf(handlers.keySet());
    }

    public void start() {
        if (concurrency <= 0 || handlers.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < concurrency; i++) {
            String worker = processId + "#" + i;
            boolean reaper = i == 0;
            Thread thread = new Thread(() -> loop(worker, reaper), "worker-" + i);
            threads.add(thread);
            thread.start();
        }
        if (listenSource != null) {
            Thread listener = new Thread(this::listen, "worker-listener");
            listener.setDaemon(true);
            threads.add(listener);
            listener.start();
        }
        log.info("{} worker thread(s) for {}", concurrency, handlers.keySet());
    }

    /** Wakes the idle workers (a job was queued by this process). */
    public void wakeUp() {
        wakeUps.release(concurrency);
    }

    private void loop(String worker, boolean reaper) {
        long lastReap = 0;
        while (running.get()) {
            try {
                if (reaper && System.nanoTime() - lastReap > pollInterval.toNanos()) {
                    lastReap = System.nanoTime();
                    for (Job failed : queue.reapExpiredLeases()) {
                        giveUp(failed, "failed", failed.errorCode(), failed.errorMessage());
                    }
                }
                Optional<Job> job = queue.claim(kinds(), worker, lease);
                if (job.isPresent()) {
                    run(job.get(), worker);
                } else {
                    wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                if (!running.get()) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("worker {} hit an error; backing off", worker, e);
                sleepQuietly(pollInterval);
            }
        }
    }

    private void run(Job job, String worker) {
        JobHandler handler = handlers.get(job.kind());
        Context context = new Context(job, worker);
        log.info("job {} ({}) attempt {}/{} started", job.id(), job.kind(), job.attempts(), job.maxAttempts());
        try {
            JsonNode result = handler.run(job, context);
            if (queue.complete(job.id(), worker, result)) {
                log.info("job {} ({}) succeeded", job.id(), job.kind());
            } else {
                log.warn("job {} finished after its lease was lost; the outcome is discarded", job.id());
            }
        } catch (JobContext.JobStopped stopped) {
            switch (stopped.reason()) {
                case "cancelled" -> {
                    if (queue.cancelled(job.id(), worker)) {
                        giveUp(job, "cancelled", null, null);
                    }
                }
                case "shutdown" -> queue.handBack(job.id(), worker);
                default -> log.warn("job {} stopped: lease lost", job.id());
            }
        } catch (JobFailure failure) {
            fail(job, worker, failure.code(), failure.getMessage(), failure.retryable());
        } catch (InterruptedException e) {
            queue.handBack(job.id(), worker);
        } catch (Exception | Error e) {
            log.error("job {} ({}) crashed", job.id(), job.kind(), e);
            fail(job, worker, "internal_error", "The job failed unexpectedly: " + e.getClass().getSimpleName(), true);
        }
    }

    private void fail(Job job, String worker, String code, String message, boolean retryable) {
        Duration delay = backoff.delayAfter(job.attempts(), ThreadLocalRandom.current());
        Optional<String> status = queue.fail(job.id(), worker, code, message, retryable, delay);
        log.info("job {} ({}) attempt {} failed with {}: {}", job.id(), job.kind(), job.attempts(), code,
                status.map(s -> s.equals("queued") ? "retrying in " + delay.toSeconds() + " s" : "giving up")
                        .orElse("lease lost"));
        if (status.filter("failed"::equals).isPresent()) {
            giveUp(job, "failed", code, message);
        }
    }

    private void giveUp(Job job, String status, String code, String message) {
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            return;
        }
        try {
            handler.onGiveUp(job, status, code, message);
        } catch (RuntimeException e) {
            log.warn("restoring state after job {} ended {} failed", job.id(), status, e);
        }
    }

    private final class Context implements JobContext {
        private final Job job;
        private final String worker;
        private long lastBeat = System.nanoTime();
        private volatile String stopReason;

        Context(Job job, String worker) {
            this.job = job;
            this.worker = worker;
        }

        @Override
        public void progress(double fraction, String message) throws JobStopped {
            if (stopping.get()) {
                stopReason = "shutdown";
            }
            long now = System.nanoTime();
            if (stopReason == null && (now - lastBeat > lease.toNanos() / 4 || fraction >= 1.0)) {
                lastBeat = now;
                switch (queue.heartbeat(job.id(), worker, lease, fraction, message)) {
                    case CANCELLED -> stopReason = "cancelled";
                    case LEASE_LOST -> stopReason = "lease_lost";
                    default -> { }
                }
            }
            if (stopReason != null) {
                throw new JobStopped(stopReason);
            }
        }

        @Override
        public boolean shouldStop() {
            return stopReason != null || stopping.get();
        }
    }

    private void listen() {
        while (running.get()) {
            try (Connection connection = listenSource.getConnection()) {
                connection.setAutoCommit(true);
                JobSql.listen(connection);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running.get()) {
                    var notifications = pg.getNotifications((int) Math.min(pollInterval.toMillis(), 5_000));
                    if (notifications != null && notifications.length > 0) {
                        wakeUp();
                    }
                }
            } catch (Exception e) {
                if (running.get()) {
                    log.warn("job notifications lost ({}); polling meanwhile and reconnecting", e.getMessage());
                    sleepQuietly(pollInterval);
                }
            }
        }
    }

    /** Stops claiming; running jobs get the grace period to finish, then are asked to stop and handed back. */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        wakeUp();
        Instant deadline = Instant.now().plus(shutdownGrace);
        for (Thread thread : threads) {
            if (thread.getName().equals("worker-listener")) {
                continue;
            }
            try {
                long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                thread.join(left);
                if (thread.isAlive()) {
                    stopping.set(true);
                    thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
