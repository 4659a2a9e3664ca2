package studio.nexus.audio;

/**
 * An {@link AudioSource} over arrays already in memory (tests, short generated material).
 * Not thread-safe. The arrays are not copied.
 */
public final class ArrayAudioSource implements AudioSource {
    private final float[][] data;
    private final double sampleRate;
    private final int length;
    private int position;

    public ArrayAudioSource(float[][] data, double sampleRate) {
        if (data.length == 0) {
            throw new IllegalArgumentException("need at least one channel");
        }
        this.data = data;
        this.sampleRate = sampleRate;
        this.length = data[0].length;
    }

    @Override
    public double sampleRate() {
        return sampleRate;
    }

    @Override
    public int channels() {
        return data.length;
    }

    @Override
    public long lengthFrames() {
        return length;
    }

    @Override
    public int read(float[][] buffer, int frames) {
        if (position >= length) {
            return -1;
        }
        int n = Math.min(frames, length - position);
        for (int c = 0; c < data.length; c++) {
            System.arraycopy(data[c], position, buffer[c], 0, n);
        }
        position += n;
        return n;
    }

    @Override
    public void close() {}
}
