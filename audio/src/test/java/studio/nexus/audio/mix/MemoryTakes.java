package studio.nexus.audio.mix;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSource;

/** Takes for tests: arrays in memory, or generated on the fly, at the song's rate or another; counts what is open. */
final class MemoryTakes implements TakeOpener {
    private final double rate;
    private final Map<String, float[][]> arrays = new HashMap<>();
    private final Map<String, Double> rates = new HashMap<>();
    private final Map<String, TakeFormat> generatedFormats = new HashMap<>();
    private final Map<String, LongFunction<AudioSource>> generated = new HashMap<>();
    int open;
    int mostOpen;
    int opened;

    MemoryTakes(double rate) {
        this.rate = rate;
    }

    MemoryTakes add(String id, float[][] samples) {
        arrays.put(id, samples);
        return this;
    }

    /** A take recorded at {@code takeRate} rather than the rate these takes were made with. */
    MemoryTakes addAt(String id, double takeRate, float[][] samples) {
        rates.put(id, takeRate);
        return add(id, samples);
    }

    /** A take of {@code frames} frames computed as it is read: nothing of it is stored. */
    MemoryTakes generate(String id, int channels, long frames) {
        return generateAt(id, rate, channels, frames);
    }

    MemoryTakes generateAt(String id, double takeRate, int channels, long frames) {
        generatedFormats.put(id, new TakeFormat(takeRate, channels, frames));
        generated.put(id, f -> new GeneratedTake(takeRate, channels, frames, id.hashCode()));
        return this;
    }

    @Override
    public TakeFormat format(String takeId) {
        float[][] a = arrays.get(takeId);
        return a != null ? new TakeFormat(rateOf(takeId), a.length, a[0].length) : generatedFormats.get(takeId);
    }

    private double rateOf(String takeId) {
        return rates.getOrDefault(takeId, rate);
    }

    @Override
    public AudioSource open(String takeId) throws IOException {
        AudioSource inner = arrays.containsKey(takeId) ? new ArrayAudioSource(arrays.get(takeId), rateOf(takeId))
                : generated.get(takeId).apply(0);
        opened++;
        mostOpen = Math.max(mostOpen, ++open);
        return new AudioSource() {
            boolean closed;

            @Override public double sampleRate() { return inner.sampleRate(); }
            @Override public int channels() { return inner.channels(); }
            @Override public long lengthFrames() { return inner.lengthFrames(); }
            @Override public int read(float[][] buffer, int frames) throws IOException {
                return inner.read(buffer, frames);
            }
            @Override public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    open--;
                }
                inner.close();
            }
        };
    }

    /** Quiet noise from a cheap generator; allocation-free reads. */
    static final class GeneratedTake implements AudioSource {
        private final double rate;
        private final int channels;
        private final long frames;
        private long position;
        private long seed;

        GeneratedTake(double rate, int channels, long frames, long seed) {
            this.rate = rate;
            this.channels = channels;
            this.frames = frames;
            this.seed = seed;
        }

        @Override public double sampleRate() { return rate; }
        @Override public int channels() { return channels; }
        @Override public long lengthFrames() { return frames; }
        @Override public int read(float[][] b, int max) {
            if (position >= frames) {
                return -1;
            }
            int n = (int) Math.min(max, frames - position);
            for (int c = 0; c < channels; c++) {
                float[] x = b[c];
                long s = seed + c;
                for (int i = 0; i < n; i++) {
                    s = s * 6364136223846793005L + 1442695040888963407L;
                    x[i] = ((s >>> 40) / (float) (1 << 24) - 0.5f) * 0.2f;
                }
                if (c == channels - 1) {
                    seed = s;
                }
            }
            position += n;
            return n;
        }
        @Override public void close() {}
    }
}
