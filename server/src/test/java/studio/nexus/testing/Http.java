package studio.nexus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import studio.nexus.web.Json;

/** A small HTTP client for end-to-end tests: JSON in, {@link Response} out. Thread-safe. */
public final class Http {
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** When set, requests go out from this local address (see {@link #from}). */
    private final String localAddress;

    public Http(String base) {
        this(base, null);
    }

    private Http(String base, String localAddress) {
        this.base = base;
        this.localAddress = localAddress;
    }

    /**
     * The same server, seen from another client address: a loopback address such as {@code 127.0.0.2} (Linux
     * answers on all of 127.0.0.0/8). For tests of what the server keys on the client's address.
     */
    public Http from(String loopbackAddress) {
        return new Http(base.replace("//localhost:", "//127.0.0.1:"), loopbackAddress);
    }

    public String base() {
        return base;
    }

    /** A response: status, headers, raw body and the body as JSON (missing when it isn't JSON). */
    public record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Response post(String path, String token, Object json) {
        return sendJson("POST", path, token, json);
    }

    public Response put(String path, String token, Object json) {
        return sendJson("PUT", path, token, json);
    }

    public Response patch(String path, String token, Object json) {
        return sendJson("PATCH", path, token, json);
    }

    /** Sends raw bytes as they are, with the given content type (for malformed and hostile bodies). */
    public Response raw(String method, String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder builder = request(path, token);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response sendJson(String method, String path, String token, Object json) {
        String text = json instanceof String s ? s : Json.MAPPER.valueToTree(json).toString();
        return raw(method, path, token, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest.Builder builder) {
        if (localAddress != null) {
            return BoundSocketClient.send(builder.build(), localAddress);
        }
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
