package studio.nexus.audio.mix;

import java.util.List;
import java.util.Objects;
import studio.nexus.audio.effects.ChainDefinition;

/**
 * One track of an arrangement: its clips, its effects chain, then fader ({@code volumeDb}, −∞..+6; −∞ is
 * silence) and pan (−1 left .. +1 right), mute and solo. The rules are in the package documentation.
 */
public record Track(String id, String name, double volumeDb, double pan, boolean mute, boolean solo,
        ChainDefinition chain, List<Clip> clips) {

    public static final double MAX_VOLUME_DB = 6;
    public static final int MAX_CLIPS = 10_000;

    public Track {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chain, "chain");
        name = name == null ? "" : name;
        if (Double.isNaN(volumeDb) || volumeDb > MAX_VOLUME_DB) {
            throw new IllegalArgumentException("track volume must be −∞.." + MAX_VOLUME_DB + " dB: " + volumeDb);
        }
        if (!(pan >= -1 && pan <= 1)) {
            throw new IllegalArgumentException("pan must be −1..1: " + pan);
        }
        clips = List.copyOf(clips);
        if (clips.size() > MAX_CLIPS) {
            throw new IllegalArgumentException("a track holds at most " + MAX_CLIPS + " clips");
        }
    }

    /** The fader as a gain factor (0 for −∞ dB). */
    public double faderGain() {
        return volumeDb == Double.NEGATIVE_INFINITY ? 0 : Math.pow(10, volumeDb / 20);
    }

    /** The first timeline frame after its last clip (0 without clips). */
    public long endFrame() {
        long end = 0;
        for (Clip c : clips) {
            end = Math.max(end, c.endFrame());
        }
        return end;
    }
}
