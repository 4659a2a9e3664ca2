package studio.nexus.projects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A saved state of a project: its audio and effects at the time, numbered 1, 2, 3… per project. Its audio's storage
 * key stays inside; a client sees whether it has audio.
 */
public record Version(
        UUID id,
        UUID projectId,
        int versionNumber,
        String title,
        String description,
        @JsonIgnore String audioFilePath,
        JsonNode effectsSettings,
        Instant createdAt) {

    @JsonProperty("has_audio")
    public boolean hasAudio() {
        return audioFilePath != null;
    }
}
