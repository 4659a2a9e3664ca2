package studio.nexus.projects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Instant;
import java.util.UUID;

/**
 * A project as the API shows it: its columns (waveform data has its own endpoint), the owner's username, and what
 * the caller is to it ({@code my_role}: owner, admin, editor, viewer or null) and whether they liked it.
 *
 * <p>Where the audio is stored stays inside: a client learns whether there is an original and a processed take and
 * the URL each plays from. {@code settingsVersion} moves when its settings change and {@code chainVersion} when its
 * master bus chain does (V94); the project's entity tag is {@code "<settingsVersion>.<chainVersion>"}. The URL carries {@code rev}, a digest of the stored object's key, so it changes exactly
 * when the take does (a player's cache key) without telling anyone the key.
 */
public record Project(
        UUID id,
        UUID userId,
        String ownerUsername,
        String title,
        String description,
        String genre,
        String[] tags,
        @JsonIgnore String originalAudioPath,
        @JsonIgnore String processedAudioPath,
        BigDecimal durationSeconds,
        Integer sampleRate,
        Integer channels,
        JsonNode effectsSettings,
        Integer metronomeBpm,
        JsonNode projectSettings,
        String status,
        boolean isPublic,
        boolean commentsAllowed,
        boolean isFeatured,
        int playCount,
        int likeCount,
        int downloadCount,
        Instant createdAt,
        Instant updatedAt,
        Instant lastPlayedAt,
        long settingsVersion,
        long chainVersion,
        String myRole,
        boolean likedByMe) {

    /** The entity tag of the project: both versions, so a write is checked against the part it changes. */
    public String tag() {
        return studio.nexus.core.Expected.twoParts(settingsVersion, chainVersion);
    }

    @JsonProperty("has_original_audio")
    public boolean hasOriginalAudio() {
        return originalAudioPath != null;
    }

    @JsonProperty("has_processed_audio")
    public boolean hasProcessedAudio() {
        return processedAudioPath != null;
    }

    @JsonProperty("original_audio_url")
    public String originalAudioUrl() {
        return playbackUrl("original", originalAudioPath);
    }

    @JsonProperty("processed_audio_url")
    public String processedAudioUrl() {
        return playbackUrl("processed", processedAudioPath);
    }

    private String playbackUrl(String source, String key) {
        return key == null ? null : "/api/v1/projects/" + id + "/audio/" + source + "?rev=" + revision(key);
    }

    /** An opaque, stable token of a stored object's key: the first 64 bits of its SHA-256. */
    public static String revision(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
