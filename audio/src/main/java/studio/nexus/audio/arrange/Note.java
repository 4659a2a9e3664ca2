package studio.nexus.audio.arrange;

/** A note: onset and duration in seconds, MIDI pitch (rounded), and how sure the tracker was of it (0–1). */
public record Note(double onsetSeconds, double durationSeconds, int midi, double confidence) {
    public double endSeconds() {
        return onsetSeconds + durationSeconds;
    }
}
