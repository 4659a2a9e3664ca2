package studio.nexus.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import studio.nexus.core.Failure;
import studio.nexus.core.Failure.FieldError;

/**
 * A failure the caller can act on, answered as RFC 9457 problem+json with a stable {@code code}. Feature code
 * throws these (through the factories) and never builds error responses itself; {@link Problems} answers them.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of(), Map.of());
    }

    public ApiException(int status, String code, String title, String detail, Map<String, Object> extensions,
                        Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
        // LinkedHashMap: keeps the order fields were given in, and allows null values ("limit": null = unlimited)
        this.extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, "Bad request", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Sign-in required", detail, Map.of(),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Not allowed", detail);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", "Not found", what + " was not found");
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, "Conflict", detail);
    }

    public static ApiException gone(String code, String detail) {
        return new ApiException(410, code, "Gone", detail);
    }

    public static ApiException unprocessable(String code, String detail) {
        return new ApiException(422, code, "Unprocessable content", detail);
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, "rate_limited", "Too many requests", detail,
                Map.of("retry_after_seconds", retryAfterSeconds),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** One or more fields are invalid; each error names its field. */
    public static ApiException validation(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("errors", errors);
        return new ApiException(422, "validation_failed", "Invalid input", detail, extensions, Map.of());
    }

    public static ApiException validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    /** The answer to a domain failure: the one mapping from its kind to an HTTP status and usual title. */
    public static ApiException of(Failure failure) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (failure.retryAfterSeconds() >= 0) {
            headers.put("Retry-After", Long.toString(failure.retryAfterSeconds()));
        }
        int status;
        String title;
        switch (failure.kind()) {
            case INVALID_REQUEST -> { status = 400; title = "Bad request"; }
            case SIGN_IN_REQUIRED -> {
                status = 401;
                title = "Sign-in required";
                headers.put("WWW-Authenticate", "Bearer");
            }
            case FORBIDDEN -> { status = 403; title = "Not allowed"; }
            case NOT_FOUND -> { status = 404; title = "Not found"; }
            case CONFLICT -> { status = 409; title = "Conflict"; }
            case STALE -> {
                status = 412;
                title = "Changed since you read it";
                headers.put("ETag", String.valueOf(failure.extensions().get("etag")));
            }
            case GONE -> { status = 410; title = "Gone"; }
            case TOO_LARGE -> { status = 413; title = "Payload too large"; }
            case UNSUPPORTED -> { status = 415; title = "Unsupported media type"; }
            case UNPROCESSABLE -> { status = 422; title = "Unprocessable content"; }
            case LIMIT_REACHED -> { status = 402; title = "Usage limit reached"; }
            case TOO_MANY_ATTEMPTS -> { status = 429; title = "Too many requests"; }
            case BUSY -> { status = 503; title = "Service unavailable"; }
            case UPSTREAM_FAILED -> { status = 502; title = "Bad gateway"; }
            default -> throw new IllegalStateException("unmapped failure kind " + failure.kind());
        }
        return new ApiException(status, failure.code(), failure.title() != null ? failure.title() : title,
                failure.getMessage(), failure.extensions(), headers);
    }
}
