package studio.nexus.audio.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.render.OfflineRenderer.ProgressListener;

class LongArrangementTest {

    /**
     * Sixteen tracks of an hour each (sixty one-minute clips per track, takes generated as they are read) stream
     * through the mixer while the heap, measured after a collection every ten minutes of music, stays put.
     */
    @Test
    void anHourOfSixteenTracksMixesInBoundedMemory() throws Exception {
        double rate = 44100;
        long minute = 60 * 44100L;
        MemoryTakes takes = new MemoryTakes(rate);
        List<Track> tracks = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            List<Clip> clips = new ArrayList<>();
            for (int m = 0; m < 60; m++) {
                String take = "t" + t + "m" + m;
                takes.generate(take, t % 2 + 1, minute);
                clips.add(new Clip(take, m * minute, 0, minute, -3, 441, 441));
            }
            tracks.add(new Track("track" + t, "Track " + t, -6, (t - 7.5) / 8, false, false, MixerTest.chain("[]"),
                    clips));
        }
        Arrangement song = new Arrangement(rate, tracks, MixerTest.chain("[]"), 0);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long[] most = {0};
        long[] written = {0};
        AudioSink sink = new AudioSink() {
            @Override public void write(float[][] b, int n) {
                written[0] += n;
                if (written[0] / (10 * minute) != (written[0] - n) / (10 * minute)) {
                    System.gc();
                    most[0] = Math.max(most[0], memory.getHeapMemoryUsage().getUsed() - before);
                }
            }
            @Override public void close() {}
        };
        Mixer.mixdown(song, takes, sink, new Mixer.Options(4096, 0, Double.NaN), ProgressListener.NONE, () -> false);
        assertEquals(60 * minute, written[0]);
        assertEquals(960, takes.opened, "each clip's take opened once");
        assertTrue(takes.mostOpen <= 16, "at most one take open per track, was " + takes.mostOpen);
        assertTrue(most[0] < 8 << 20, "heap grew by " + (most[0] >> 10) + " KiB while mixing an hour");
    }
}
