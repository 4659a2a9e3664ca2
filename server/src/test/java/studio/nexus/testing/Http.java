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
import studio.nexus.core.Json;

/**
 * A small HTTP client for end-to-end tests: JSON in, {@link Response} out. Thread-safe.
 *
 * <p>Every exchange with the API is held to openapi.json ({@link OpenApiContract}): a request or answer the
 * document does not describe fails the test with what differs (the web studio's pages and files are not the API). A test that sends something off the contract on purpose (malformed,
 * hostile or undocumented input) does so through {@link #offContract()}, whose answers are still checked.
 */
public final class Http {
    private final String base;
    private final HttpClient client;
    private final OpenApiContract contract;
    private final boolean checkRequests;
    /** When set, requests go out from this local address (see {@link #from}). */
    private final String localAddress;

    public Http(String base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), OpenApiContract.server(),
                true, null);
    }

    private Http(String base, HttpClient client, OpenApiContract contract, boolean checkRequests,
            String localAddress) {
        this.base = base;
        this.client = client;
        this.contract = contract;
        this.checkRequests = checkRequests;
        this.localAddress = localAddress;
    }

    /**
     * The same server, seen from another client address: a loopback address such as {@code 127.0.0.2} (Linux
     * answers on all of 127.0.0.0/8). For tests of what the server keys on the client's address.
     */
    public Http from(String loopbackAddress) {
        return new Http(base.replace("//localhost:", "//127.0.0.1:"), client, contract, checkRequests,
                loopbackAddress);
    }

    /**
     * The same client for requests that break the contract on purpose: the request is not checked, the answer
     * (usually a documented problem+json) still is.
     */
    public Http offContract() {
        return new Http(base, client, contract, false, localAddress);
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

    /** A null body sends no body at all (for operations that document none). */
    public Response sendJson(String method, String path, String token, Object json) {
        return sendJson(method, path, token, json, null);
    }

    /** A write that expects what it read: sent with {@code If-Match: ifMatch} (none when null). */
    public Response sendJson(String method, String path, String token, Object json, String ifMatch) {
        HttpRequest.Builder builder = request(path, token);
        if (ifMatch != null) {
            builder.header("If-Match", ifMatch);
        }
        if (json == null) {
            return send(builder.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        String text = json instanceof String s ? s : Json.MAPPER.valueToTree(json).toString();
        return send(builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            URI uri = request.uri();
            boolean covered = contract.covers(uri.getRawPath());
            if (checkRequests && covered) {
                OpenApiContract.Verdict verdict = contract.checkRequest(request.method(), uri,
                        request.headers().firstValue("Content-Type").orElse(null), RequestBodies.read(request));
                if (!verdict.ok()) {
                    throw new AssertionError("Request is off the OpenAPI contract (" + request.method() + " " + uri
                            + "): " + String.join("; ", verdict.violations())
                            + "\n(if that is deliberate, send it through http.offContract())");
                }
            }
            Response answer = exchange(request);
            if (!covered) {
                return answer;
            }
            byte[] body = request.method().equals("HEAD") ? new byte[0] : answer.bytes();
            OpenApiContract.Verdict verdict = contract.checkResponse(request.method(), uri, answer.status(),
                    answer.contentType(), body);
            if (!checkRequests && verdict.operation() == null) {
                verdict = contract.checkProblem(answer.status(), answer.contentType(), body);
            }
            if (!verdict.ok()) {
                throw new AssertionError("Answer is off the OpenAPI contract (" + request.method() + " " + uri
                        + " -> " + answer.status() + "): " + String.join("; ", verdict.violations()));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response exchange(HttpRequest request) throws IOException, InterruptedException {
        if (localAddress != null) {
            return BoundSocketClient.send(request, localAddress);
        }
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.headers(), response.body());
    }
}
