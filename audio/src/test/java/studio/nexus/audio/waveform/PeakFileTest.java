package studio.nexus.audio.waveform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.nexus.audio.ArrayAudioSource;

class PeakFileTest {
    @TempDir
    Path dir;

    static float[][] noise(int channels, int frames, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (random.nextGaussian() * 0.4);
            }
        }
        return x;
    }

    /** The JSON a level serves, read by range from the file as the server does. */
    String served(Path file, int spp, int bits, boolean split) throws IOException {
        PeakFile.Header header;
        try (InputStream in = Files.newInputStream(file)) {
            header = PeakFile.readHeader(in);
        }
        PeakFile.Level level = header.levelToServe(spp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(split ? level.splitOffset() : level.mixOffset());
            PeakFile.writeJson(header, level, split, spp, bits, in, out);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    void check(float[][] audio, int spp, int bits, boolean split) throws IOException {
        Path file = dir.resolve("take.peaks");
        PeakFile.build(new ArrayAudioSource(audio, 8000), 4, 4, 3, file);
        String expected = WaveformGenerator.compute(new ArrayAudioSource(audio, 8000),
                new WaveformOptions(spp, bits, split)).toJson();
        assertEquals(expected, served(file, spp, bits, split),
                "spp " + spp + ", bits " + bits + ", split " + split + ", channels " + audio.length);
    }

    @Test
    void everyZoomServedFromTheLevelsEqualsThePeaksComputedFromTheAudio() throws IOException {
        for (float[][] audio : new float[][][] {noise(2, 10_007, 1), noise(1, 4_096, 2), noise(3, 333, 3),
                noise(2, 1, 4), noise(1, 64, 5)}) {
            for (int spp : new int[] {4, 8, 12, 16, 20, 64, 128, 1024}) {
                for (int bits : new int[] {8, 16}) {
                    check(audio, spp, bits, false);
                    check(audio, spp, bits, true);
                }
            }
        }
    }

    @Test
    void theHeaderTellsWhatDecodedAndEachLevelsSize() throws IOException {
        Path file = dir.resolve("take.peaks");
        PeakFile.Header built = PeakFile.build(new ArrayAudioSource(noise(2, 10_007, 1), 44_100), 4, 4, 3, file);
        PeakFile.Header read;
        try (InputStream in = Files.newInputStream(file)) {
            read = PeakFile.readHeader(in);
        }
        assertEquals(built, read);
        assertEquals(10_007, read.frames());
        assertEquals(44_100, read.sampleRate());
        assertEquals(2502, read.levels().get(0).pixels());
        assertEquals(626, read.levels().get(1).pixels());
        assertEquals(157, read.levels().get(2).pixels());
        // 3 tracks (mix, left, right) × 4 bytes per pixel, plus the header
        long last = read.levels().get(2).splitOffset() + 157 * 8;
        assertEquals(last, Files.size(file));
        assertEquals(16, read.levelFor(48).samplesPerPixel());
        assertEquals(64, read.levelFor(128).samplesPerPixel());
        assertNull(read.levelFor(6));
        assertEquals(4, read.levelToServe(6).samplesPerPixel());
        assertEquals(64, read.levelToServe(1024).samplesPerPixel());
        assertEquals(16, read.levelToServe(48).samplesPerPixel());
        assertNull(read.levelToServe(3));
    }

    /** Per frame, per track (mix first when split, else the mix only): the 16-bit value the peak file starts from. */
    static int[][] frameValues(float[][] audio, boolean split) {
        int channels = audio.length;
        int frames = audio[0].length;
        int[][] values = new int[split ? channels : 1][frames];
        float mixScale = 1f / channels;
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += audio[c][i];
                if (split) {
                    values[c][i] = WaveformGenerator.toInt(audio[c][i]);
                }
            }
            if (!split) {
                values[0][i] = WaveformGenerator.toInt(sum * mixScale);
            }
        }
        return values;
    }

    static int[] data(String json) {
        String list = json.substring(json.indexOf("\"data\":[") + 8, json.lastIndexOf(']'));
        return list.isEmpty() ? new int[0] : Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void aZoomNoLevelDividesIsServedFromTheFinestLevelWideningEachPixelByLessThanOneStoredPixel() throws IOException {
        int base = 4;
        for (float[][] audio : new float[][][] {noise(2, 10_007, 1), noise(1, 4_096, 2), noise(3, 333, 3),
                noise(2, 1, 4)}) {
            Path file = dir.resolve("take.peaks");
            PeakFile.build(new ArrayAudioSource(audio, 8000), base, 4, 3, file);
            int frames = audio[0].length;
            for (int spp : new int[] {5, 6, 7, 9, 10, 13, 30, 63, 101, 1023, 4099}) {
                for (boolean split : new boolean[] {false, true}) {
                    int[][] values = frameValues(audio, split);
                    int tracks = values.length;
                    int[] wide = data(served(file, spp, 16, split));
                    int[] narrow = data(served(file, spp, 8, split));
                    int length = (frames + spp - 1) / spp;
                    assertEquals(length * 2 * tracks, wide.length, "spp " + spp);
                    for (int p = 0; p < length; p++) {
                        int start = p * spp;
                        int end = Math.min(frames, (p + 1) * spp);
                        // the stored pixels the span overlaps, in frames: at most base - 1 more on each side
                        int widenedStart = start / base * base;
                        int widenedEnd = Math.min(frames, (end + base - 1) / base * base);
                        assertTrue(start - widenedStart < base && widenedEnd - end < base);
                        for (int t = 0; t < tracks; t++) {
                            int lo = Integer.MAX_VALUE;
                            int hi = Integer.MIN_VALUE;
                            int trueLo = Integer.MAX_VALUE;
                            int trueHi = Integer.MIN_VALUE;
                            for (int i = widenedStart; i < widenedEnd; i++) {
                                lo = Math.min(lo, values[t][i]);
                                hi = Math.max(hi, values[t][i]);
                                if (i >= start && i < end) {
                                    trueLo = Math.min(trueLo, values[t][i]);
                                    trueHi = Math.max(trueHi, values[t][i]);
                                }
                            }
                            int at = (p * tracks + t) * 2;
                            String where = "spp " + spp + ", split " + split + ", pixel " + p + ", track " + t;
                            assertEquals(lo, wide[at], where);
                            assertEquals(hi, wide[at + 1], where);
                            assertTrue(wide[at] <= trueLo && wide[at + 1] >= trueHi, where + ": covers its span");
                            assertEquals(lo >> 8, narrow[at], where + ", 8 bits");
                            assertEquals(hi >> 8, narrow[at + 1], where + ", 8 bits");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aZoomFinerThanTheFinestLevelIsNotServedFromTheLevels() throws IOException {
        Path file = dir.resolve("take.peaks");
        PeakFile.build(new ArrayAudioSource(noise(1, 100, 6), 8000), 4, 4, 2, file);
        PeakFile.Header header;
        try (InputStream in = Files.newInputStream(file)) {
            header = PeakFile.readHeader(in);
        }
        assertNull(header.levelToServe(3));
        assertThrows(IllegalArgumentException.class, () -> PeakFile.writeJson(header, header.levels().get(0), false,
                3, 8, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()));
    }

    @Test
    void emptyAudioHasEmptyLevels() throws IOException {
        Path file = dir.resolve("empty.peaks");
        PeakFile.build(new ArrayAudioSource(new float[1][0], 8000), 4, 4, 2, file);
        assertEquals("{\"version\":2,\"channels\":1,\"sample_rate\":8000,\"samples_per_pixel\":4,\"bits\":8,"
                + "\"length\":0,\"data\":[]}", served(file, 4, 8, false));
    }

    @Test
    void somethingElseIsNotAPeakFile() {
        assertThrows(IOException.class, () -> PeakFile.readHeader(new ByteArrayInputStream(new byte[3])));
        assertThrows(IOException.class, () -> PeakFile.readHeader(new ByteArrayInputStream(new byte[64])));
    }
}
