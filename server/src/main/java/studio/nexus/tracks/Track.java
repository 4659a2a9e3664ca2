package studio.nexus.tracks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import studio.nexus.core.Expected;

/**
 * A track of a project's arrangement as the API shows it: its mixer strip (fader in dB, {@code null} = −∞; pan
 * −1…1; mute; solo), its effects chain, its place from the top, and its clips in timeline order. {@code version}
 * moves when its settings or mixer strip change, {@code chainVersion} when its chain does (V94); its entity tag is
 * {@code "<version>.<chainVersion>"}.
 */
public record Track(UUID id, UUID projectId, String name, int position, String colour, Double volumeDb, double pan,
                    boolean muted, boolean soloed, JsonNode effectsChain, Instant createdAt, Instant updatedAt,
                    long version, long chainVersion, List<Clip> clips) {
    Track withClips(List<Clip> all) {
        return new Track(id, projectId, name, position, colour, volumeDb, pan, muted, soloed, effectsChain, createdAt,
                updatedAt, version, chainVersion, all.stream().filter(c -> c.trackId().equals(id)).toList());
    }

    /** The entity tag of the track: both its versions, so a write can be checked against the part it changes. */
    String tag() {
        return Expected.twoParts(version, chainVersion);
    }
}
