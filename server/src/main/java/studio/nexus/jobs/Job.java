package studio.nexus.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A job as the API shows it and as a worker receives it. */
public record Job(
        UUID id,
        String kind,
        UUID userId,
        UUID projectId,
        JsonNode payload,
        String status,
        float progress,
        String message,
        int attempts,
        int maxAttempts,
        Instant runAfter,
        boolean cancelRequested,
        JsonNode result,
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
}
