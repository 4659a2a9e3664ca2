package studio.nexus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.testing.Accounts;
import studio.nexus.testing.Accounts.Account;
import studio.nexus.testing.Http;
import studio.nexus.testing.TestDatabase;
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

    private static Http http() {
        return server.http();
    }

    @Test
    void aStreamEndsWhenItsSessionSignsOut() throws Exception {
        endsWhen(account -> assertThat(http().post("/api/v1/auth/logout", account.accessToken(), null).status())
                .isEqualTo(204));
    }

    @Test
    void aStreamEndsWhenItsSessionIsRevokedFromAnotherSession() throws Exception {
        endsWhen(account -> {
            Account laptop = Accounts.signIn(http(), account);
            assertThat(http().delete("/api/v1/auth/sessions/" + account.sessionId(), laptop.accessToken()).status())
                    .isEqualTo(204);
        });
    }

    @Test
    void aStreamEndsWhenItsAccountIsDeleted() throws Exception {
        Account account = Accounts.signUp(http(), "leaving");
        BlockingQueue<String> lines = openStream(account, renderJob(account));
        assertThat(http().raw("DELETE", "/api/v1/me", account.accessToken(), "application/json",
                ("{\"password\":\"" + Accounts.PASSWORD + "\"}").getBytes()).status()).isEqualTo(204);
        awaitClosed(lines);
    }

    @Test
    void aStreamOfALiveSessionKeepsGoing() throws Exception {
        Account account = Accounts.signUp(http(), "staying");
        BlockingQueue<String> lines = openStream(account, renderJob(account));
        String line;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while ((line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            assertThat(line).isNotEqualTo(CLOSED).doesNotContain("session_ended");
        }
    }

    private static void endsWhen(Consumer<Account> endSession) throws Exception {
        Account account = Accounts.signUp(http(), "streamer");
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
    private static BlockingQueue<String> openStream(Account account, String jobId) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(http().base() + "/api/v1/jobs/" + jobId
                        + "/events?access_token=" + account.accessToken()))
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

    private static String renderJob(Account account) throws IOException {
        Http.Response project = http().post("/api/v1/projects", account.accessToken(), Map.of("title", "Streamed"));
        assertThat(project.status()).isEqualTo(201);
        String id = project.json().path("id").asText();
        Http.Response uploaded = http().raw("PUT", "/api/v1/projects/" + id + "/audio", account.accessToken(),
                "audio/wav", wav());
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        Http.Response queued = http().post("/api/v1/projects/" + id + "/render", account.accessToken(), Map.of());
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        return queued.json().path("id").asText();
    }

    private static byte[] wav() throws IOException {
        int frames = 8_000;
        float[][] data = new float[1][frames];
        for (int i = 0; i < frames; i++) {
            data[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 8_000.0));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WavEncoder encoder = WavEncoder.create(out, 8_000, 1, WavEncoder.SampleFormat.PCM_16, false, frames)) {
            encoder.write(data, frames);
        }
        return out.toByteArray();
    }
}
