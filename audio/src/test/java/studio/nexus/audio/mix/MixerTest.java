package studio.nexus.audio.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.Signals;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.effects.InvalidEffectChainException;
import studio.nexus.audio.render.OfflineRenderer.ProgressListener;

class MixerTest {
    static final double RATE = 44100;
    static final double CENTRE = Math.cos(Math.PI / 4);

    static ChainDefinition chain(String json) {
        try {
            return EffectChainParser.parse(json);
        } catch (InvalidEffectChainException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Track track(String id, Clip... clips) {
        return new Track(id, id, 0, 0, false, false, chain("[]"), List.of(clips));
    }

    static Track track(String id, double volumeDb, double pan, boolean mute, boolean solo, Clip... clips) {
        return new Track(id, id, volumeDb, pan, mute, solo, chain("[]"), List.of(clips));
    }

    static Arrangement song(Track... tracks) {
        return new Arrangement(RATE, List.of(tracks), chain("[]"), 0);
    }

    static float[][] mix(Arrangement a, TakeOpener takes) throws Exception {
        return mix(a, takes, Mixer.Options.DEFAULT);
    }

    static float[][] mix(Arrangement a, TakeOpener takes, Mixer.Options options) throws Exception {
        ArrayAudioSink sink = new ArrayAudioSink(2);
        Mixer.mixdown(a, takes, sink, options, ProgressListener.NONE, () -> false);
        assertTrue(sink.isClosed());
        return sink.samples();
    }

    static float[][] constant(int channels, int frames, float... values) {
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(x[c], values[c]);
        }
        return x;
    }

    @Test
    void anImpulseLandsOnTheExactFrameWhateverTheStartOffsetAndBlock() throws Exception {
        float[][] take = new float[2][5000];
        int k = 777;
        take[0][k] = 1f;
        take[1][k] = 0.5f;
        MemoryTakes takes = new MemoryTakes(RATE).add("t", take);
        long start = 10_001;
        long offset = 123;
        for (int block : new int[] {1024, 1, 333}) {
            float[][] out = mix(song(track("a", Clip.of("t", start, offset, 4000))), takes,
                    new Mixer.Options(block, 0, Double.NaN));
            int at = (int) (start + k - offset);
            assertEquals(start + 4000, out[0].length, "the mix ends with the clip");
            for (int i = 0; i < out[0].length; i++) {
                assertEquals(i == at ? 1f : 0f, out[0][i], 0f, "left at " + i + ", block " + block);
                assertEquals(i == at ? 0.5f : 0f, out[1][i], 0f, "right at " + i + ", block " + block);
            }
        }
    }

    @Test
    void aTrimmedClipPlaysExactlyItsPartOfTheTakeAndSilenceAround() throws Exception {
        float[][] ramp = new float[2][3000];
        for (int i = 0; i < 3000; i++) {
            ramp[0][i] = i / 4096f;
            ramp[1][i] = -i / 4096f;
        }
        MemoryTakes takes = new MemoryTakes(RATE).add("ramp", ramp);
        Arrangement a = song(track("a", Clip.of("ramp", 500, 1000, 700)), track("b", Clip.of("ramp", 3000, 0, 10)));
        float[][] out = mix(a, takes);
        for (int i = 0; i < 3000; i++) {
            float expected = i >= 500 && i < 1200 ? ramp[0][1000 + i - 500] : 0f;
            assertEquals(expected, out[0][i], 0f, "frame " + i);
            assertEquals(-expected, out[1][i], 0f, "frame " + i);
        }
    }

    @Test
    void fadesAreLinearAndMirrorImagesOfEachOther() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("one", constant(2, 2000, 1f, 1f));
        Clip clip = new Clip("one", 64, 0, 1000, 0, 100, 50);
        float[] out = mix(song(track("a", clip)), takes)[0];
        assertEquals(0f, out[64], 0f, "a fade-in starts from silence");
        assertEquals(0.01f, out[65], 1e-7f);
        assertEquals(0.5f, out[64 + 50], 1e-7f);
        assertEquals(0.99f, out[64 + 99], 1e-7f);
        assertEquals(1f, out[64 + 100], 0f, "full level after the fade-in");
        assertEquals(1f, out[64 + 949], 0f, "full level before the fade-out");
        assertEquals(49f / 50, out[64 + 950], 1e-7f);
        assertEquals(0.5f, out[64 + 974], 1e-7f);
        assertEquals(0f, out[64 + 999], 0f, "a fade-out ends in silence on the clip's last frame");
        Clip symmetric = new Clip("one", 0, 0, 1000, 0, 80, 80);
        for (int i = 0; i < 100; i++) {
            assertEquals(symmetric.gainAt(i), symmetric.gainAt(999 - i), 0, "fade-out mirrors fade-in at " + i);
        }
    }

    @Test
    void clipGainAndFaderAreDecibels() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("one", constant(2, 100, 1f, 1f));
        Arrangement a = song(new Track("a", "a", -6, 0, false, false, chain("[]"),
                List.of(new Clip("one", 0, 0, 100, 12, 0, 0))));
        float[][] out = mix(a, takes);
        assertEquals(Math.pow(10, 6 / 20.0), out[0][10], 1e-6);
        Arrangement silent = song(new Track("a", "a", Double.NEGATIVE_INFINITY, 0, false, false, chain("[]"),
                List.of(Clip.of("one", 0, 0, 100))));
        assertEquals(0f, mix(silent, takes)[0][10], 0f, "−∞ dB is silence");
        Arrangement master = new Arrangement(RATE, List.of(track("a", Clip.of("one", 0, 0, 100))), chain("[]"), -20);
        assertEquals(0.1, mix(master, takes)[1][10], 1e-7);
    }

    @Test
    void aMonoTrackIsPannedWithTheConstantPowerSineLaw() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("mono", constant(1, 100, 1f));
        double[][] expect = {{-1, 1, 0}, {0, CENTRE, CENTRE}, {0.5, Math.cos(3 * Math.PI / 8), Math.sin(3 * Math.PI / 8)},
                {1, 0, 1}};
        for (double[] e : expect) {
            float[][] out = mix(song(track("m", 0, e[0], false, false, Clip.of("mono", 0, 0, 100))), takes);
            assertEquals(e[1], out[0][50], 1e-7, "left at pan " + e[0]);
            assertEquals(e[2], out[1][50], 1e-7, "right at pan " + e[0]);
            assertEquals(1.0, out[0][50] * out[0][50] + out[1][50] * out[1][50], 1e-6, "constant power at " + e[0]);
        }
    }

    @Test
    void aStereoTrackIsKeptInTheCentreAndFoldedLikeAWebAudioStereoPanner() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("st", constant(2, 100, 1f, 0.5f));
        double h = Math.cos(Math.PI / 4);
        double[][] expect = {{0, 1, 0.5}, {1, 0, 1.5}, {-1, 1.5, 0}, {0.5, h, 0.5 + h}, {-0.5, 1 + 0.5 * h, 0.5 * h}};
        for (double[] e : expect) {
            float[][] out = mix(song(track("s", 0, e[0], false, false, Clip.of("st", 0, 0, 100))), takes);
            assertEquals(e[1], out[0][50], 1e-6, "left at pan " + e[0]);
            assertEquals(e[2], out[1][50], 1e-6, "right at pan " + e[0]);
        }
    }

    @Test
    void soloLetsOnlySoloedTracksThroughAndMuteWinsOverSolo() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("a", constant(2, 10, 0.1f, 0.1f))
                .add("b", constant(2, 10, 0.2f, 0.2f)).add("c", constant(2, 10, 0.4f, 0.4f));
        Clip a = Clip.of("a", 0, 0, 10);
        Clip b = Clip.of("b", 0, 0, 10);
        Clip c = Clip.of("c", 0, 0, 10);
        assertEquals(0.7f, level(song(track("1", a), track("2", b), track("3", c)), takes), 1e-6);
        assertEquals(0.6f, level(song(track("1", 0, 0, true, false, a), track("2", b), track("3", c)), takes), 1e-6);
        assertEquals(0.2f, level(song(track("1", a), track("2", 0, 0, false, true, b), track("3", c)), takes), 1e-6);
        assertEquals(0.4f, level(song(track("1", a), track("2", 0, 0, true, true, b), track("3", 0, 0, false, true, c)),
                takes), 1e-6, "the muted solo stays silent");
        assertEquals(0f, level(song(track("1", a), track("2", 0, 0, true, true, b), track("3", c)), takes), 0,
                "a solo silences the others even while it is muted itself");
    }

    private static float level(Arrangement a, MemoryTakes takes) throws Exception {
        return mix(a, takes)[0][5];
    }

    @Test
    void betweenClipsThereIsExactSilenceAndTheTakeIsClosed() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("one", constant(2, 5000, 0.5f, 0.5f));
        int[] openDuringGap = {-1};
        AudioSink probe = new AudioSink() {
            long at;

            @Override public void write(float[][] b, int n) {
                for (int i = 0; i < n; i++) {
                    long f = at + i;
                    float expected = (f >= 100 && f < 1100) || (f >= 50_000 && f < 51_000) ? 0.5f : 0f;
                    assertEquals(expected, b[0][i], 0f, "frame " + f);
                }
                if (at > 5000 && at < 40_000) {
                    openDuringGap[0] = Math.max(openDuringGap[0], takes.open);
                }
                at += n;
            }
            @Override public void close() {}
        };
        Mixer.mixdown(song(track("a", Clip.of("one", 100, 0, 1000), Clip.of("one", 50_000, 0, 1000))), takes, probe,
                Mixer.Options.DEFAULT, ProgressListener.NONE, () -> false);
        assertEquals(0, openDuringGap[0], "no take is held open between clips");
        assertEquals(2, takes.opened);
        assertEquals(0, takes.open, "every take is closed at the end");
    }

    @Test
    void theLaterClipCoversTheEarlierOneWhichComesBackAfterIt() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("low", constant(2, 1000, 0.25f, 0.25f))
                .add("high", constant(2, 1000, 0.75f, 0.75f));
        float[] out = mix(song(track("a", Clip.of("low", 0, 0, 1000), Clip.of("high", 300, 0, 200))), takes)[0];
        assertEquals(0.25f, out[299], 0f);
        assertEquals(0.75f, out[300], 0f, "covered, not summed");
        assertEquals(0.75f, out[499], 0f);
        assertEquals(0.25f, out[500], 0f, "the earlier clip is heard again after the later one");
        // listed order decides on equal starts
        float[] tie = mix(song(track("a", Clip.of("high", 0, 0, 100), Clip.of("low", 0, 0, 50))), takes)[0];
        assertEquals(0.25f, tie[10], 0f);
        assertEquals(0.75f, tie[60], 0f);
    }

    @Test
    void aSplitClipStreamsOnWithoutReopeningTheTake() throws Exception {
        float[][] ramp = new float[1][4000];
        for (int i = 0; i < 4000; i++) {
            ramp[0][i] = i / 4000f;
        }
        MemoryTakes takes = new MemoryTakes(RATE).add("r", ramp);
        float[][] out = mix(song(track("a", -1, 0, false, false, Clip.of("r", 0, 0, 1500), Clip.of("r", 1500, 1500, 2500))),
                takes);
        assertEquals(1, takes.opened);
        for (int i = 0; i < 4000; i++) {
            assertEquals(ramp[0][i] * CENTRE, out[0][i] / Math.pow(10, -1 / 20.0), 1e-6);
        }
    }

    @Test
    void effectLatencyIsCompensatedSoClipsStayOnTheirFrame() throws Exception {
        float[][] take = new float[2][3000];
        take[0][0] = 0.5f;
        take[1][0] = 0.5f;
        MemoryTakes takes = new MemoryTakes(RATE).add("imp", take);
        String limiter = "[{\"type\":\"limiter\",\"settings\":{\"threshold_db\":0}}]";
        Track slow = new Track("slow", "slow", 0, 0, false, false, chain(limiter), List.of(Clip.of("imp", 2000, 0, 3000)));
        Arrangement a = new Arrangement(RATE, List.of(slow, track("fast", Clip.of("imp", 1000, 0, 3000))), chain(limiter),
                0);
        float[][] out = mix(a, takes, Mixer.Options.DEFAULT.withSafetyLimiter(-1));
        assertEquals(5000, out[0].length);
        int loudest = 0;
        for (int i = 0; i < out[0].length; i++) {
            if (i != 1000 && i != 2000) {
                assertEquals(0f, out[0][i], 1e-6f, "frame " + i);
            }
            loudest = Math.abs(out[0][i]) > Math.abs(out[0][loudest]) ? i : loudest;
        }
        assertEquals(0.5f, out[0][1000], 1e-4f);
        assertEquals(0.5f, out[0][2000], 1e-4f);
    }

    @Test
    void theStemsAddUpToTheMixdownAndAllLastAsLong() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("vocal", Signals.music(1, 30_000, RATE))
                .add("guitar", Signals.music(2, 40_000, RATE)).add("keys", Signals.noise(2, 20_000, 0.3, 7));
        String space = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.5}},{\"type\":\"reverb\",\"settings\":{}},"
                + "{\"type\":\"limiter\",\"settings\":{\"threshold_db\":-3}}]";
        String echo = "[{\"type\":\"delay\",\"settings\":{\"time\":0.1,\"feedback\":0.4}}]";
        List<Track> tracks = List.of(
                new Track("v", "Vocal", -2, -0.3, false, false, chain(space),
                        List.of(new Clip("vocal", 5000, 100, 25_000, -3, 500, 2000))),
                new Track("g", "Guitar", 1, 0.6, false, false, chain(echo),
                        List.of(Clip.of("guitar", 0, 0, 30_000), Clip.of("guitar", 20_000, 5000, 15_000))),
                new Track("k", "Keys", 0, 0, true, false, chain("[]"), List.of(Clip.of("keys", 100, 0, 20_000))),
                new Track("m", "Mono keys", -6, -1, false, false, chain(echo), List.of(Clip.of("vocal", 7, 0, 9_000))));
        Arrangement a = new Arrangement(RATE, tracks, chain("[]"), 0);
        Mixer.Options options = new Mixer.Options(512, 0.5, Double.NaN);
        float[][] mixdown = mix(a, takes, options);
        List<ArrayAudioSink> sinks = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            sinks.add(new ArrayAudioSink(2));
        }
        Mixer.stems(a, takes, sinks, options, ProgressListener.NONE, () -> false);
        long expectedLength = 35_000 + 22_050;
        assertEquals(expectedLength, mixdown[0].length);
        float[][] sum = new float[2][mixdown[0].length];
        for (ArrayAudioSink s : sinks) {
            assertTrue(s.isClosed());
            float[][] stem = s.samples();
            assertEquals(expectedLength, stem[0].length, "every stem as long as the mix");
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < stem[c].length; i++) {
                    sum[c][i] += stem[c][i];
                }
            }
        }
        assertTrue(Signals.peak(sinks.get(2).samples()[0], 0, (int) expectedLength) == 0, "a muted track's stem is silent");
        assertTrue(Signals.rms(mixdown[0], 0, 30_000) > 0.05, "the mix is not silent");
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(mixdown[c], sum[c], 1e-6f, "channel " + c);
        }
    }

    @Test
    void aTakeAtAnUnknownOrUnplayableRateIsRefusedBeforeAnythingIsOpened() {
        for (double rate : new double[] {0, Double.NaN, 4000, 500_000}) {
            MemoryTakes takes = new MemoryTakes(RATE).add("ok", constant(2, 10, 0, 0))
                    .addAt("x", rate, constant(2, 10, 0, 0));
            TakeFormatException e = assertThrows(TakeFormatException.class,
                    () -> mix(song(track("a", Clip.of("ok", 0, 0, 10)), track("b", Clip.of("x", 0, 0, 10))), takes));
            assertEquals("x", e.takeId());
            assertTrue(e.getMessage().contains("8000 to 384000 Hz"), e.getMessage());
            assertEquals(0, takes.opened);
        }
    }

    @Test
    void aTakeWithNoChannelsOrMoreThanTwoIsRefusedBeforeAnythingIsOpened() {
        for (int channels : new int[] {0, 3, 6}) {
            MemoryTakes takes = new MemoryTakes(RATE).generate("ok", 2, 10).generate("x", channels, 10);
            TakeFormatException e = assertThrows(TakeFormatException.class,
                    () -> mix(song(track("a", Clip.of("ok", 0, 0, 10)), track("b", Clip.of("x", 0, 0, 10))), takes));
            assertEquals("x", e.takeId());
            assertTrue(e.getMessage().contains(channels + " channels"), e.getMessage());
            assertEquals(0, takes.opened);
        }
    }

    @Test
    void aClipLongerThanItsTakeEndsInSilence() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("short", constant(2, 100, 1f, 1f));
        float[] out = mix(song(track("a", Clip.of("short", 0, 50, 200))), takes)[0];
        assertEquals(200, out.length);
        assertEquals(1f, out[49], 0f);
        assertEquals(0f, out[50], 0f);
    }

    @Test
    void mixingAllocatesNothingPerBlockOnceRunning() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long frames = 44100L * 120;
        MemoryTakes takes = new MemoryTakes(RATE).generate("a", 2, frames).generate("b", 1, frames);
        String fx = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.2}},{\"type\":\"reverb\",\"settings\":{}},"
                + "{\"type\":\"delay\",\"settings\":{\"time\":0.3,\"feedback\":0.3}}]";
        Arrangement a = new Arrangement(RATE, List.of(
                new Track("a", "a", -3, 0.2, false, false, chain(fx), List.of(Clip.of("a", 0, 0, frames))),
                new Track("b", "b", 0, -0.7, false, false, chain(fx), List.of(new Clip("b", 0, 0, frames, -2, 10, 10)))),
                chain(fx), -1);
        long[] measured = new long[3];
        AudioSink sink = new AudioSink() {
            int blocks;

            @Override public void write(float[][] b, int n) {
                blocks++;
                if (blocks == 2000) {
                    measured[0] = mx.getCurrentThreadAllocatedBytes();
                    measured[2] = mx.getCurrentThreadAllocatedBytes(); // baseline of the measuring itself
                    measured[2] -= measured[0];
                } else if (blocks == 4000) {
                    measured[1] = mx.getCurrentThreadAllocatedBytes();
                }
            }
            @Override public void close() {}
        };
        Mixer.mixdown(a, takes, sink, Mixer.Options.DEFAULT.withSafetyLimiter(-1), ProgressListener.NONE, () -> false);
        assertEquals(0, measured[1] - measured[0] - measured[2], "bytes allocated by 2000 blocks");
    }

    @Test
    void normalizeOnTracksSettlesBeforeNormalizeOnTheMaster() throws Exception {
        float[][] quiet = Signals.sine(2, 20_000, RATE, 440, 0.25);
        MemoryTakes takes = new MemoryTakes(RATE).add("q", quiet).add("r", Signals.sine(2, 20_000, RATE, 660, 0.1));
        String toMinus6 = "[{\"type\":\"normalize\",\"settings\":{\"mode\":\"peak\",\"target_db\":-6}}]";
        String toMinus1 = "[{\"type\":\"normalize\",\"settings\":{\"mode\":\"peak\",\"target_db\":-1}}]";
        List<Track> tracks = List.of(
                new Track("a", "a", 0, 0, false, false, chain(toMinus6), List.of(Clip.of("q", 0, 0, 20_000))),
                new Track("b", "b", 0, 0, false, false, chain("[]"), List.of(Clip.of("r", 0, 0, 20_000))));
        Arrangement a = new Arrangement(RATE, tracks, chain(toMinus1), 0);
        ArrayAudioSink sink = new ArrayAudioSink(2);
        Mixer.Result r = Mixer.mixdown(a, takes, sink, Mixer.Options.DEFAULT, ProgressListener.NONE, () -> false);
        assertEquals(3, r.passes());
        assertEquals(-1, Signals.db(Signals.peak(sink.samples()[0], 0, 20_000)), 0.01);
        List<ArrayAudioSink> stems = List.of(new ArrayAudioSink(2), new ArrayAudioSink(2));
        assertEquals(2, Mixer.stems(a, takes, stems, Mixer.Options.DEFAULT, ProgressListener.NONE, () -> false).passes());
        assertEquals(-6, Signals.db(Signals.peak(stems.get(0).samples()[0], 0, 20_000)), 0.01);
    }

    @Test
    void aCancelledMixStopsAndClosesItsSinkAndTakes() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).generate("g", 2, 44100L * 600);
        ArrayAudioSink sink = new ArrayAudioSink(2);
        int[] blocks = {0};
        assertThrows(studio.nexus.audio.render.RenderCancelledException.class, () -> Mixer.mixdown(
                song(track("a", Clip.of("g", 0, 0, 44100L * 600))), takes, sink, Mixer.Options.DEFAULT,
                (f, n) -> blocks[0]++, () -> blocks[0] >= 10));
        assertTrue(sink.isClosed());
        assertEquals(0, takes.open);
        assertEquals(10 * 1024, sink.length());
    }

    @Test
    void aMonoClipOnATrackWithStereoClipsFeedsBothSidesAtFullLevel() throws Exception {
        MemoryTakes takes = new MemoryTakes(RATE).add("mono", constant(1, 100, 0.5f)).add("st", constant(2, 100, 0.2f, 0.1f));
        float[][] out = mix(song(track("a", Clip.of("mono", 0, 0, 100), Clip.of("st", 100, 0, 100))), takes);
        assertEquals(0.5f, out[0][50], 0f);
        assertEquals(0.5f, out[1][50], 0f);
        assertEquals(0.2f, out[0][150], 0f);
        assertEquals(0.1f, out[1][150], 0f);
    }
}
