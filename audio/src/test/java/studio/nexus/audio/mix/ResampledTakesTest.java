package studio.nexus.audio.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.Signals;
import studio.nexus.audio.render.OfflineRenderer.ProgressListener;
import studio.nexus.audio.resample.ResampledSource;

/**
 * Takes at another rate than the song's: converted as they play, with clip start, offset and length in the song's
 * frames, so they land on the same frames, last as long and sound the same as the take converted beforehand.
 */
class ResampledTakesTest {

    static Arrangement song(double rate, Track... tracks) {
        return new Arrangement(rate, List.of(tracks), MixerTest.chain("[]"), 0);
    }

    static float[][] mix(Arrangement a, TakeOpener takes, int block) throws Exception {
        return MixerTest.mix(a, takes, new Mixer.Options(block, 0, Double.NaN));
    }

    /** {@code take} at {@code takeRate} converted whole to {@code songRate}, as one array per channel. */
    static float[][] converted(float[][] take, double takeRate, double songRate) throws IOException {
        ResampledSource s = new ResampledSource(new ArrayAudioSource(take, takeRate), songRate);
        int length = (int) s.lengthFrames();
        float[][] out = new float[take.length][length];
        float[][] buffer = new float[take.length][length + 1];
        int n = s.read(buffer, length + 1);
        assertEquals(length, n);
        for (int c = 0; c < take.length; c++) {
            System.arraycopy(buffer[c], 0, out[c], 0, length);
        }
        return out;
    }

    static int loudest(float[] x) {
        int at = 0;
        for (int i = 1; i < x.length; i++) {
            if (Math.abs(x[i]) > Math.abs(x[at])) {
                at = i;
            }
        }
        return at;
    }

    @ParameterizedTest(name = "a {0} Hz take in a {1} Hz song")
    @CsvSource({"48000, 44100", "44100, 48000", "22050, 44100", "96000, 44100"})
    void aClickInTheTakeLandsOnItsFrameInTheSongWhateverTheStartOffsetAndBlock(double takeRate, double songRate)
            throws Exception {
        long start = 10_001;
        for (int k : new int[] {0, 1, 777, 4_000}) {
            for (long offset : new long[] {0, 123}) {
                float[][] take = new float[2][6_000];
                take[0][k] = 1f;
                take[1][k] = 0.5f;
                MemoryTakes takes = new MemoryTakes(songRate).addAt("t", takeRate, take);
                double at = start + k * songRate / takeRate - offset;
                if (at < start || at >= start + 4_000) {
                    continue; // the click is in a part of the take the clip leaves out
                }
                for (int block : new int[] {1024, 1, 333}) {
                    float[][] out = mix(song(songRate, MixerTest.track("a", Clip.of("t", start, offset, 4_000))), takes,
                            block);
                    assertEquals(start + 4_000, out[0].length, "the mix ends with the clip");
                    int peak = loudest(out[0]);
                    assertEquals(at, peak, 1.0, "click at take frame " + k + ", offset " + offset + ", block " + block);
                    assertEquals(out[0][peak] / 2, out[1][peak], 1e-6f, "right channel");
                    assertEquals(0f, Signals.peak(out[0], 0, (int) start), 0f, "silence before the clip");
                }
            }
        }
    }

    @Test
    void aTakeAtAnotherRateLastsItsLengthConvertedAndThenTheClipIsSilent() throws Exception {
        float[][] take = MixerTest.constant(1, 10_000, 0.5f);
        long converted = Math.round(10_000 * 44_100 / 48_000.0); // 9188
        MemoryTakes takes = new MemoryTakes(44_100).addAt("t", 48_000, take);
        long start = 100;
        float[] out = mix(song(44_100, MixerTest.track("a", Clip.of("t", start, 0, 20_000))), takes, 1024)[0];
        assertEquals(start + 20_000, out.length);
        float centre = (float) MixerTest.CENTRE;
        assertEquals(0f, out[(int) start - 1], 0f, "before the clip");
        assertTrue(out[(int) start] > 0.1f * centre, "the take starts on the clip's first frame: " + out[(int) start]);
        assertEquals(0.5f * centre, out[(int) start + 5_000], 1e-6f, "the take's level, converted");
        assertTrue(out[(int) (start + converted - 1)] > 0.1f * centre, "the take's last frame");
        assertEquals(0f, Signals.peak(out, (int) (start + converted), out.length), 0f, "after the take: silence");
    }

    @ParameterizedTest(name = "takes at {0} and {1} Hz in a {2} Hz song")
    @CsvSource({"48000, 22050, 44100", "44100, 96000, 48000"})
    void aMixdownEqualsTheMixdownOfTheSameTakesConvertedBeforehand(double stereoRate, double monoRate, double songRate)
            throws Exception {
        float[][] stereo = Signals.music(2, (int) (stereoRate * 1.5), stereoRate);
        float[][] mono = Signals.music(1, (int) (monoRate * 1.5), monoRate);
        MemoryTakes asRecorded = new MemoryTakes(songRate).addAt("s", stereoRate, stereo).addAt("m", monoRate, mono);
        MemoryTakes beforehand = new MemoryTakes(songRate).add("s", converted(stereo, stereoRate, songRate))
                .add("m", converted(mono, monoRate, songRate));
        Arrangement a = song(songRate,
                MixerTest.track("a", 0, -0.3, false, false,
                        Clip.of("s", 1_000, 0, 20_000),
                        Clip.of("s", 21_000, 20_000, 15_000),                // a split: streams on
                        new Clip("s", 40_000, 30_000, 10_000, -3, 500, 500), // back in the take: opened again
                        Clip.of("s", 50_000, 50_000, 5_000),                 // on from the same take: skips ahead
                        Clip.of("s", 58_000, 60_000, 20_000)),               // runs past the take's end
                MixerTest.track("b", -2, 0.4, false, false,
                        Clip.of("m", 3_000, 777, 30_000),
                        new Clip("m", 35_000, 12_345, 9_000, 2, 1_000, 0)));
        float[][] expected = mix(a, beforehand, 1024);
        assertTrue(Signals.rms(expected[0], 0, expected[0].length) > 0.05, "the mix is not silent");
        for (int block : new int[] {1024, 333, 1}) {
            float[][] out = mix(a, asRecorded, block);
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(expected[c], out[c], 1e-6f, "channel " + c + ", blocks of " + block);
            }
        }
        assertEquals(0, asRecorded.open, "every take closed");
    }

    @Test
    void mixingATakeAtAnotherRateAllocatesNothingPerBlockOnceRunning() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long frames = 44_100L * 120;
        MemoryTakes takes = new MemoryTakes(44_100).generateAt("a", 48_000, 2, 48_000L * 120)
                .generateAt("b", 22_050, 1, 22_050L * 120);
        Arrangement a = song(44_100, MixerTest.track("a", Clip.of("a", 0, 0, frames)),
                MixerTest.track("b", Clip.of("b", 0, 0, frames)));
        long[] measured = new long[3];
        int perMix = (int) ((frames + 1023) / 1024);
        AudioSink sink = new AudioSink() {
            int blocks;

            @Override public void write(float[][] b, int n) {
                blocks++;
                if (blocks == perMix + 1000) {
                    measured[0] = mx.getCurrentThreadAllocatedBytes();
                    measured[2] = mx.getCurrentThreadAllocatedBytes(); // baseline of the measuring itself
                    measured[2] -= measured[0];
                } else if (blocks == perMix + 5000) {
                    measured[1] = mx.getCurrentThreadAllocatedBytes();
                }
            }
            @Override public void close() {}
        };
        // measured on a second mix, once the JIT has mostly settled; a late recompilation may still leave a hundred
        // bytes or so once, where one object per block would be 4000 × 16 bytes at least
        Mixer.mixdown(a, takes, sink, Mixer.Options.DEFAULT, ProgressListener.NONE, () -> false);
        Mixer.mixdown(a, takes, sink, Mixer.Options.DEFAULT, ProgressListener.NONE, () -> false);
        long allocated = measured[1] - measured[0] - measured[2];
        assertTrue(allocated < 1024, allocated + " bytes allocated by 4000 blocks");
    }

    @Test
    void stemsOfTakesAtOtherRatesStillAddUpToTheMixdown() throws Exception {
        MemoryTakes takes = new MemoryTakes(44_100).addAt("s", 48_000, Signals.music(2, 48_000, 48_000))
                .addAt("m", 32_000, Signals.music(1, 32_000, 32_000));
        Arrangement a = song(44_100, MixerTest.track("a", Clip.of("s", 0, 100, 40_000)),
                MixerTest.track("b", -1, 0.5, false, false, Clip.of("m", 5_000, 0, 40_000)));
        float[][] mixdown = mix(a, takes, 1024);
        List<ArrayAudioSink> stems = List.of(new ArrayAudioSink(2), new ArrayAudioSink(2));
        Mixer.stems(a, takes, stems, Mixer.Options.DEFAULT, ProgressListener.NONE, () -> false);
        for (int c = 0; c < 2; c++) {
            float[] sum = Arrays.copyOf(stems.get(0).samples()[c], mixdown[c].length);
            float[] other = stems.get(1).samples()[c];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other[i];
            }
            assertArrayEquals(mixdown[c], sum, 1e-6f, "channel " + c);
        }
    }
}
