package studio.nexus.audio.metronome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.ArrayAudioSink;

class ClickTrackTest {

    static float[] render(ClickTrack t, int block) throws Exception {
        ArrayAudioSink sink = new ArrayAudioSink(1);
        float[][] buf = new float[1][block];
        int n;
        while ((n = t.read(buf, block)) >= 0) {
            sink.write(buf, n);
        }
        return sink.samples()[0];
    }

    @ParameterizedTest(name = "{0} bpm {1}/4 x{2} +{3} count-in, sub {4}, {5} Hz")
    @CsvSource({"120, 4, 4, 1, 1, 44100", "97, 3, 5, 2, 2, 48000", "300, 7, 3, 0, 4, 8000", "30, 1, 2, 1, 1, 192000",
        "133.33, 16, 2, 0, 3, 44100", "61, 5, 40, 0, 4, 44100"})
    void everyClickStartsAtItsExactSampleWithoutDrift(double bpm, int beats, int bars, int countIn, int sub, int rate)
            throws Exception {
        MetronomeSettings s = new MetronomeSettings(bpm, beats, bars, countIn, sub, rate);
        ClickTrack track = new ClickTrack(s);
        float[] x = render(track, 1000);
        long ticks = (long) (bars + countIn) * beats * sub;
        assertEquals(Math.round(ticks * 60.0 / bpm / sub * rate), x.length, "length = end of the last tick");
        for (long n = 0; n < ticks; n++) {
            int onset = (int) Math.round(n * 60.0 / bpm / sub * rate);
            assertEquals(onset, track.onsetFrame(n));
            assertEquals(0f, x[onset], "phase-0 start at tick " + n);
            assertTrue(x[onset + 1] != 0f, "sound right after the onset of tick " + n);
            if (onset > 0) {
                assertEquals(0f, x[onset - 1], "silence just before tick " + n);
            }
        }
    }

    @ParameterizedTest(name = "block {0}")
    @CsvSource({"1", "17", "4096"})
    void outputDoesNotDependOnReadSize(int block) throws Exception {
        MetronomeSettings s = new MetronomeSettings(140, 4, 2, 1, 2, 44100);
        float[] reference = render(new ClickTrack(s), 512);
        float[] x = render(new ClickTrack(s), block);
        assertTrue(java.util.Arrays.equals(reference, x));
    }

    @ParameterizedTest(name = "sub {0}")
    @CsvSource({"2", "4"})
    void downbeatsAreLouderThanBeatsWhichAreLouderThanSubdivisions(int sub) throws Exception {
        ClickTrack t = new ClickTrack(new MetronomeSettings(100, 4, 1, 0, sub, 44100));
        float[] x = render(t, 1024);
        double down = peak(x, t.onsetFrame(0), t.onsetFrame(1));
        double sub1 = peak(x, t.onsetFrame(1), t.onsetFrame(2));
        double beat = peak(x, t.onsetFrame(sub), t.onsetFrame(sub + 1));
        assertTrue(down > beat && beat > sub1, down + " > " + beat + " > " + sub1);
    }

    static double peak(float[] x, long from, long to) {
        double p = 0;
        for (long i = from; i < to; i++) {
            p = Math.max(p, Math.abs(x[(int) i]));
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"29, 4, 1, 0, 1, 44100", "120, 17, 1, 0, 1, 44100", "120, 4, 1, 0, 5, 44100", "120, 4, 1, 0, 1, 7999",
        "120, 4, 0, 0, 1, 44100", "301, 4, 1, 0, 1, 44100"})
    void settingsOutsideTheirRangesAreRefused(double bpm, int beats, int bars, int countIn, int sub, int rate) {
        assertThrows(IllegalArgumentException.class, () -> new MetronomeSettings(bpm, beats, bars, countIn, sub, rate));
    }
}
