package studio.nexus.presets;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An effects preset as the API shows it: its author's username (null for system presets, like a project's
 * owner_username), and the caller's own rating (null when none).
 */
public record Preset(
        UUID id,
        UUID userId,
        String authorUsername,
        String name,
        String description,
        String category,
        JsonNode effectsChain,
        boolean isPublic,
        boolean isSystemPreset,
        int usageCount,
        BigDecimal ratingAverage,
        int ratingCount,
        Integer myRating,
        Instant createdAt,
        Instant updatedAt) {}
