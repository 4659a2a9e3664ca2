package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.core.Json;

/**
 * Replicate's predictions API over {@link HttpClient}: create, get, cancel, and copying an output file into our
 * storage. Every failure is a {@link ProviderError} carrying the HTTP status (0 for the network) and Retry-After, so
 * the caller decides between waiting, retrying and giving up. Thread-safe.
 */
public final class ReplicateClient {
    /** A prediction as Replicate describes it. */
    public record Prediction(String id, String status, JsonNode output, String error) {
        static Prediction of(JsonNode json) {
            JsonNode error = json.path("error");
            return new Prediction(json.path("id").asText(null), json.path("status").asText(""), json.path("output"),
                    error.isNull() || error.isMissingNode() ? null : error.isTextual() ? error.asText() : error.toString());
        }

        /** The output file's URL: the output itself, or the first of a list. */
        String outputUrl() {
            JsonNode first = output.isArray() && !output.isEmpty() ? output.get(0) : output;
            return first.isTextual() ? first.asText() : null;
        }
    }

    /** Replicate (or the way to it) failed: status 0 = network; retryAfter may be null. */
    public static final class ProviderError extends Exception {
        final int status;
        final Duration retryAfter;

        ProviderError(int status, String message, Duration retryAfter, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        boolean auth() {
            return status == 401 || status == 403;
        }

        /** Network, 5xx and 429 may pass; anything else (400, 404, 422, …) will not. */
        boolean transientFailure() {
            return status == 0 || status == 429 || status >= 500;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final Duration timeout = Duration.ofSeconds(30);

    public ReplicateClient(String baseUrl, String token) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public Prediction create(JsonNode body, String cancelAfter) throws ProviderError, InterruptedException {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest.Builder request = api("v1/predictions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (cancelAfter != null) {
            request.header("Cancel-After", cancelAfter);
        }
        return Prediction.of(send(request));
    }

    public Prediction get(String id) throws ProviderError, InterruptedException {
        return Prediction.of(send(api("v1/predictions/" + pathSegment(id)).GET()));
    }

    public Prediction cancel(String id) throws ProviderError, InterruptedException {
        return Prediction.of(send(api("v1/predictions/" + pathSegment(id) + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())));
    }

    /**
     * Streams an output file into storage under {@code transformations/<id>/output-….<ext>} (at most
     * {@code maxBytes}) and answers its key. Replicate deletes outputs after an hour, so this happens at once.
     */
    public String download(String url, Storage storage, UUID transformation, long maxBytes)
            throws ProviderError, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProviderError(422, "Replicate's output is not a URL", null, e);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
            throw new ProviderError(422, "Replicate's output is not an http(s) URL", null, null);
        }
        String key = StorageKeys.transformationFile(transformation, "output", extension(uri.getPath()));
        try {
            // no token: output URLs are Replicate's delivery host, which needs none
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ProviderError(response.statusCode(), "Replicate's output answered "
                            + response.statusCode(), retryAfter(response), null);
                }
                storage.put(key, in, maxBytes);
            }
            return key;
        } catch (Storage.TooLarge e) {
            throw new ProviderError(413, "Replicate's output is larger than " + maxBytes + " bytes", null, e);
        } catch (IOException e) {
            throw new ProviderError(0, "Replicate's output could not be downloaded: " + e.getMessage(), null, e);
        }
    }

    static String extension(String path) {
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        for (String known : new String[] {"wav", "mp3", "flac", "ogg"}) {
            if (lower.endsWith("." + known)) {
                return known;
            }
        }
        return "wav";
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request) throws ProviderError, InterruptedException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ProviderError(0, "Replicate could not be reached: " + e.getMessage(), null, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String detail = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            if (detail.length() > 300) {
                detail = detail.substring(0, 300);
            }
            throw new ProviderError(status, "Replicate answered " + status + ": " + detail, retryAfter(response), null);
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new ProviderError(502, "Replicate answered something that is not JSON", null, e);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException e) {
                try {
                    return java.util.Optional.of(Duration.between(java.time.Instant.now(),
                            java.time.ZonedDateTime.parse(value.trim(),
                                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
                } catch (RuntimeException unparsable) {
                    return java.util.Optional.empty();
                }
            }
        }).orElse(null);
    }

    private static String pathSegment(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new IllegalArgumentException("not a prediction id: " + id);
        }
        return id;
    }
}
