package studio.nexus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * A job's event stream lives no longer than the session it was opened with. No workers run here, so the job
 * stays queued and the stream would otherwise keep sending heartbeats for an hour.
 */
class JobEventStreamsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);

    private static final String CLOSED = "<closed>";
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aStreamEndsWhenItsSessionSignsOut() throws Exception {
        endsWhen(account -> assertThat(server.http().post("/api/v1/auth/logout", account.token(), null).status())
                .isEqualTo(204));
    }

    @Test
    void aStreamEndsWhenItsSessionIsRevokedFromAnotherSession() throws Exception {
        endsWhen(account -> {
            Musician laptop = Musicians.signIn(server.http(), account);
            assertThat(server.http().delete("/api/v1/auth/sessions/" + account.sessionId(), laptop.token()).status())
                    .isEqualTo(204);
        });
    }

    @Test
    void aStreamEndsWhenItsAccountIsDeleted() throws Exception {
        Musician account = Musicians.signUp(server.http(), "leaving");
        BlockingQueue<String> lines = openStream(account, renderJob(account));
        assertThat(server.http().raw("DELETE", "/api/v1/me", account.token(), "application/json",
                ("{\"password\":\"" + Musicians.PASSWORD + "\"}").getBytes()).status()).isEqualTo(204);
        awaitClosed(lines);
    }

    @Test
    void aStreamOfALiveSessionKeepsGoing() throws Exception {
        Musician account = Musicians.signUp(server.http(), "staying");
        BlockingQueue<String> lines = openStream(account, renderJob(account));
        String line;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while ((line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            assertThat(line).isNotEqualTo(CLOSED).doesNotContain("session_ended");
        }
    }

    private static void endsWhen(Consumer<Musician> endSession) throws Exception {
        Musician account = Musicians.signUp(server.http(), "streamer");
        BlockingQueue<String> lines = openStream(account, renderJob(account));
        endSession.accept(account);
        String ending = awaitClosed(lines);
        assertThat(ending).contains("event: end").contains("\"status\":\"session_ended\"");
    }

    /** Everything the stream sent after the session ended, until it closed (fails if it stays open). */
    private static String awaitClosed(BlockingQueue<String> lines) throws InterruptedException {
        StringBuilder after = new StringBuilder();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(line).as("the stream still open 10 s after its session ended; sent: " + after).isNotNull();
            if (line.equals(CLOSED)) {
                return after.toString();
            }
            after.append(line).append('\n');
        }
    }

    /** Opens the job's event stream (token as the query parameter, like a browser's EventSource) and waits for its
     * first progress event. */
    private static BlockingQueue<String> openStream(Musician account, String jobId) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(server.http().base() + "/api/v1/jobs/" + jobId
                        + "/events?access_token=" + account.token()))
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            } catch (RuntimeException e) {
                // a reset connection also ends the stream
            }
            lines.add(CLOSED);
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(line).as("no progress event").isNotNull().isNotEqualTo(CLOSED);
            if (line.equals("event: progress")) {
                return lines;
            }
        }
    }

    private static String renderJob(Musician account) throws IOException {
        UUID id = TestProjects.projectWithAudio(server, account, "Streamed", TestAudio.wav(8_000, 1, 1.0));
        Http.Response queued = server.http().post("/api/v1/projects/" + id + "/render", account.token(), Map.of());
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        return queued.json().path("id").asText();
    }

}
