package studio.nexus.projects;

import java.time.Instant;
import java.util.UUID;

/** A pending invitation as its invitee sees it. */
public record Invitation(
        UUID id,
        UUID projectId,
        String projectTitle,
        String role,
        String status,
        String invitedByUsername,
        Instant invitedAt) {}
