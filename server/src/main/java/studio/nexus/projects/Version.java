package studio.nexus.projects;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A saved state of a project: its audio and effects at the time, numbered 1, 2, 3… per project. */
public record Version(
        UUID id,
        UUID projectId,
        int versionNumber,
        String title,
        String description,
        String audioFilePath,
        JsonNode effectsSettings,
        Instant createdAt) {}
