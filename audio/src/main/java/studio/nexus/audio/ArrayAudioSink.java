package studio.nexus.audio;

import java.util.Arrays;

/** An {@link AudioSink} collecting everything in memory (tests, short material only). Not thread-safe. */
public final class ArrayAudioSink implements AudioSink {
    private float[][] data;
    private int length;
    private boolean closed;

    public ArrayAudioSink(int channels) {
        data = new float[channels][1024];
    }

    @Override
    public void write(float[][] buffer, int frames) {
        if (length + frames > data[0].length) {
            int size = Math.max(length + frames, data[0].length * 2);
            for (int c = 0; c < data.length; c++) {
                data[c] = Arrays.copyOf(data[c], size);
            }
        }
        for (int c = 0; c < data.length; c++) {
            System.arraycopy(buffer[c], 0, data[c], length, frames);
        }
        length += frames;
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Copies of the collected samples, one array per channel. */
    public float[][] samples() {
        float[][] out = new float[data.length][];
        for (int c = 0; c < data.length; c++) {
            out[c] = Arrays.copyOf(data[c], length);
        }
        return out;
    }

    public int length() {
        return length;
    }
}
