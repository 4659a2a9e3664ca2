package studio.nexus.jobs;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import studio.nexus.core.Scheduler;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.core.Json;
import studio.nexus.web.PathIds;

/**
 * A job's status as JSON, its progress as Server-Sent Events, and cancelling it. The caller sees a job only if
 * the database lets them (their own, or of a project they work on). Everyone else, anonymous callers included,
 * gets 404 from every route here, whatever the job's state: a 401 or 409 would tell them the job exists.
 */
public final class JobRoutes implements AutoCloseable {
    private static final long POLL_MILLIS = 400;
    private static final long MAX_STREAM_MILLIS = 60 * 60 * 1000;

    private final Jobs jobs;
    private final Predicate<Identity> sessionStillLive;
    private final Scheduler scheduler;
    /** Every open stream and its poll, so a shutdown ends them all. */
    private final Map<SseClient, AtomicReference<ScheduledFuture<?>>> open = new ConcurrentHashMap<>();

    /**
     * {@code sessionStillLive}: asked at every poll, so a stream ends soon after its session does. The polls run on
     * {@code scheduler}.
     */
    public JobRoutes(Jobs jobs, Predicate<Identity> sessionStillLive, Scheduler scheduler) {
        this.jobs = jobs;
        this.sessionStillLive = sessionStillLive;
        this.scheduler = scheduler;
    }

    public void get(Context ctx) {
        Identity who = Caller.identity(ctx);
        ctx.json(jobs.visible(who, PathIds.uuid(ctx, "id", "Job")));
    }

    public void cancel(Context ctx) {
        Identity who = Caller.identity(ctx);
        UUID id = PathIds.uuid(ctx, "id", "Job");
        ctx.status(202).json(jobs.cancel(who, id));
    }

    /**
     * Streams {@code progress} events (the job as JSON) whenever it changes, then one {@code end} event when it
     * finishes, and closes. Polls the row as the caller, so visibility stays the database's decision. A stream
     * whose session ends (sign-out, revocation, account deletion) gets {@code end} with status
     * {@code session_ended} and closes: the token it was opened with would be refused now.
     */
    public void events(Context ctx) {
        eventsFor(ctx, PathIds.uuid(ctx, "id", "Job"));
    }

    /** The SSE progress stream of job {@code id}, for a feature whose record names the job (transformations). */
    public void eventsFor(Context ctx, UUID id) {
        Identity who = Caller.identity(ctx);
        jobs.visible(who, id);
        new SseHandler(client -> stream(client, who, id)).handle(ctx);
    }

    private void stream(SseClient client, Identity who, UUID id) {
        client.keepAlive();
        AtomicReference<String> last = new AtomicReference<>("");
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        open.put(client, task);
        long started = System.currentTimeMillis();
        Runnable poll = () -> {
            try {
                if (client.terminated() || System.currentTimeMillis() - started > MAX_STREAM_MILLIS) {
                    stop(client, task.get());
                    return;
                }
                if (!sessionStillLive.test(who)) {
                    client.sendEvent("end", Map.of("status", "session_ended"));
                    stop(client, task.get());
                    return;
                }
                Job job = jobs.find(who, id).orElse(null);
                if (job == null) {
                    client.sendEvent("end", Map.of("status", "gone"));
                    stop(client, task.get());
                    return;
                }
                String json = Json.MAPPER.writeValueAsString(job);
                if (!json.equals(last.get())) {
                    last.set(json);
                    client.sendEvent("progress", json);
                }
                if (job.isFinished()) {
                    client.sendEvent("end", json);
                    stop(client, task.get());
                }
            } catch (Exception e) {
                stop(client, task.get());
            }
        };
        task.set(scheduler.every("job event stream", Duration.ZERO, Duration.ofMillis(POLL_MILLIS), poll));
        client.onClose(() -> {
            open.remove(client);
            ScheduledFuture<?> running = task.get();
            if (running != null) {
                running.cancel(false);
            }
        });
    }

    private static void stop(SseClient client, ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
        client.close();
    }

    /** Ends every open stream (clients reconnect elsewhere), so a shutdown need not wait for them. */
    @Override
    public void close() {
        open.forEach((client, task) -> {
            ScheduledFuture<?> running = task.get();
            if (running != null) {
                running.cancel(false);
            }
            try {
                client.close();
            } catch (RuntimeException e) {
                // already gone
            }
        });
        open.clear();
    }
}
