package studio.nexus.audio.mix;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import studio.nexus.audio.effects.ChainDefinition;

/**
 * A multitrack song as the mixer renders it: tracks at {@code sampleRate}, summed into the master bus, which runs
 * {@code masterChain} and then {@code masterGainDb} (−∞..+6). Immutable; validated on construction.
 */
public record Arrangement(double sampleRate, List<Track> tracks, ChainDefinition masterChain, double masterGainDb) {

    public static final int MAX_TRACKS = 256;

    public Arrangement {
        if (!(sampleRate >= 8000 && sampleRate <= 384_000)) {
            throw new IllegalArgumentException("sample rate must be 8000..384000 Hz: " + sampleRate);
        }
        Objects.requireNonNull(masterChain, "masterChain");
        tracks = List.copyOf(tracks);
        if (tracks.size() > MAX_TRACKS) {
            throw new IllegalArgumentException("an arrangement holds at most " + MAX_TRACKS + " tracks");
        }
        Set<String> ids = new HashSet<>();
        for (Track t : tracks) {
            if (!ids.add(t.id())) {
                throw new IllegalArgumentException("two tracks share the id " + t.id());
            }
        }
        if (Double.isNaN(masterGainDb) || masterGainDb > Track.MAX_VOLUME_DB) {
            throw new IllegalArgumentException("master gain must be −∞.." + Track.MAX_VOLUME_DB + " dB: " + masterGainDb);
        }
    }

    /** The first frame after the last clip on any track (muted or not), 0 for an empty arrangement. */
    public long lengthFrames() {
        long end = 0;
        for (Track t : tracks) {
            end = Math.max(end, t.endFrame());
        }
        return end;
    }

    /** Whether {@code track} is heard: not muted, and soloed if any track is (mute wins over solo). */
    public boolean isHeard(Track track) {
        if (track.mute()) {
            return false;
        }
        for (Track t : tracks) {
            if (t.solo()) {
                return track.solo();
            }
        }
        return true;
    }

    public double masterGain() {
        return masterGainDb == Double.NEGATIVE_INFINITY ? 0 : Math.pow(10, masterGainDb / 20);
    }
}
