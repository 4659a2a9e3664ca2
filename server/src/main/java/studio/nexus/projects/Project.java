package studio.nexus.projects;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A project as the API shows it: its columns (waveform data has its own endpoint), the owner's username, and what
 * the caller is to it ({@code my_role}: owner, admin, editor, viewer or null) and whether they liked it.
 */
public record Project(
        UUID id,
        UUID userId,
        String ownerUsername,
        String title,
        String description,
        String genre,
        String[] tags,
        String originalAudioPath,
        String processedAudioPath,
        BigDecimal durationSeconds,
        Integer sampleRate,
        Integer channels,
        JsonNode effectsSettings,
        Integer metronomeBpm,
        JsonNode projectSettings,
        String status,
        boolean isPublic,
        boolean isFeatured,
        int playCount,
        int likeCount,
        int downloadCount,
        Instant createdAt,
        Instant updatedAt,
        Instant lastPlayedAt,
        String myRole,
        boolean likedByMe) {}
