package studio.nexus.audio.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.Signals;

class LoudnessMeterTest {

    /** BS.1770 reference points: a 997 Hz full-scale sine in one channel reads −3.01 LUFS, in two 0.0. */
    @ParameterizedTest(name = "{0} Hz, {1} ch, amp {2}, {3} Hz rate -> {4} LUFS")
    @CsvSource({"997, 1, 1.0, 48000, -3.01", "997, 2, 1.0, 48000, 0.0", "997, 2, 0.1, 44100, -20.0",
        "997, 1, 0.5, 96000, -9.03"})
    void sineReadsTheReferenceLoudness(double hz, int channels, double amp, double rate, double lufs) throws Exception {
        float[][] x = Signals.sine(channels, (int) (5 * rate), rate, hz, amp);
        LoudnessMeter.Measurement m = LoudnessMeter.measure(new ArrayAudioSource(x, rate));
        assertEquals(lufs, m.integratedLufs(), 0.05);
        assertEquals(20 * Math.log10(amp), m.samplePeakDbfs(), 0.01);
    }

    @org.junit.jupiter.api.Test
    void silenceIsMinusInfinityAndQuietPartsAreGatedOut() throws Exception {
        assertEquals(Double.NEGATIVE_INFINITY, LoudnessMeter.measure(new ArrayAudioSource(new float[1][48000], 48000)).integratedLufs());
        // 5 s tone + 5 s of silence: the silence is below the absolute gate and does not drag the reading
        // down; only the three 400 ms blocks straddling the edge (−1.2, −3, −6 LUFS) pass the gates and
        // lower it by ~0.13 LU, as BS.1770 prescribes.
        float[][] x = new float[2][480000];
        float[][] tone = Signals.sine(2, 240000, 48000, 997, 1.0);
        System.arraycopy(tone[0], 0, x[0], 0, 240000);
        System.arraycopy(tone[1], 0, x[1], 0, 240000);
        assertEquals(-0.13, LoudnessMeter.measure(new ArrayAudioSource(x, 48000)).integratedLufs(), 0.05);
    }
}
