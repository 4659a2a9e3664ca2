package studio.nexus.projects;

import java.time.Instant;
import java.util.UUID;

/** Someone invited to a project, with their role and whether they accepted. */
public record Collaborator(
        UUID id,
        UUID projectId,
        UUID userId,
        String username,
        String role,
        String status,
        UUID invitedBy,
        Instant invitedAt,
        Instant acceptedAt) {}
