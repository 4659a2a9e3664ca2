package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** An active AI preset. */
public record Preset(UUID id, String name, String description, String transformationType, JsonNode parameters,
                     String previewAudioUrl, String thumbnailUrl, boolean isPremium, int usageCount,
                     Instant createdAt) {}
