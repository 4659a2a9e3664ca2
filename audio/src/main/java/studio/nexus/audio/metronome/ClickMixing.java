package studio.nexus.audio.metronome;

import java.io.IOException;
import studio.nexus.audio.AudioSource;

/**
 * Puts clicks together with a song, as streaming sources (nothing is buffered beyond one block).
 * The mono click is added to every channel of the song. Stateless factory; the returned sources are
 * single-reader and close the song when closed.
 */
public final class ClickMixing {
    private ClickMixing() {}

    /**
     * Count-in bars of clicks first, then the song, which starts exactly at the end of the count-in
     * ({@code round(countInBars × beatsPerBar × 60 / bpm × rate)} frames).
     */
    public static AudioSource prependCountIn(AudioSource song, double bpm, int beatsPerBar, int countInBars, double clickGain) {
        ClickTrack clicks = new ClickTrack(new MetronomeSettings(bpm, beatsPerBar, 0, countInBars, 1, rateOf(song)));
        return new Sequence(clicks, song, (float) clickGain);
    }

    /** The song with the click track added on top from frame 0; ends with the longer of the two. */
    public static AudioSource overlay(AudioSource song, ClickTrack clicks, double clickGain) {
        if (clicks.sampleRate() != song.sampleRate()) {
            throw new IllegalArgumentException("click track rate " + clicks.sampleRate() + " != song rate " + song.sampleRate());
        }
        return new Overlay(song, clicks, (float) clickGain);
    }

    private static int rateOf(AudioSource song) {
        double r = song.sampleRate();
        if (r != Math.rint(r)) {
            throw new IllegalArgumentException("song sample rate must be whole Hz: " + r);
        }
        return (int) r;
    }

    private static final class Sequence implements AudioSource {
        private final ClickTrack clicks;
        private final AudioSource song;
        private final float gain;
        private final float[][] mono;
        private boolean clicksDone;

        Sequence(ClickTrack clicks, AudioSource song, float gain) {
            this.clicks = clicks;
            this.song = song;
            this.gain = gain;
            this.mono = new float[1][4096];
        }

        @Override public double sampleRate() { return song.sampleRate(); }
        @Override public int channels() { return song.channels(); }
        @Override public long lengthFrames() {
            return song.lengthFrames() < 0 ? UNKNOWN_LENGTH : song.lengthFrames() + clicks.lengthFrames();
        }

        @Override
        public int read(float[][] buffer, int frames) throws IOException {
            if (!clicksDone) {
                int n = clicks.read(mono, Math.min(frames, mono[0].length));
                if (n >= 0) {
                    for (int c = 0; c < song.channels(); c++) {
                        for (int i = 0; i < n; i++) {
                            buffer[c][i] = mono[0][i] * gain;
                        }
                    }
                    return n;
                }
                clicksDone = true;
            }
            return song.read(buffer, frames);
        }

        @Override public void close() throws IOException { song.close(); }
    }

    private static final class Overlay implements AudioSource {
        private final AudioSource song;
        private final ClickTrack clicks;
        private final float gain;
        private final float[][] mono = new float[1][4096];
        private boolean songDone;
        private boolean clicksDone;

        Overlay(AudioSource song, ClickTrack clicks, float gain) {
            this.song = song;
            this.clicks = clicks;
            this.gain = gain;
        }

        @Override public double sampleRate() { return song.sampleRate(); }
        @Override public int channels() { return song.channels(); }
        @Override public long lengthFrames() {
            return song.lengthFrames() < 0 ? UNKNOWN_LENGTH : Math.max(song.lengthFrames(), clicks.lengthFrames());
        }

        @Override
        public int read(float[][] buffer, int frames) throws IOException {
            int want = Math.min(frames, mono[0].length);
            int n = -1;
            if (!songDone) {
                n = song.read(buffer, want);
                if (n < 0) {
                    songDone = true;
                }
            }
            if (songDone) { // song over: clicks alone, on silence
                if (clicksDone) {
                    return -1;
                }
                n = want;
                for (int c = 0; c < song.channels(); c++) {
                    java.util.Arrays.fill(buffer[c], 0, n, 0f);
                }
            }
            int k = clicksDone ? -1 : clicks.read(mono, n);
            if (k < 0) {
                clicksDone = true;
                k = 0;
                if (songDone) {
                    return -1;
                }
            }
            for (int c = 0; c < song.channels(); c++) {
                for (int i = 0; i < k; i++) {
                    buffer[c][i] += mono[0][i] * gain;
                }
            }
            return songDone ? k : n;
        }

        @Override public void close() throws IOException { song.close(); }
    }
}
