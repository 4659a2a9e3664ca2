package studio.nexus.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule of the studio refused what was asked, in the domain's words: not found, forbidden, a conflict with a code, a
 * limit reached, invalid fields. Features throw these and know nothing of HTTP; {@code web.Problems} is the one place
 * that turns a failure's {@link Kind} into a status and a problem+json answer. The {@code code} is stable (clients
 * switch on it); the detail is for people.
 */
public final class Failure extends RuntimeException {
    /** What kind of refusal this is; each kind has exactly one HTTP status, chosen in {@code web.Problems}. */
    public enum Kind {
        /** The request itself is malformed or asks for something that cannot be (400). */
        INVALID_REQUEST,
        /** Who is asking must be known first (401). */
        SIGN_IN_REQUIRED,
        /** Known, but not allowed (403). */
        FORBIDDEN,
        /** Absent, or not visible to the caller: the two are never told apart (404). */
        NOT_FOUND,
        /** The current state of things does not allow it (409). */
        CONFLICT,
        /** A write made against an older reading of what it changes: someone changed it since (412). */
        STALE,
        /** It existed and is over (410). */
        GONE,
        /** The body is larger than allowed (413). */
        TOO_LARGE,
        /** A kind of content the studio does not read (415). */
        UNSUPPORTED,
        /** Understood, well-formed, and refused by a rule (422). */
        UNPROCESSABLE,
        /** The plan's usage limit is reached (402). */
        LIMIT_REACHED,
        /** Too many attempts in a while; {@link #retryAfterSeconds} says when to try again (429). */
        TOO_MANY_ATTEMPTS,
        /** The studio is at capacity or shutting down; try again later (503). */
        BUSY,
        /** A service the studio relies on answered badly (502). */
        UPSTREAM_FAILED
    }

    /** A field and what is wrong with it, in words. */
    public record FieldError(String field, String message) {}

    private final Kind kind;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions;
    private final long retryAfterSeconds;

    private Failure(Kind kind, String code, String title, String detail, Map<String, Object> extensions,
                    long retryAfterSeconds) {
        super(detail);
        this.kind = kind;
        this.code = code;
        this.title = title;
        // LinkedHashMap: keeps the order fields were given in, and allows null values ("limit": null = unlimited)
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Failure of(Kind kind, String code, String title, String detail) {
        return new Failure(kind, code, title, detail, Map.of(), -1);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** A short human title, or null for the kind's usual one. */
    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Seconds after which trying again may succeed, or -1 when the failure does not say. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** A copy that also tells the caller when to try again. */
    public Failure retryAfter(long seconds) {
        return new Failure(kind, code, title, getMessage(), extensions, seconds);
    }

    /** A copy carrying more named facts for the caller (e.g. the limit that was reached). */
    public Failure with(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(extensions);
        all.putAll(more);
        return new Failure(kind, code, title, getMessage(), all, retryAfterSeconds);
    }

    public static Failure badRequest(String code, String detail) {
        return of(Kind.INVALID_REQUEST, code, null, detail);
    }

    public static Failure unauthorized(String detail) {
        return of(Kind.SIGN_IN_REQUIRED, "unauthorized", null, detail);
    }

    public static Failure forbidden(String detail) {
        return of(Kind.FORBIDDEN, "forbidden", null, detail);
    }

    public static Failure notFound(String what) {
        return of(Kind.NOT_FOUND, "not_found", null, what + " was not found");
    }

    public static Failure conflict(String code, String detail) {
        return of(Kind.CONFLICT, code, null, detail);
    }

    /**
     * {@code what} changed since the caller read it: {@code etag} names its current version and {@code current} is its
     * current state, so the caller can show the other change and decide again.
     */
    public static Failure stale(String what, String etag, Object current) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("etag", etag);
        facts.put("current", current);
        return new Failure(Kind.STALE, "stale_version", null, what + " was changed by someone else since you read it;"
                + " here is how it is now", facts, -1);
    }

    public static Failure gone(String code, String detail) {
        return of(Kind.GONE, code, null, detail);
    }

    public static Failure unprocessable(String code, String detail) {
        return of(Kind.UNPROCESSABLE, code, null, detail);
    }

    public static Failure tooManyRequests(String detail, long retryAfterSeconds) {
        return new Failure(Kind.TOO_MANY_ATTEMPTS, "rate_limited", null, detail,
                Map.of("retry_after_seconds", retryAfterSeconds), retryAfterSeconds);
    }

    public static Failure busy(String code, String title, String detail, long retryAfterSeconds) {
        return new Failure(Kind.BUSY, code, title, detail, Map.of(), retryAfterSeconds);
    }

    /** One or more fields are invalid; each error names its field. */
    public static Failure validation(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("errors", List.copyOf(errors));
        return new Failure(Kind.UNPROCESSABLE, "validation_failed", "Invalid input", detail, extensions, -1);
    }

    public static Failure validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }
}
