package studio.nexus.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * All SQL of usage limits: each statement calls one of the database's usage functions, which count, check and
 * charge atomically (they are the authority on limits), in the caller's transaction.
 */
final class UsageSql {
    private final Handle handle;

    UsageSql(Handle handle) {
        this.handle = handle;
    }

    JsonNode consume(UUID userId, String resource, BigDecimal quantity, UUID resourceId, JsonNode metadata) {
        return handle.createQuery(
                        "SELECT public.consume_usage(:user, :resource, :quantity, :resourceId, "
                                + "coalesce(CAST(:metadata AS jsonb), '{}'::jsonb))")
                .bind("metadata", metadata == null ? null : metadata.toString())
                .bind("user", userId)
                .bind("resource", resource)
                .bind("quantity", quantity)
                .bind("resourceId", resourceId)
                .mapTo(JsonNode.class)
                .one();
    }

    JsonNode registerStoredObject(String key, long sizeBytes, UUID userId, UUID projectId, boolean enforceLimit,
                                  Usage.AudioFacts facts) {
        return handle.createQuery("""
                        SELECT public.register_stored_object(:key, :size, :user, :project, :enforce, :duration,
                                                             :rate, :channels, CAST(:waveform AS jsonb))""")
                .bind("key", key).bind("size", sizeBytes).bind("user", userId).bind("project", projectId)
                .bind("enforce", enforceLimit).bind("duration", facts.durationSeconds())
                .bind("rate", facts.sampleRate()).bind("channels", facts.channels())
                .bind("waveform", facts.waveformJson())
                .mapTo(JsonNode.class)
                .one();
    }

    JsonNode status(UUID userId, String resource) {
        return handle.createQuery("SELECT public.usage_status(:user, :resource)")
                .bind("user", userId)
                .bind("resource", resource)
                .mapTo(JsonNode.class)
                .one();
    }

    JsonNode summary(UUID userId) {
        return handle.createQuery("SELECT public.usage_summary(:user)")
                .bind("user", userId)
                .mapTo(JsonNode.class)
                .one();
    }
}
