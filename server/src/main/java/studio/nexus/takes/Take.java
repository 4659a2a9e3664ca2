package studio.nexus.takes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A take of a project's pool: its handle within the project ({@code take}, what clips name), its name, who brought
 * it, what decoded (NULL facts only for audio stored before they were kept), and how many clips place it.
 */
public record Take(String take, String name, UUID uploadedBy, BigDecimal durationSeconds, Integer sampleRate,
                   Integer channels, OffsetDateTime createdAt, int clips, @JsonIgnore String key) {}
