package studio.nexus.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as the API shows it and as a worker receives it. Its {@code payload} and {@code result} name stored objects
 * by key (a render's processed audio and what to restore on failure, an export's file, a transformation's outputs)
 * for the server's own use; clients reach those through their routes, so the keys are left out of every answer and
 * event.
 */
public record Job(
        UUID id,
        String kind,
        UUID userId,
        UUID projectId,
        @JsonSerialize(using = Job.WithoutStorageKeys.class) JsonNode payload,
        String status,
        float progress,
        String message,
        int attempts,
        int maxAttempts,
        Instant runAfter,
        boolean cancelRequested,
        @JsonSerialize(using = Job.WithoutStorageKeys.class) JsonNode result,
        String errorCode,
        String errorMessage,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /** For the server's own use; clients read {@code status} (Jackson would otherwise add a "finished" field). */
    @JsonIgnore
    public boolean isFinished() {
        return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
    }

    /** Writes a payload or result without storage keys: fields named {@code key}, {@code *_key} or {@code *_path}. */
    static final class WithoutStorageKeys extends JsonSerializer<JsonNode> {
        @Override
        public void serialize(JsonNode value, JsonGenerator out, SerializerProvider provider) throws IOException {
            JsonNode shown = value.deepCopy();
            removeKeys(shown);
            out.writeTree(shown);
        }

        private static void removeKeys(JsonNode node) {
            if (node instanceof ObjectNode object) {
                object.remove(object.properties().stream().map(java.util.Map.Entry::getKey)
                        .filter(WithoutStorageKeys::namesStoredObject).toList());
            }
            node.forEach(WithoutStorageKeys::removeKeys);
        }

        private static boolean namesStoredObject(String field) {
            return field.equals("key") || field.endsWith("_key") || field.endsWith("_path");
        }
    }
}
