package studio.nexus.audio.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static studio.nexus.audio.Signals.db;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.Signals;
import studio.nexus.audio.analysis.LoudnessMeter;
import studio.nexus.audio.render.OfflineRenderer;

/** Measures what the effects do to signals, against the documented behaviour. */
class EffectMeasurementTest {

    private static final double RATE = 44100;

    static Effect effect(String json) {
        try {
            return EffectChainParser.parse(json).instantiate();
        } catch (InvalidEffectChainException e) {
            throw new AssertionError(e);
        }
    }

    /** Gain in dB of {@code chain} for a steady sine at {@code hz}, measured after settling. */
    static double sineGainDb(String chain, double hz, double amplitude) {
        int n = (int) RATE;
        float[][] in = Signals.sine(1, n, RATE, hz, amplitude);
        float[][] out = Signals.run(effect(chain), in, RATE, 512);
        return db(Signals.rms(out[0], n / 2, n) / Signals.rms(in[0], n / 2, n));
    }

    // ---- equalizer -------------------------------------------------------------------------

    @ParameterizedTest(name = "peak {0} Hz {1} dB Q {2}")
    @CsvSource({"1000, 6, 1", "100, -12, 2", "5000, 12, 0.7", "250, 3, 4", "12000, -6, 1.5", "60, 9, 0.5"})
    void eqPeakBandGainAtCentreFrequencyIsWithinHalfDbOfSetting(double hz, double gainDb, double q) {
        String chain = "[{\"type\":\"equalizer\",\"settings\":{\"bands\":[{\"type\":\"peak\",\"frequency_hz\":" + hz
                + ",\"gain_db\":" + gainDb + ",\"q\":" + q + "}]}}]";
        assertEquals(gainDb, sineGainDb(chain, hz, 0.5), 0.5);
    }

    @ParameterizedTest(name = "{0}={1} at {2} Hz")
    @CsvSource({"low, 2.0, 30, 6.02", "low, 0.5, 30, -6.02", "mid, 1.5, 1000, 3.52", "mid, 0.25, 1000, -12.04",
        "high, 0.5, 16000, -6.02", "high, 1.2, 16000, 1.58", "low, 1.2, 5000, 0.0"})
    void legacyEqualizerGainsAreLinearFactorsOnTheirBands(String band, double linear, double hz, double expectedDb) {
        String chain = "[{\"type\":\"equalizer\",\"settings\":{\"" + band + "\":" + linear + "}}]";
        assertEquals(expectedDb, sineGainDb(chain, hz, 0.3), 0.5);
    }

    @Test
    void shelfBandsLiftTheirSideOfTheSpectrum() {
        String low = "[{\"type\":\"equalizer\",\"settings\":{\"bands\":[{\"type\":\"low_shelf\",\"frequency_hz\":200,\"gain_db\":-9}]}}]";
        String high = "[{\"type\":\"equalizer\",\"settings\":{\"bands\":[{\"type\":\"high_shelf\",\"frequency_hz\":3000,\"gain_db\":9}]}}]";
        assertEquals(-9, sineGainDb(low, 25, 0.5), 0.5);
        assertEquals(0, sineGainDb(low, 8000, 0.5), 0.5);
        assertEquals(9, sineGainDb(high, 18000, 0.5), 0.5);
        assertEquals(0, sineGainDb(high, 60, 0.5), 0.5);
    }

    // ---- delay ------------------------------------------------------------------------------

    @ParameterizedTest(name = "time {0}s fb {1} mix {2} at {3} Hz")
    @CsvSource({"0.5, 0.3, 0.5, 44100", "0.01, 0.5, 1.0, 48000", "0.0123, 0.0, 0.3, 44100", "0.25, 0.9, 0.7, 96000",
        "1.0, 0.5, 0.5, 8000"})
    void delayFirstEchoArrivesExactlyAtDelayTimeInSamples(double time, double feedback, double mix, double rate) {
        long d = Math.round(time * rate);
        int n = (int) (3 * d + 10);
        String chain = "[{\"type\":\"delay\",\"settings\":{\"time\":" + time + ",\"feedback\":" + feedback
                + ",\"mix\":" + mix + "}}]";
        float[][] out = Signals.run(effect(chain), Signals.impulse(1, n), rate, 512);
        float[] y = out[0];
        assertEquals(1 - mix, y[0], 1e-6, "dry part at 0");
        assertEquals(mix, y[(int) d], 1e-6, "first echo = mix");
        assertEquals(mix * feedback, y[(int) (2 * d)], 1e-6, "second echo = mix × feedback");
        for (int i = 1; i < 3 * d; i++) {
            if (i != d && i != 2 * d) {
                assertEquals(0.0, y[i], 1e-9, "nothing between echoes, at " + i);
            }
        }
    }

    @Test
    void seedDelayUsesTimeAliasAndDefaultMix() throws Exception {
        ChainDefinition def = EffectChainParser.parse("[{\"type\":\"delay\",\"settings\":{\"time\":0.5,\"feedback\":0.3}}]");
        assertEquals(0.5, def.steps().get(0).settings().number("delay_seconds").initialValue());
        assertEquals(0.5, def.steps().get(0).settings().number("mix").initialValue());
    }

    // ---- reverb -----------------------------------------------------------------------------

    /** Energy of the tail 0.3..2.0 s after a 50 ms noise burst. */
    static double reverbTailEnergy(double roomSize, double damping, boolean differentiated) {
        int n = (int) (2.0 * RATE);
        float[][] in = new float[2][n];
        float[][] burst = Signals.noise(2, (int) (0.05 * RATE), 0.5, 7);
        for (int c = 0; c < 2; c++) {
            System.arraycopy(burst[c], 0, in[c], 0, burst[c].length);
        }
        String chain = "[{\"type\":\"reverb\",\"settings\":{\"room_size\":" + roomSize + ",\"damping\":" + damping
                + ",\"dry_level\":0}}]";
        float[][] out = Signals.run(effect(chain), in, RATE, 512);
        double e = 0;
        for (int i = (int) (0.3 * RATE); i < n; i++) {
            double v = differentiated ? out[0][i] - out[0][i - 1] : out[0][i];
            e += v * v;
        }
        return e;
    }

    @Test
    void reverbTailEnergyGrowsWithRoomSize() {
        double small = reverbTailEnergy(0.2, 0.5, false);
        double medium = reverbTailEnergy(0.5, 0.5, false);
        double large = reverbTailEnergy(0.9, 0.5, false);
        assertTrue(small < medium && medium < large, small + " < " + medium + " < " + large);
        assertTrue(large > 10 * small, "a large room rings much longer");
    }

    @Test
    void reverbHighFrequenciesDecayFasterWithMoreDamping() {
        // Share of high-frequency energy in the tail, via the first difference (a +6 dB/oct tilt).
        double lightDamping = reverbTailEnergy(0.7, 0.1, true) / reverbTailEnergy(0.7, 0.1, false);
        double heavyDamping = reverbTailEnergy(0.7, 0.9, true) / reverbTailEnergy(0.7, 0.9, false);
        assertTrue(heavyDamping < 0.5 * lightDamping, heavyDamping + " vs " + lightDamping);
    }

    @Test
    void reverbFreezeHoldsTheTailWithoutDecay() {
        int n = (int) (3 * RATE);
        float[][] in = new float[2][n];
        float[][] burst = Signals.noise(2, 4410, 0.5, 3);
        System.arraycopy(burst[0], 0, in[0], 0, 4410);
        System.arraycopy(burst[1], 0, in[1], 0, 4410);
        // freeze from 0.5 s on; input after that is ignored anyway
        String chain = "[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.8,\"dry_level\":0,\"freeze_mode\":[[0.5,0],[0.5,1]]}}]";
        float[][] out = Signals.run(effect(chain), in, RATE, 512);
        double early = Signals.rms(out[0], (int) (1.0 * RATE), (int) (1.5 * RATE));
        double late = Signals.rms(out[0], (int) (2.5 * RATE), n);
        assertTrue(early > 1e-3);
        assertEquals(early, late, early * 0.05, "frozen tail keeps its level");
    }

    // ---- dynamics ---------------------------------------------------------------------------

    @ParameterizedTest(name = "thr {0} dB ratio {1}: in {2} dB")
    @CsvSource({"-20, 4, -8", "-20, 4, -30", "-10, 2, 0", "-30, 10, -6", "-12, 1, -3", "-40, 100, -10", "-6, 3, -6.5"})
    void compressorStaticCurveMatchesThresholdAndRatioWithinHalfDb(double thr, double ratio, double inDb) {
        double expected = inDb > thr ? thr + (inDb - thr) / ratio : inDb;
        int n = (int) RATE;
        float[][] in = Signals.sine(2, n, RATE, 1000, Math.pow(10, inDb / 20));
        String chain = "[{\"type\":\"compressor\",\"settings\":{\"threshold_db\":" + thr + ",\"ratio\":" + ratio
                + ",\"attack_ms\":1,\"release_ms\":200}}]";
        float[][] out = Signals.run(effect(chain), in, RATE, 512);
        assertEquals(expected, db(Signals.peak(out[0], n / 2, n)), 0.5);
    }

    @ParameterizedTest(name = "ceiling {0} dB, input +{1} dB")
    @CsvSource({"-10, 12", "-1, 20", "-0.1, 3", "-30, 40"})
    void limiterNeverLetsASampleAboveTheCeiling(double ceiling, double boostDb) throws Exception {
        float[][] in = Signals.music(2, (int) RATE, RATE);
        float g = (float) Math.pow(10, boostDb / 20);
        for (float[] ch : in) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] *= g;
            }
        }
        String chain = "[{\"type\":\"limiter\",\"settings\":{\"threshold_db\":" + ceiling + "}}]";
        float[][] out = render(chain, in);
        double limit = Math.pow(10, ceiling / 20);
        for (float[] ch : out) {
            assertTrue(Signals.peak(ch, 0, ch.length) <= limit * (1 + 1e-6));
        }
        // and it limits, it does not just mute: the loud parts sit right under the ceiling
        assertTrue(Signals.peak(out[0], 0, out[0].length) > limit * 0.9);
    }

    @Test
    void limiterLatencyIsCompensatedByTheRenderer() throws Exception {
        float[][] in = Signals.sine(1, 20000, RATE, 440, 0.1); // below ceiling: limiter must be transparent
        float[][] out = render("[{\"type\":\"limiter\",\"settings\":{\"threshold_db\":-1}}]", in);
        assertEquals(in[0].length, out[0].length);
        for (int i = 0; i < in[0].length; i++) {
            assertEquals(in[0][i], out[0][i], 1e-6, "aligned at " + i);
        }
    }

    @Test
    void noiseGateSilencesQuietPartsAndKeepsLoudOnes() {
        int n = (int) RATE;
        float[][] in = Signals.sine(1, n, RATE, 300, 0.5);
        for (int i = n / 2; i < n; i++) {
            in[0][i] *= 0.001f; // -66 dB below the loud half
        }
        String chain = "[{\"type\":\"noise_gate\",\"settings\":{\"threshold_db\":-40,\"ratio\":10,\"release_ms\":20}}]";
        float[][] out = Signals.run(effect(chain), in, RATE, 512);
        assertEquals(0, db(Signals.rms(out[0], n / 4, n / 2) / Signals.rms(in[0], n / 4, n / 2)), 0.1);
        assertTrue(db(Signals.rms(out[0], 3 * n / 4, n) / Signals.rms(in[0], 3 * n / 4, n)) < -60);
    }

    // ---- pitch ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} semitones")
    @CsvSource({"12, 440", "-12, 440", "7, 300", "24, 200", "-24, 1000", "5, 1000"})
    void pitchShiftMultipliesTheFundamentalWithinOnePercentAndKeepsDuration(double semitones, double hz) throws Exception {
        int n = (int) (1.5 * RATE);
        float[][] in = Signals.sine(1, n, RATE, hz, 0.5);
        float[][] out = render("[{\"type\":\"pitch_shift\",\"settings\":{\"semitones\":" + semitones + "}}]", in);
        assertEquals(n, out[0].length, "duration kept");
        double expected = hz * Math.pow(2, semitones / 12);
        double measured = Signals.dominantFrequency(out[0], n / 4, n / 4 + 16384, RATE, expected * 0.95, expected * 1.05);
        assertEquals(expected, measured, expected * 0.01);
        // and the energy really moved there: the original pitch is much weaker than the new one
        double atNew = Signals.magnitudeAt(out[0], n / 4, n / 4 + 16384, RATE, expected);
        double atOld = Signals.magnitudeAt(out[0], n / 4, n / 4 + 16384, RATE, hz);
        assertTrue(atNew > 10 * atOld, "new " + atNew + " old " + atOld);
    }

    // ---- small effects, data-driven: input sample -> expected output sample -------------------

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "[{\"type\":\"gain\",\"settings\":{\"gain_db\":6.0206}}]           | 0.25 | 0.5",
        "[{\"type\":\"gain\",\"settings\":{\"gain_db\":-20}}]              | 0.5  | 0.05",
        "[{\"type\":\"invert\"}]                                           | 0.3  | -0.3",
        "[{\"type\":\"clipping\",\"settings\":{\"threshold_db\":-6.0206}}] | 0.9  | 0.5",
        "[{\"type\":\"clipping\",\"settings\":{\"threshold_db\":-6.0206}}] | -0.9 | -0.5",
        "[{\"type\":\"clipping\",\"settings\":{\"threshold_db\":-6.0206}}] | 0.3  | 0.3",
        "[{\"type\":\"bitcrush\",\"settings\":{\"bit_depth\":2}}]          | 0.3  | 0.5",
        "[{\"type\":\"bitcrush\",\"settings\":{\"bit_depth\":3}}]          | 0.3  | 0.25",
        "[{\"type\":\"bitcrush\",\"settings\":{\"bit_depth\":1}}]          | 0.4  | 0.0",
        "[{\"type\":\"distortion\",\"settings\":{\"drive_db\":0}}]         | 0.5  | 0.46211715",
        "[{\"type\":\"distortion\",\"settings\":{\"drive_db\":40}}]        | 0.5  | 1.0",
        "[{\"type\":\"pitch_shift\",\"settings\":{\"semitones\":0}}]       | 0.7  | 0.7",
    })
    void memorylessEffectsMapSamplesAsDocumented(String chain, float input, float expected) {
        check(chain, input, expected);
    }

    /** Feeds a constant and checks every output sample. */
    static void check(String chain, float input, float expected) {
        float[][] in = new float[1][1000];
        java.util.Arrays.fill(in[0], input);
        float[][] out = Signals.run(effect(chain), in, RATE, 256);
        for (float v : out[0]) {
            assertEquals(expected, v, 1e-4);
        }
    }

    @ParameterizedTest(name = "pan {0}")
    @CsvSource({"-1, 1.41421356, 0", "0, 1, 1", "1, 0, 1.41421356", "0.5, 0.5411961, 1.30656296"})
    void panIsConstantPowerWithUnityAtCentre(double pan, double left, double right) {
        float[][] in = new float[2][500];
        java.util.Arrays.fill(in[0], 0.5f);
        java.util.Arrays.fill(in[1], 0.5f);
        float[][] out = Signals.run(effect("[{\"type\":\"pan\",\"settings\":{\"pan\":" + pan + "}}]"), in, RATE, 128);
        assertEquals(0.5 * left, out[0][499], 1e-5);
        assertEquals(0.5 * right, out[1][499], 1e-5);
    }

    @Test
    void highpassAndLowpassAreThreeDbDownAtCutoff() {
        assertEquals(-3.01, sineGainDb("[{\"type\":\"highpass\",\"settings\":{\"cutoff_frequency_hz\":500}}]", 500, 0.5), 0.2);
        assertEquals(-3.01, sineGainDb("[{\"type\":\"lowpass\",\"settings\":{\"cutoff_frequency_hz\":2000}}]", 2000, 0.5), 0.2);
        assertEquals(0, sineGainDb("[{\"type\":\"lowpass\",\"settings\":{\"cutoff_frequency_hz\":2000}}]", 50, 0.5), 0.1);
    }

    @Test
    void ladderLowpassAttenuatesAboveCutoff() {
        String chain = "[{\"type\":\"ladder_filter\",\"settings\":{\"mode\":\"LPF24\",\"cutoff_hz\":500}}]";
        assertTrue(sineGainDb(chain, 8000, 0.1) < sineGainDb(chain, 100, 0.1) - 40);
    }

    // ---- automation ---------------------------------------------------------------------------

    @Test
    void gainEnvelopeInterpolatesLinearlyAndHoldsOutsideItsPoints() {
        int n = (int) (2 * RATE);
        float[][] in = new float[1][n];
        java.util.Arrays.fill(in[0], 1f);
        float[][] out = Signals.run(effect("[{\"type\":\"gain\",\"settings\":{\"gain_db\":[[0.5,-40],[1.5,0]]}}]"), in, RATE, 1000);
        assertEquals(-40, db(out[0][(int) (0.25 * RATE)]), 0.01, "held before the first point");
        assertEquals(-20, db(out[0][(int) (1.0 * RATE)]), 0.05, "halfway");
        assertEquals(0, db(out[0][n - 1]), 0.01, "held after the last point");
        double maxStep = 0;
        for (int i = 1; i < n; i++) {
            maxStep = Math.max(maxStep, Math.abs(out[0][i] - out[0][i - 1]));
        }
        assertTrue(maxStep < 1e-3, "per-sample ramp, no zipper steps: " + maxStep);
    }

    // ---- fade, normalize, parallel via the renderer ----------------------------------------------

    @Test
    void fadeStartsAndEndsAtExactlyZeroOverTheGivenLengths() throws Exception {
        int n = (int) RATE;
        float[][] in = new float[1][n];
        java.util.Arrays.fill(in[0], 1f);
        float[][] out = render("[{\"type\":\"fade\",\"settings\":{\"fade_in_seconds\":0.1,\"fade_out_seconds\":0.2}}]", in);
        assertEquals(0f, out[0][0]);
        assertEquals(0.5, out[0][2205], 1e-4);
        assertEquals(1f, out[0][n / 2]);
        assertEquals(0.5, out[0][n - 1 - 4410], 1e-4);
        assertEquals(0f, out[0][n - 1]);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "[{\"type\":\"limiter\",\"settings\":{\"threshold_db\":0}},{\"type\":\"fade\",\"settings\":{\"fade_in_seconds\":0.1,\"fade_out_seconds\":0.2}}]",
        "[{\"type\":\"fade\",\"settings\":{\"fade_in_seconds\":0.1,\"fade_out_seconds\":0.2}},{\"type\":\"limiter\",\"settings\":{\"threshold_db\":0}}]",
        "[{\"type\":\"pitch_shift\",\"settings\":{\"semitones\":[[0,0],[0.01,0]]}},{\"type\":\"fade\",\"settings\":{\"fade_in_seconds\":0.1,\"fade_out_seconds\":0.2}}]"})
    void fadesLandOnTheFirstAndLastOutputSamplesWhateverLatencySurroundsThem(String chain) throws Exception {
        int n = (int) RATE;
        float[][] in = new float[1][n];
        java.util.Arrays.fill(in[0], 0.5f);
        float[][] out = render(chain, in);
        assertEquals(n, out[0].length);
        assertEquals(0f, out[0][0], 1e-6);
        assertEquals(0.25, out[0][2205], 2e-3);
        assertEquals(0.25, out[0][n - 1 - 4410], 2e-3);
        assertEquals(0f, out[0][n - 1], 1e-6);
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"peak, -1", "peak, -12", "loudness, -23", "loudness, -14"})
    void normalizeReachesItsTargetAfterTheAnalysisPass(String mode, double target) throws Exception {
        float[][] in = Signals.music(2, (int) (3 * RATE), RATE);
        float[][] out = render("[{\"type\":\"gain\",\"settings\":{\"gain_db\":-7}},{\"type\":\"normalize\",\"settings\":{\"mode\":\""
                + mode + "\",\"target_db\":" + target + "}}]", in);
        LoudnessMeter.Measurement m = LoudnessMeter.measure(new ArrayAudioSource(out, RATE));
        double measured = mode.equals("peak") ? m.samplePeakDbfs() : m.integratedLufs();
        assertEquals(target, measured, 0.05);
    }

    @Test
    void parallelSumsBranchesWithTheirMixGainsAndAlignsLatency() throws Exception {
        float[][] in = Signals.sine(2, 10000, RATE, 440, 0.1);
        float[][] out = render("[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":\"limiter\",\"settings\":"
                + "{\"threshold_db\":0}}],[{\"type\":\"gain\",\"settings\":{\"gain_db\":0}}]],\"mix\":[1.0,0.5]}}]", in);
        for (int i = 0; i < 10000; i++) {
            assertEquals(1.5 * in[0][i], out[0][i], 1e-5, "at " + i);
        }
    }

    // ---- bypass ----------------------------------------------------------------------------

    @Test
    void aBypassedEffectLeavesTheSignalBitIdenticalToTheChainWithoutIt() throws Exception {
        float[][] in = Signals.sine(2, 30000, RATE, 330, 0.4);
        for (int i = 0; i < 30000; i += 997) {
            in[1][i] = -0.9f; // some clicks, so the reverb would have plenty to say
        }
        String gain = "{\"type\":\"gain\",\"settings\":{\"gain_db\":-3}}";
        String delay = "{\"type\":\"delay\",\"settings\":{\"delay_seconds\":0.05,\"feedback\":0.4}}";
        String reverb = "{\"type\":\"reverb\",\"settings\":{\"room_size\":0.9,\"wet_level\":1}";
        float[][] without = render("[" + gain + "," + delay + "]", in);
        float[][] bypassed = render("[" + gain + "," + reverb + ",\"bypass\":true}," + delay + "]", in);
        float[][] active = render("[" + gain + "," + reverb + ",\"bypass\":false}," + delay + "]", in);
        for (int c = 0; c < 2; c++) {
            assertTrue(Arrays.equals(without[c], bypassed[c]), "channel " + c + " differs");
            assertFalse(Arrays.equals(without[c], active[c]), "an active reverb changes channel " + c);
        }
        // alone, a bypassed reverb is the original sound, sample for sample
        float[][] alone = render("[" + reverb + ",\"bypass\":true}]", in);
        for (int c = 0; c < 2; c++) {
            assertTrue(Arrays.equals(in[c], alone[c]), "channel " + c + " differs from the input");
        }
    }

    static float[][] render(String chain, float[][] in) throws Exception {
        ArrayAudioSink sink = new ArrayAudioSink(in.length);
        OfflineRenderer.render(() -> new ArrayAudioSource(in, RATE), EffectChainParser.parse(chain), sink,
                new OfflineRenderer.Options(1024, 0), OfflineRenderer.ProgressListener.NONE, () -> false);
        return sink.samples();
    }
}
