package studio.nexus.projects;

import java.time.Instant;
import java.util.UUID;

/** An owner's offer of a project to another user, as either of the two sees it. */
public record TransferOffer(
        UUID id,
        UUID projectId,
        String projectTitle,
        UUID fromUserId,
        String fromUsername,
        UUID toUserId,
        String toUsername,
        String status,
        Instant createdAt,
        Instant answeredAt) {}
