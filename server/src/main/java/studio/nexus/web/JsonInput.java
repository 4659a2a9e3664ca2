package studio.nexus.web;

import studio.nexus.core.Failure;
import studio.nexus.core.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and validates a JSON object request body field by field, collecting every problem so the caller hears
 * about all of them at once (422 {@code validation_failed} with one error per field). Malformed JSON, invalid
 * UTF-8, a non-object body, or a body of another content type are refused before any field is read.
 * Not thread-safe: one per request.
 */
public final class JsonInput {
    private final ObjectNode body;
    private final List<Failure.FieldError> errors = new ArrayList<>();

    private JsonInput(ObjectNode body) {
        this.body = body;
    }

    /** Parses the request body, which must be a JSON object of at most {@code maxBytes}. */
    public static JsonInput of(Context ctx, long maxBytes) {
        return parse(body(ctx, maxBytes, true));
    }

    /**
     * For a body the route documents as optional: no body at all (no Content-Length, a zero one, or a chunked
     * empty one) means every default, whatever content type the client named.
     */
    public static JsonInput ofOptional(Context ctx, long maxBytes) {
        if (ctx.contentLength() == 0) {
            return of(Json.MAPPER.createObjectNode());
        }
        byte[] bytes = body(ctx, maxBytes, false);
        if (bytes.length == 0) {
            return of(Json.MAPPER.createObjectNode());
        }
        checkContentType(ctx);
        return parse(bytes);
    }

    private static byte[] body(Context ctx, long maxBytes, boolean checkType) {
        if (checkType) {
            checkContentType(ctx);
        }
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            drainSome(ctx);
            throw new ApiException(413, "payload_too_large", "Payload too large",
                    "The JSON body is larger than " + maxBytes + " bytes");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > maxBytes) {
            throw new ApiException(413, "payload_too_large", "Payload too large",
                    "The JSON body is larger than " + maxBytes + " bytes");
        }
        return bytes;
    }

    private static void checkContentType(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
                && !contentType.toLowerCase(Locale.ROOT).contains("+json")) {
            throw new ApiException(415, "unsupported_media_type", "Unsupported media type",
                    "Send the body as application/json");
        }
    }

    /**
     * Reads and drops a moderately oversized body before the 413 is sent, so a client that writes its whole body
     * before reading the answer gets the answer instead of a reset connection. Huge bodies are cut off (the
     * connection then closes).
     */
    private static void drainSome(Context ctx) {
        long limit = 16L * 1024 * 1024;
        if (ctx.contentLength() > limit) {
            return;
        }
        try (var in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while (read < limit && (n = in.read(buffer)) != -1) {
                read += n;
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // the client went away: nothing to answer anyway
        }
    }

    public static JsonInput parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("malformed_json", "The request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("malformed_json", "The request body could not be read as UTF-8 JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("expected_object", "The request body must be a JSON object");
        }
        return new JsonInput((ObjectNode) node);
    }

    public static JsonInput of(ObjectNode body) {
        return new JsonInput(body);
    }

    public ObjectNode raw() {
        return body;
    }

    public boolean has(String field) {
        return body.has(field);
    }

    /** Refuses fields this endpoint does not know, so a typo is never silently ignored. */
    public JsonInput allowOnly(String... fields) {
        Set<String> allowed = new LinkedHashSet<>(List.of(fields));
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new Failure.FieldError(clip(name), "is not a known field; allowed: "
                        + String.join(", ", allowed)));
            }
        }
        return this;
    }

    public Optional<String> text(String field, int minLength, int maxLength, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!node.isTextual()) {
            errors.add(new Failure.FieldError(field, "must be a string"));
            return Optional.empty();
        }
        String value = node.textValue();
        int length = value.codePointCount(0, value.length());
        if (length < minLength || length > maxLength) {
            errors.add(new Failure.FieldError(field, minLength == maxLength
                    ? "must be " + minLength + " characters long"
                    : "must be " + minLength + "–" + maxLength + " characters long (got " + length + ")"));
            return Optional.empty();
        }
        if (value.indexOf('\0') >= 0) {
            errors.add(new Failure.FieldError(field, "must not contain NUL characters"));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    public Optional<Integer> integer(String field, int min, int max, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            errors.add(new Failure.FieldError(field, "must be a whole number from " + min + " to " + max));
            return Optional.empty();
        }
        int value = node.intValue();
        if (value < min || value > max) {
            errors.add(new Failure.FieldError(field, "must be from " + min + " to " + max + " (got " + value + ")"));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    public Optional<Double> number(String field, double min, double max, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            errors.add(new Failure.FieldError(field, "must be a number from " + min + " to " + max));
            return Optional.empty();
        }
        double value = node.doubleValue();
        if (value < min || value > max) {
            errors.add(new Failure.FieldError(field, "must be from " + min + " to " + max + " (got " + value + ")"));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    public Optional<Boolean> bool(String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            errors.add(new Failure.FieldError(field, "must be true or false"));
            return Optional.empty();
        }
        return Optional.of(node.booleanValue());
    }

    public Optional<UUID> uuid(String field, boolean required) {
        return text(field, 1, 64, required).flatMap(text -> {
            try {
                UUID id = UUID.fromString(text);
                if (!id.toString().equalsIgnoreCase(text)) {
                    throw new IllegalArgumentException();
                }
                return Optional.of(id);
            } catch (IllegalArgumentException e) {
                errors.add(new Failure.FieldError(field, "must be a UUID"));
                return Optional.empty();
            }
        });
    }

    /** A JSON object field whose serialized size is at most {@code maxBytes}. */
    public Optional<ObjectNode> object(String field, int maxBytes, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!node.isObject()) {
            errors.add(new Failure.FieldError(field, "must be a JSON object"));
            return Optional.empty();
        }
        if (node.toString().length() > maxBytes) {
            errors.add(new Failure.FieldError(field, "must be at most " + maxBytes + " bytes of JSON"));
            return Optional.empty();
        }
        return Optional.of((ObjectNode) node);
    }

    /** Any JSON value of at most {@code maxBytes}, for fields whose shape a domain validator checks. */
    public Optional<JsonNode> value(String field, int maxBytes, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (node.toString().length() > maxBytes) {
            errors.add(new Failure.FieldError(field, "must be at most " + maxBytes + " bytes of JSON"));
            return Optional.empty();
        }
        return Optional.of(node);
    }

    /** An array of strings, each {@code minLength}–{@code maxLength} characters, at most {@code maxItems}. */
    public Optional<List<String>> strings(String field, int maxItems, int minLength, int maxLength, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Failure.FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!node.isArray()) {
            errors.add(new Failure.FieldError(field, "must be an array of strings"));
            return Optional.empty();
        }
        if (node.size() > maxItems) {
            errors.add(new Failure.FieldError(field, "must have at most " + maxItems + " items"));
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                errors.add(new Failure.FieldError(field, "must contain only strings"));
                return Optional.empty();
            }
            String value = item.textValue();
            int length = value.codePointCount(0, value.length());
            if (length < minLength || length > maxLength || value.indexOf('\0') >= 0) {
                errors.add(new Failure.FieldError(field, "items must be " + minLength + "–" + maxLength
                        + " characters long"));
                return Optional.empty();
            }
            values.add(value);
        }
        return Optional.of(values);
    }

    /** Adds an error found by the caller's own checks. */
    public void reject(String field, String message) {
        errors.add(new Failure.FieldError(field, message));
    }

    /** Throws 422 with every collected error, if any. */
    public void done() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(List.copyOf(errors));
        }
    }

    private static String clip(String name) {
        return name.length() > 64 ? name.substring(0, 64) + "…" : name;
    }
}
