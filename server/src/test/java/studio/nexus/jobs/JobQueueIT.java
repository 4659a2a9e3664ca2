package studio.nexus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.SettableClock;
import studio.nexus.testing.TestDatabase;
import studio.nexus.core.Json;

class JobQueueIT {
    @RegisterExtension static TestDatabase database = new TestDatabase(24);

    private static UUID enqueue(String kind) {
        return database.db().asSystem(handle -> JobQueue.enqueue(handle, kind, null, null,
                Json.MAPPER.createObjectNode().put("n", 1)));
    }

    private static Job job(UUID id) {
        return database.db().asSystem(handle -> JobQueue.find(handle, id)).orElseThrow();
    }

    private static Workers workers(JobQueue queue, JobHandler handler, int threads, Duration poll) {
        return new Workers(queue, database.dataSource(), List.of(handler), threads, Duration.ofSeconds(30), poll,
                Duration.ofSeconds(5), new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
    }

    /** A handler of kind {@code kind} that counts runs per job and answers {"ok": true}. */
    private record Counting(String kind, Map<UUID, AtomicInteger> runs) implements JobHandler {
        @Override
        public JsonNode run(Job job, JobContext context) throws Exception {
            runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            context.progress(0.5, "half way");
            return Json.MAPPER.createObjectNode().put("ok", true);
        }
    }

    private static void awaitFinished(List<UUID> ids, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ids.stream().allMatch(id -> job(id).isFinished())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("jobs did not finish in " + timeout);
    }

    @Test
    void manyWorkerProcessesShareTheQueueAndEveryJobRunsExactlyOnce() throws Exception {
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(enqueue("count_once"));
        }
        List<Workers> processes = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            Workers process = workers(new JobQueue(database.db(), java.time.Clock.systemUTC()),
                    new Counting("count_once", runs), 2, Duration.ofMillis(100));
            processes.add(process);
            process.start();
        }
        try {
            awaitFinished(ids, Duration.ofSeconds(60));
        } finally {
            processes.forEach(Workers::close);
        }
        assertThat(runs).hasSize(60);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(ids).allSatisfy(id -> {
            Job done = job(id);
            assertThat(done.status()).isEqualTo("succeeded");
            assertThat(done.result().path("ok").asBoolean()).isTrue();
            assertThat(done.progress()).isEqualTo(1.0f);
            assertThat(done.startedAt()).isNotNull();
            assertThat(done.finishedAt()).isNotNull();
        });
    }

    @Test
    void aJobWhoseWorkerDiedIsClaimedAgainAfterItsLeaseAndCompletedExactlyOnceByAnother() {
        SettableClock clock = new SettableClock();
        JobQueue queue = new JobQueue(database.db(), clock);
        UUID id = enqueue("crashy");
        clock.advance(Duration.ofSeconds(1)); // the database stamped run_after a moment after the clock was made
        Job claimed = queue.claim(List.of("crashy"), "dying-worker", Duration.ofSeconds(30)).orElseThrow();
        assertThat(claimed.id()).isEqualTo(id);
        // the worker dies: no heartbeat, no outcome. Until the lease runs out nobody else may take the job.
        assertThat(queue.claim(List.of("crashy"), "rescuer", Duration.ofSeconds(30))).isEmpty();
        assertThat(queue.reapExpiredLeases()).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(queue.reapExpiredLeases()).isEmpty(); // handed back, not failed: attempts remain
        Job again = queue.claim(List.of("crashy"), "rescuer", Duration.ofSeconds(30)).orElseThrow();
        assertThat(again.attempts()).isEqualTo(2);
        // the dead worker wakes up late: fenced out, its heartbeat and outcome change nothing
        assertThat(queue.heartbeat(id, "dying-worker", Duration.ofSeconds(30), 0.9, "late"))
                .isEqualTo(JobQueue.Heartbeat.LEASE_LOST);
        assertThat(queue.complete(id, "dying-worker", Json.MAPPER.createObjectNode().put("by", "ghost"))).isFalse();
        assertThat(queue.complete(id, "rescuer", Json.MAPPER.createObjectNode().put("by", "rescuer"))).isTrue();
        assertThat(queue.complete(id, "rescuer", Json.MAPPER.createObjectNode().put("by", "twice"))).isFalse();
        assertThat(job(id).result().path("by").asText()).isEqualTo("rescuer");
    }

    @Test
    void failuresRetryWithBackoffThenEndFailedWithTheirCode() {
        SettableClock clock = new SettableClock();
        JobQueue queue = new JobQueue(database.db(), clock);
        UUID id = enqueue("flaky");
        clock.advance(Duration.ofSeconds(1));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Job claimed = queue.claim(List.of("flaky"), "w", Duration.ofSeconds(30)).orElseThrow();
            assertThat(claimed.attempts()).isEqualTo(attempt);
            String status = queue.fail(id, "w", "provider_unavailable", "try later", true, Duration.ofSeconds(10))
                    .orElseThrow();
            if (attempt < 3) {
                assertThat(status).isEqualTo("queued");
                assertThat(queue.claim(List.of("flaky"), "w", Duration.ofSeconds(30))).as("waits its backoff").isEmpty();
                clock.advance(Duration.ofSeconds(11));
            } else {
                assertThat(status).isEqualTo("failed");
            }
        }
        Job failed = job(id);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.errorCode()).isEqualTo("provider_unavailable");
        assertThat(failed.finishedAt()).isNotNull();
    }

    @Test
    void aFailureThatCannotSucceedIsNotRetried() {
        JobQueue queue = new JobQueue(database.db(), java.time.Clock.systemUTC());
        UUID id = enqueue("doomed");
        queue.claim(List.of("doomed"), "w", Duration.ofSeconds(30)).orElseThrow();
        assertThat(queue.fail(id, "w", "decode_failed", "not audio", false, Duration.ZERO)).contains("failed");
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndARunningOneStopsAtItsNextHeartbeat() throws Exception {
        JobQueue queue = new JobQueue(database.db(), java.time.Clock.systemUTC());
        UUID queued = enqueue("cancel_me_later");
        String answer = database.one(String.class, "SELECT public.cancel_job(:id)", TestDatabase.params("id", queued));
        assertThat(answer).isEqualTo("cancelled");
        assertThat(job(queued).status()).isEqualTo("cancelled");

        CountDownLatch started = new CountDownLatch(1);
        List<String> seen = new ArrayList<>();
        JobHandler slow = new JobHandler() {
            public String kind() {
                return "slow_cancellable";
            }

            public JsonNode run(Job job, JobContext context) throws Exception {
                started.countDown();
                for (int i = 0; i < 1000; i++) {
                    Thread.sleep(20);
                    context.progress(i / 1000.0, "working");
                }
                return Json.MAPPER.createObjectNode();
            }

            public void onGiveUp(Job job, String status, String code, String message) {
                seen.add(status);
            }
        };
        UUID running = enqueue("slow_cancellable");
        Workers workers = new Workers(queue, database.dataSource(), List.of(slow), 1, Duration.ofMillis(400),
                Duration.ofMillis(50), Duration.ofSeconds(5), Backoff.DEFAULT);
        workers.start();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            String status = database.one(String.class, "SELECT public.cancel_job(:id)",
                    TestDatabase.params("id", running));
            assertThat(status).isEqualTo("running");
            awaitFinished(List.of(running), Duration.ofSeconds(10));
        } finally {
            workers.close();
        }
        assertThat(job(running).status()).isEqualTo("cancelled");
        assertThat(seen).containsExactly("cancelled");
    }

    @Test
    void aNewJobWakesAnIdleWorkerAtOnceThroughNotify() throws Exception {
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        // polling every 60 s: only the notification can make this fast
        Workers workers = workers(new JobQueue(database.db(), java.time.Clock.systemUTC()),
                new Counting("wake_me", runs), 1, Duration.ofSeconds(60));
        workers.start();
        try {
            Thread.sleep(1500); // the worker is idle, waiting
            UUID id = enqueue("wake_me");
            awaitFinished(List.of(id), Duration.ofSeconds(10));
            assertThat(runs.get(id).get()).isEqualTo(1);
        } finally {
            workers.close();
        }
    }

    @Test
    void shutdownHandsARunningJobBackForAnotherProcess() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobHandler endless = new JobHandler() {
            public String kind() {
                return "endless";
            }

            public JsonNode run(Job job, JobContext context) throws Exception {
                started.countDown();
                while (true) {
                    Thread.sleep(20);
                    context.progress(0.1, "still going");
                }
            }
        };
        UUID id = enqueue("endless");
        Workers workers = new Workers(new JobQueue(database.db(), java.time.Clock.systemUTC()), null, List.of(endless),
                1, Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(300), Backoff.DEFAULT);
        workers.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        workers.close();
        Job handedBack = job(id);
        assertThat(handedBack.status()).isEqualTo("queued");
        assertThat(handedBack.attempts()).isZero();
    }
}
