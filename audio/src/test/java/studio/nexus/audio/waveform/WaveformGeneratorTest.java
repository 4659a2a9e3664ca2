package studio.nexus.audio.waveform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.Signals;

class WaveformGeneratorTest {

    static final float[][] STEREO = {
        {0.5f, -0.25f, 1.0f, 0.0f, -1.0f, 0.125f, 0.75f},
        {0.0f, 0.5f, -0.5f, 0.25f, 0.25f, 0.25f, -0.75f},
    };

    static WaveformData compute(float[][] x, int spp, int bits, boolean split) throws Exception {
        return WaveformGenerator.compute(new ArrayAudioSource(x, 8000), new WaveformOptions(spp, bits, split));
    }

    @Test
    void aSourceClaimingHoursButHoldingMillisecondsCostsKilobytesNotTheClaim() throws Exception {
        ArrayAudioSource real = new ArrayAudioSource(STEREO, 8000);
        studio.nexus.audio.AudioSource liar = new studio.nexus.audio.AudioSource() {
            @Override public double sampleRate() {
                return 8000;
            }

            @Override public int channels() {
                return 2;
            }

            @Override public long lengthFrames() {
                return (1L << 36) - 1; // a FLAC header's 99 hours
            }

            @Override public int read(float[][] buffer, int frames) throws java.io.IOException {
                return real.read(buffer, frames);
            }

            @Override public void close() {}
        };
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        WaveformData peaks = WaveformGenerator.compute(liar, new WaveformOptions(256, 8, false));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1, peaks.length());
        org.junit.jupiter.api.Assertions.assertTrue(allocated < 4 << 20, allocated + " bytes for one pixel");
    }

    @Test
    void split16BitPeaksMatchTheAudiowaveformFormatExactly() throws Exception {
        assertEquals("{\"version\":2,\"channels\":2,\"sample_rate\":8000,\"samples_per_pixel\":3,\"bits\":16,\"length\":3,"
                + "\"data\":[-8192,32767,-16384,16384,-32768,4096,8192,8192,24576,24576,-24576,-24576]}",
                compute(STEREO, 3, 16, true).toJson());
    }

    @Test
    void monoMixIsTheMeanOfTheChannels() throws Exception {
        // means: 0.25, 0.125, 0.25, 0.125, -0.375, 0.1875, 0.0
        assertEquals("{\"version\":2,\"channels\":1,\"sample_rate\":8000,\"samples_per_pixel\":3,\"bits\":16,\"length\":3,"
                + "\"data\":[4096,8192,-12288,6144,0,0]}", compute(STEREO, 3, 16, false).toJson());
    }

    @Test
    void eightBitValuesAreTheSixteenBitOnesShiftedDown() throws Exception {
        assertEquals("{\"version\":2,\"channels\":2,\"sample_rate\":8000,\"samples_per_pixel\":3,\"bits\":8,\"length\":3,"
                + "\"data\":[-32,127,-64,64,-128,16,32,32,96,96,-96,-96]}", compute(STEREO, 3, 8, true).toJson());
    }

    @Test
    void zoomOutFromStoredPeaksEqualsComputingAtTheCoarserZoom() throws Exception {
        float[][] x = Signals.music(2, 100_003, 44100);
        WaveformData fine = compute(x, 256, 16, true);
        WaveformData coarse = compute(x, 1024, 16, true);
        assertEquals(coarse, fine.zoomOut(1024));
        assertEquals(compute(x, 2048, 8, false), compute(x, 256, 8, false).zoomOut(2048));
        assertThrows(IllegalArgumentException.class, () -> fine.zoomOut(1000));
    }

    @Test
    void lengthCountsTheLastPartialPixel() throws Exception {
        assertEquals(40, compute(new float[1][10_000], 256, 8, false).length()); // 39 full + 1 partial
        assertEquals(0, compute(new float[1][0], 256, 8, false).length());
    }
}
