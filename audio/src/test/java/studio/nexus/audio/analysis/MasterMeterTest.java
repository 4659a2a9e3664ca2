package studio.nexus.audio.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.nexus.audio.Signals;
import studio.nexus.audio.effects.SafetyLimiter;
import studio.nexus.audio.effects.Spec;

class MasterMeterTest {

    private static MasterMeter.Report measure(float[][] x, double rate, int block) {
        MasterMeter meter = new MasterMeter(rate, x.length);
        for (int at = 0; at < x[0].length; at += block) {
            meter.accept(x, at, Math.min(block, x[0].length - at));
        }
        return meter.report();
    }

    /** A sine at a quarter of the rate sampled 45° off its crests: samples at ±0.707, the wave itself at 1.0. */
    private static float[][] quarterRateSine(int channels, int frames, double amplitude) {
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (amplitude * Math.sin(Math.PI / 2 * i + Math.PI / 4));
            }
        }
        return x;
    }

    @Test
    void trueSeesTheCrestBetweenSamplesThatSamplePeakMisses() {
        MasterMeter.Report r = measure(quarterRateSine(2, 48000, 1.0), 48000, 4096);
        assertEquals(-3.01, r.samplePeakDbfs(), 0.01);
        assertEquals(0.0, r.truePeakDbtp(), 0.3);
        assertEquals(0, r.clippedSamples());
    }

    @Test
    void aLowSineHasItsTruePeakAtItsSamplePeakAndTheReferenceLoudness() {
        MasterMeter.Report r = measure(Signals.sine(2, 5 * 48000, 48000, 997, 0.5), 48000, 1000);
        assertEquals(-6.02, r.samplePeakDbfs(), 0.01);
        assertEquals(-6.02, r.truePeakDbtp(), 0.05);
        assertEquals(-6.02, r.integratedLufs(), 0.05);
    }

    @Test
    void everySampleAtOrBeyondFullScaleCountsAsClipped() {
        float[][] x = new float[2][1000];
        x[0][10] = 1.0f;
        x[0][11] = -1.0f;
        x[1][500] = 1.7f;
        x[1][501] = 0.9999f;
        MasterMeter.Report r = measure(x, 44100, 64);
        assertEquals(3, r.clippedSamples());
        assertEquals(20 * Math.log10(1.7), r.samplePeakDbfs(), 1e-4);
    }

    @Test
    void silenceReadsMinusInfinity() {
        MasterMeter.Report r = measure(new float[1][48000], 48000, 4096);
        assertEquals(Double.NEGATIVE_INFINITY, r.samplePeakDbfs());
        assertEquals(Double.NEGATIVE_INFINITY, r.truePeakDbtp());
        assertEquals(Double.NEGATIVE_INFINITY, r.integratedLufs());
    }

    @Test
    void theFiguresDoNotDependOnTheBlockSize() {
        float[][] x = Signals.sine(2, 3 * 44100, 44100, 3000, 1.1);
        MasterMeter.Report a = measure(x, 44100, 4096);
        MasterMeter.Report b = measure(x, 44100, 37);
        assertEquals(a.samplePeakDbfs(), b.samplePeakDbfs());
        assertEquals(a.truePeakDbtp(), b.truePeakDbtp());
        assertEquals(a.clippedSamples(), b.clippedSamples());
        // the loudness sums add the same numbers in another grouping
        assertEquals(a.integratedLufs(), b.integratedLufs(), 1e-9);
    }

    /** A hot, dense signal: a quarter-rate tone (inter-sample overs) over a low sine, pushed 6 dB past full scale. */
    private static float[][] hot(int channels, int frames, double rate) {
        float[][] x = quarterRateSine(channels, frames, 1.2);
        float[][] low = Signals.sine(channels, frames, rate, 110, 0.8);
        java.util.Random random = new java.util.Random(7);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (x[c][i] * (i % 9000 < 4500 ? 1 : 0.2) + low[c][i] + 0.05 * random.nextGaussian());
            }
        }
        return x;
    }

    @ParameterizedTest(name = "ceiling {0} dBTP at {1} Hz")
    @org.junit.jupiter.params.provider.CsvSource({"-1.0, 44100", "-0.1, 44100", "-6.0, 44100", "-1.0, 48000",
        "-1.0, 96000", "0.0, 22050"})
    void theSafetyLimiterKeepsTheTruePeakUnderItsCeilingAndNothingClips(double ceiling, double rate) {
        float[][] x = hot(2, (int) (4 * rate), rate);
        assertTrue(measure(x, rate, 4096).clippedSamples() > 1000);
        SafetyLimiter limiter = new SafetyLimiter(ceiling);
        limiter.prepare(new Spec(rate, 512, 2));
        for (int at = 0; at < x[0].length; at += 512) {
            limiter.process(x, at, Math.min(512, x[0].length - at));
        }
        MasterMeter.Report r = measure(x, rate, 4096);
        assertEquals(0, r.clippedSamples());
        assertTrue(r.truePeakDbtp() <= ceiling, "true peak " + r.truePeakDbtp());
        assertTrue(r.truePeakDbtp() >= ceiling - 0.5, "limited, not crushed: " + r.truePeakDbtp());
        assertTrue(r.samplePeakDbfs() <= ceiling + 1e-6, "sample peak " + r.samplePeakDbfs());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, -20.5, Double.NaN})
    void aCeilingOutsideMinusTwentyToZeroIsRefused(double ceiling) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SafetyLimiter(ceiling));
        assertTrue(e.getMessage().contains("ceiling_dbtp"));
    }

    @Test
    void belowTheCeilingTheLimiterOnlyDelays() {
        float[][] x = Signals.sine(1, 48000, 48000, 440, 0.5);
        float[][] y = new float[][] {x[0].clone()};
        SafetyLimiter limiter = new SafetyLimiter(-1);
        limiter.prepare(new Spec(48000, 4096, 1));
        for (int at = 0; at < 48000; at += 4096) {
            limiter.process(y, at, Math.min(4096, 48000 - at));
        }
        int d = limiter.latencyFrames();
        for (int i = 0; i + d < 48000; i++) {
            assertEquals(x[0][i], y[0][i + d], 0.0f, "bit-exact below the ceiling");
        }
    }
}
