package studio.nexus.audio.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.Signals;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;

class OfflineRendererTest {
    private static final double RATE = 44100;

    /** A source of unknown length that generates a tone on the fly (nothing held in memory). */
    static final class ToneSource implements AudioSource {
        private final long frames;
        private final boolean announceLength;
        private long position;

        ToneSource(long frames, boolean announceLength) {
            this.frames = frames;
            this.announceLength = announceLength;
        }

        @Override public double sampleRate() { return RATE; }
        @Override public int channels() { return 2; }
        @Override public long lengthFrames() { return announceLength ? frames : UNKNOWN_LENGTH; }
        @Override public int read(float[][] buffer, int max) {
            if (position >= frames) {
                return -1;
            }
            int n = (int) Math.min(max, Math.min(1000, frames - position)); // deliberately odd read sizes
            for (int i = 0; i < n; i++) {
                float v = (float) (0.5 * Math.sin(2 * Math.PI * 440 * (position + i) / RATE));
                buffer[0][i] = v;
                buffer[1][i] = -v;
            }
            position += n;
            return n;
        }
        @Override public void close() {}
    }

    static final class CountingSink implements AudioSink {
        long frames;
        boolean closed;
        @Override public void write(float[][] buffer, int n) { frames += n; }
        @Override public void close() { closed = true; }
    }

    @Test
    void progressRisesMonotonicallyToOneOverAllPasses() throws Exception {
        ChainDefinition chain = EffectChainParser.parse("[{\"type\":\"normalize\"},{\"type\":\"reverb\"}]");
        List<Double> fractions = new ArrayList<>();
        CountingSink sink = new CountingSink();
        OfflineRenderer.Result r = OfflineRenderer.render(() -> new ToneSource(100_000, true), chain, sink,
                OfflineRenderer.Options.DEFAULT, (f, n) -> fractions.add(f), () -> false);
        assertEquals(2, r.passes());
        assertEquals(100_000, r.framesWritten());
        assertEquals(100_000, sink.frames);
        assertTrue(sink.closed);
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i) >= fractions.get(i - 1));
        }
        assertEquals(1.0, fractions.get(fractions.size() - 1), 1e-12);
    }

    @Test
    void unknownLengthSourceRendersCompletelyWithProgressMinusOne() throws Exception {
        ChainDefinition chain = EffectChainParser.parse("[{\"type\":\"limiter\"},{\"type\":\"pitch_shift\",\"settings\":{\"semitones\":3}}]");
        CountingSink sink = new CountingSink();
        List<Double> fractions = new ArrayList<>();
        OfflineRenderer.render(() -> new ToneSource(77_777, false), chain, sink, OfflineRenderer.Options.DEFAULT,
                (f, n) -> fractions.add(f), () -> false);
        assertEquals(77_777, sink.frames, "output as long as input despite latency");
        assertTrue(fractions.stream().allMatch(f -> f == -1.0));
    }

    @Test
    void tailSecondsAppendsTheReverbTail() throws Exception {
        ChainDefinition chain = EffectChainParser.parse("[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.9}}]");
        ArrayAudioSink sink = new ArrayAudioSink(1);
        float[][] in = Signals.impulse(1, 1000);
        OfflineRenderer.render(() -> new ArrayAudioSource(in, RATE), chain, sink, new OfflineRenderer.Options(512, 1.0),
                OfflineRenderer.ProgressListener.NONE, () -> false);
        float[][] out = sink.samples();
        assertEquals(1000 + 44100, out[0].length);
        assertTrue(Signals.rms(out[0], 30000, 45100) > 1e-5, "tail is there");
    }

    @Test
    void cancelStopsTheRenderAndClosesTheSink() throws Exception {
        ChainDefinition chain = EffectChainParser.parse(EffectChainParserTestSeeds.AMBIENT_SPACE);
        CountingSink sink = new CountingSink();
        AtomicInteger blocks = new AtomicInteger();
        assertThrows(RenderCancelledException.class, () -> OfflineRenderer.render(() -> new ToneSource(10_000_000, true), chain,
                sink, OfflineRenderer.Options.DEFAULT, (f, n) -> blocks.incrementAndGet(), () -> blocks.get() >= 5));
        assertTrue(sink.closed);
        assertTrue(sink.frames < 10_000_000);
    }

    @Test
    void threadInterruptCancelsTheRender() throws Exception {
        ChainDefinition chain = EffectChainParser.parse("[{\"type\":\"gain\"}]");
        Thread.currentThread().interrupt();
        try {
            assertThrows(RenderCancelledException.class, () -> OfflineRenderer.render(() -> new ToneSource(1000, true), chain,
                    new CountingSink(), OfflineRenderer.Options.DEFAULT, OfflineRenderer.ProgressListener.NONE, () -> false));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void seedPresetsRenderAsWritten() throws Exception {
        for (String preset : List.of(EffectChainParserTestSeeds.VOCAL_WARMTH, EffectChainParserTestSeeds.AMBIENT_SPACE)) {
            ArrayAudioSink sink = new ArrayAudioSink(2);
            OfflineRenderer.render(() -> new ToneSource(44100, true), EffectChainParser.parse(preset), sink,
                    OfflineRenderer.Options.DEFAULT, OfflineRenderer.ProgressListener.NONE, () -> false);
            float[][] out = sink.samples();
            assertEquals(44100, out[0].length);
            double rms = Signals.rms(out[0], 0, 44100);
            assertTrue(rms > 0.1 && rms < 2, preset + " rms " + rms);
        }
    }
}
