package studio.nexus.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server in a child JVM ({@code studio.nexus.Main serve}) with a heap of its own, over the database and data
 * directory of a {@link TestServer}: what a test needs to show the server keeps within a small heap (the test's own
 * JVM has a large one) and stays up. It signs tokens with the same secret as {@link TestServer}, so a
 * {@link Musicians musician} signed in there is signed in here. Runs no job workers. Its output goes to a log under
 * {@code target/}, named in every failure about it. Stopped on {@link #close}.
 */
public final class ServerProcess implements AutoCloseable {
    static final String SECRET = "test-secret-that-is-long-enough-for-hs256-signing";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final Http http;

    private ServerProcess(Process process, Path log, Http http) {
        this.process = process;
        this.log = log;
        this.http = http;
    }

    /** Starts a server with a {@code maxHeap} heap (e.g. {@code "256m"}) beside {@code server}; returns once it is ready. */
    public static ServerProcess start(TestServer server, String maxHeap) throws IOException, InterruptedException {
        return start(server, maxHeap, Map.of());
    }

    /** The same, with more STUDIO_ settings for the child. */
    public static ServerProcess start(TestServer server, String maxHeap, Map<String, String> settings)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path target = Path.of("target");
        Path log = Files.isDirectory(target) ? Files.createTempFile(target, "server-process", ".log")
                : Files.createTempFile("server-process", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
                "--add-exports", "java.desktop/com.sun.media.sound=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "studio.nexus.Main", "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("STUDIO_PORT", String.valueOf(port));
        env.put("STUDIO_DB_URL", server.database().jdbcUrl());
        env.put("STUDIO_DB_USER", TestDatabase.user());
        if (TestDatabase.password() != null) {
            env.put("STUDIO_DB_PASSWORD", TestDatabase.password());
        }
        env.put("STUDIO_DATA_DIR", server.dataDir().toString());
        env.put("STUDIO_JWT_SECRET", SECRET);
        env.put("STUDIO_WORKERS", "0");
        env.putAll(settings);
        ServerProcess started = new ServerProcess(builder.start(), log, new Http("http://localhost:" + port));
        try {
            started.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("the server process exited while starting; its log: " + log);
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(http.base() + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server process did not answer within " + STARTUP + "; its log: " + log);
            }
            Thread.sleep(200);
        }
    }

    /** The API client of this process (held to openapi.json, as {@link TestServer#http()}). */
    public Http http() {
        return http;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where its output goes, to name in assertions. */
    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public String toString() {
        return "server process at " + http.base() + " (log " + log + ")";
    }
}
