package studio.nexus.usage;

import studio.nexus.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import studio.nexus.db.Db;

/**
 * The one way any feature spends a user's quota: {@link #consume} inside the feature's own transaction, so the use
 * is recorded if and only if the feature's write commits. The database function {@code consume_usage} makes the
 * check-and-record atomic under concurrency; a refusal throws {@code limit_exceeded} (HTTP 402).
 */
public final class Usage {
    private final Db db;

    public Usage(Db db) {
        this.db = db;
    }

    /** Spends {@code quantity} of {@code resource} for {@code userId} in the given transaction, or throws 402. */
    public JsonNode consume(Handle handle, UUID userId, String resource, BigDecimal quantity, UUID resourceId) {
        return consume(handle, userId, resource, quantity, resourceId, null);
    }

    /** As {@link #consume(Handle, UUID, String, BigDecimal, UUID)}, recording {@code metadata} with the use. */
    public JsonNode consume(Handle handle, UUID userId, String resource, BigDecimal quantity, UUID resourceId,
                            JsonNode metadata) {
        JsonNode status = new UsageSql(handle).consume(userId, resource, quantity, resourceId, metadata);
        if (!status.path("allowed").asBoolean(false)) {
            throw limitExceeded(status);
        }
        return status;
    }

    /** What is known of a stored audio object; all null for files that are not a take (MIDI, exports). */
    public record AudioFacts(BigDecimal durationSeconds, Integer sampleRate, Integer channels, String waveformJson) {
        public static final AudioFacts NONE = new AudioFacts(null, null, null, null);
    }

    /**
     * Charges a newly stored object of {@code sizeBytes} to {@code userId} ({@code public.register_stored_object}),
     * in the transaction that also makes the first reference to it; throws 402 {@code limit_exceeded} when it would
     * take the user past the plan's storage (unless {@code enforceLimit} is false, which only the system may ask).
     * The charge ends by itself when the last reference to the key goes (see V83).
     */
    public static JsonNode chargeStorage(Handle handle, String key, long sizeBytes, UUID userId, UUID projectId,
                                  boolean enforceLimit, AudioFacts facts) {
        JsonNode status = new UsageSql(handle).registerStoredObject(key, sizeBytes, userId, projectId, enforceLimit,
                facts);
        if (!status.path("allowed").asBoolean(false)) {
            throw limitExceeded(status);
        }
        return status;
    }

    public JsonNode status(Handle handle, UUID userId, String resource) {
        return new UsageSql(handle).status(userId, resource);
    }

    /**
     * The caller's tiers and, per resource, use in the current window, limit (null = unlimited), unit, reset period
     * and when the window ends ({@code public.usage_summary}, which honours an expired subscription as free).
     */
    public JsonNode summary(studio.nexus.db.Identity who) {
        return db.as(who, handle -> new UsageSql(handle).summary(who.requireUserId()));
    }

    public Db db() {
        return db;
    }

    /** The 402 answer to a refused consume_usage() (its JSON), for features that call it inside their own functions. */
    public static Failure limitExceeded(JsonNode status) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("resource_type", status.path("resource_type").asText());
        extensions.put("tier", status.path("tier").asText());
        extensions.put("limit", status.path("limit").isNull() ? null : status.path("limit").decimalValue());
        extensions.put("used", status.path("used").decimalValue());
        extensions.put("unit", status.path("unit").asText());
        extensions.put("reset_period", status.path("reset_period").asText());
        // A lifetime resource (storage, projects) has no reset: absent or null, never an empty string.
        String resetsAt = status.path("resets_at").isTextual() ? status.path("resets_at").asText() : null;
        extensions.put("resets_at", resetsAt);
        String resets = resetsAt == null ? "never (upgrade your plan for more)" : resetsAt;
        return Failure.of(Failure.Kind.LIMIT_REACHED, "limit_exceeded", null,
                "Your " + status.path("tier").asText() + " plan allows " + status.path("limit").asText() + " "
                        + status.path("resource_type").asText() + "; it resets " + resets).with(extensions);
    }
}
