package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.core.Json;
import studio.nexus.testing.TestAudio;

/**
 * Replicate's predictions API as documented, in process (JDK HttpServer on port 0): {@code POST /v1/predictions}
 * answers {@code {"id", "status": "starting", "urls"}}, {@code GET /v1/predictions/{id}} the status (and output),
 * {@code POST /v1/predictions/{id}/cancel}, and the output WAV under {@code /files/}. What a prediction does is the
 * {@link #mode} at its creation.
 */
final class FakeReplicate implements AutoCloseable {
    enum Mode { SUCCEED_AFTER_POLLS, PROCESSING_FOREVER, FAIL }

    static final String TOKEN = "r8_test_token";

    final HttpServer server;
    final String base;
    final byte[] wav;
    volatile Mode mode = Mode.SUCCEED_AFTER_POLLS;
    /** How many of the next creates answer 429 with Retry-After: 1. */
    final AtomicInteger tooManyRequests = new AtomicInteger();
    final AtomicInteger createCalls = new AtomicInteger();
    /** How many of the next polls answer 503. */
    final AtomicInteger unavailablePolls = new AtomicInteger();
    /** Answer 401 to every API call (a revoked token). */
    volatile boolean revoked;
    final List<JsonNode> created = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> createHeaders = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final Map<String, Prediction> predictions = new ConcurrentHashMap<>();

    static final class Prediction {
        final String id;
        final Mode mode;
        volatile String status = "starting";
        volatile int polls;

        Prediction(String id, Mode mode) {
            this.id = id;
            this.mode = mode;
        }
    }

    FakeReplicate() {
        try {
            float[] tone = new float[8000];
            for (int i = 0; i < tone.length; i++) {
                tone[i] = (float) (0.2 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            }
            wav = TestAudio.encode(new float[][] {tone}, 16000, WavEncoder.SampleFormat.PCM_16);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String outputUrl() {
        return base + "/files/output.wav";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/files/") && method.equals("GET")) {
                exchange.getResponseHeaders().add("Content-Type", "audio/wav");
                exchange.sendResponseHeaders(200, wav.length);
                exchange.getResponseBody().write(wav);
                return;
            }
            if (revoked || !("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                json(exchange, 401, Map.of("title", "Unauthenticated", "detail", "You did not pass a valid token",
                        "status", 401));
                return;
            }
            if (path.equals("/v1/predictions") && method.equals("POST")) {
                createCalls.incrementAndGet();
                JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
                if (tooManyRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    json(exchange, 429, Map.of("title", "Request was throttled", "status", 429));
                    return;
                }
                created.add(body);
                createHeaders.add(Map.of("Authorization", exchange.getRequestHeaders().getFirst("Authorization"),
                        "Cancel-After", String.valueOf(exchange.getRequestHeaders().getFirst("Cancel-After"))));
                Prediction p = new Prediction(UUID.randomUUID().toString().replace("-", "").substring(0, 26), mode);
                predictions.put(p.id, p);
                json(exchange, 201, describe(p));
                return;
            }
            String[] parts = path.split("/");   // "", v1, predictions, id[, cancel]
            if (parts.length >= 4 && parts[2].equals("predictions") && predictions.containsKey(parts[3])) {
                Prediction p = predictions.get(parts[3]);
                if (parts.length == 5 && parts[4].equals("cancel") && method.equals("POST")) {
                    cancelled.add(p.id);
                    p.status = "canceled";
                    json(exchange, 200, describe(p));
                    return;
                }
                if (parts.length == 4 && method.equals("GET")) {
                    if (unavailablePolls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        json(exchange, 503, Map.of("detail", "Service unavailable", "status", 503));
                        return;
                    }
                    if (!p.status.equals("canceled")) {
                        p.polls++;
                        p.status = switch (p.mode) {
                            case SUCCEED_AFTER_POLLS -> p.polls >= 3 ? "succeeded" : "processing";
                            case PROCESSING_FOREVER -> "processing";
                            case FAIL -> p.polls >= 2 ? "failed" : "processing";
                        };
                    }
                    json(exchange, 200, describe(p));
                    return;
                }
            }
            json(exchange, 404, Map.of("detail", "Not found.", "status", 404));
        }
    }

    private ObjectNode describe(Prediction p) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", p.id);
        node.put("model", "meta/musicgen");
        node.put("status", p.status);
        node.putObject("urls").put("get", base + "/v1/predictions/" + p.id)
                .put("cancel", base + "/v1/predictions/" + p.id + "/cancel");
        if (p.status.equals("succeeded")) {
            node.put("output", outputUrl());
        } else {
            node.putNull("output");
        }
        if (p.status.equals("failed")) {
            node.put("error", "CUDA out of memory");
        } else {
            node.putNull("error");
        }
        return node;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
