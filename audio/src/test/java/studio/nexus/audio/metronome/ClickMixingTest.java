package studio.nexus.audio.metronome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.Signals;

class ClickMixingTest {

    static float[][] readAll(AudioSource s, int block) throws Exception {
        ArrayAudioSink sink = new ArrayAudioSink(s.channels());
        float[][] buf = new float[s.channels()][block];
        int n;
        while ((n = s.read(buf, block)) >= 0) {
            sink.write(buf, n);
        }
        return sink.samples();
    }

    @Test
    void countInClicksComeFirstAndTheSongStartsExactlyAtTheirEnd() throws Exception {
        float[][] song = Signals.sine(2, 30000, 44100, 440, 0.5);
        AudioSource s = ClickMixing.prependCountIn(new ArrayAudioSource(song, 44100), 120, 4, 1, 0.5);
        long countIn = Math.round(4 * 60.0 / 120 * 44100); // one bar of 4 beats at 120 bpm = 88200
        assertEquals(countIn + 30000, s.lengthFrames());
        float[][] out = readAll(s, 1000);
        assertEquals(countIn + 30000, out[0].length);
        for (int beat = 0; beat < 4; beat++) {
            int onset = (int) Math.round(beat * 60.0 / 120 * 44100);
            assertEquals(0f, out[1][onset]);
            assertTrue(out[1][onset + 1] != 0f, "click on both channels at beat " + beat);
        }
        for (int i = 0; i < 30000; i++) {
            assertEquals(song[0][i], out[0][(int) countIn + i]);
        }
    }

    @Test
    void overlayAddsClicksOnTopOfTheSong() throws Exception {
        float[][] song = Signals.sine(1, 50000, 48000, 220, 0.25);
        ClickTrack clicks = new ClickTrack(new MetronomeSettings(100, 4, 1, 0, 1, 48000));
        float[][] out = readAll(ClickMixing.overlay(new ArrayAudioSource(song, 48000), clicks, 1.0), 777);
        float[] alone = ClickTrackTest.render(new ClickTrack(new MetronomeSettings(100, 4, 1, 0, 1, 48000)), 512);
        assertEquals(Math.max(50000, alone.length), out[0].length);
        for (int i = 0; i < out[0].length; i++) {
            float expected = (i < 50000 ? song[0][i] : 0f) + (i < alone.length ? alone[i] : 0f);
            assertEquals(expected, out[0][i], 1e-6, "at " + i);
        }
    }
}
