package studio.nexus.audio.waveform;

import java.util.Arrays;

/**
 * Peaks in BBC audiowaveform's data model, version 2: {@code data} holds, for each pixel, for each
 * channel, a min then a max. Immutable (the array is copied in and out). Thread-safe.
 */
public final class WaveformData {
    private final int channels;
    private final int sampleRate;
    private final int samplesPerPixel;
    private final int bits;
    private final int length;
    private final int[] data;

    public WaveformData(int channels, int sampleRate, int samplesPerPixel, int bits, int length, int[] data) {
        if (data.length != length * 2 * channels) {
            throw new IllegalArgumentException("data must hold length × channels × 2 values");
        }
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.samplesPerPixel = samplesPerPixel;
        this.bits = bits;
        this.length = length;
        this.data = data.clone();
    }

    public int channels() {
        return channels;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int samplesPerPixel() {
        return samplesPerPixel;
    }

    public int bits() {
        return bits;
    }

    /** Number of pixels. */
    public int length() {
        return length;
    }

    public int[] data() {
        return data.clone();
    }

    public int min(int pixel, int channel) {
        return data[(pixel * channels + channel) * 2];
    }

    public int max(int pixel, int channel) {
        return data[(pixel * channels + channel) * 2 + 1];
    }

    /**
     * A coarser zoom computed from these peaks alone (no re-decoding): {@code newSamplesPerPixel} must be
     * a multiple of the current value. A trailing partial group becomes a (partial) pixel, as audiowaveform does.
     */
    public WaveformData zoomOut(int newSamplesPerPixel) {
        if (newSamplesPerPixel < samplesPerPixel || newSamplesPerPixel % samplesPerPixel != 0) {
            throw new IllegalArgumentException("samples per pixel " + newSamplesPerPixel + " is not a multiple of "
                    + samplesPerPixel);
        }
        int factor = newSamplesPerPixel / samplesPerPixel;
        int newLength = (length + factor - 1) / factor;
        int[] out = new int[newLength * channels * 2];
        for (int p = 0; p < newLength; p++) {
            for (int c = 0; c < channels; c++) {
                int lo = Integer.MAX_VALUE;
                int hi = Integer.MIN_VALUE;
                for (int q = p * factor; q < Math.min(length, (p + 1) * factor); q++) {
                    lo = Math.min(lo, min(q, c));
                    hi = Math.max(hi, max(q, c));
                }
                out[(p * channels + c) * 2] = lo;
                out[(p * channels + c) * 2 + 1] = hi;
            }
        }
        return new WaveformData(channels, sampleRate, newSamplesPerPixel, bits, newLength, out);
    }

    /** The audiowaveform JSON (version 2), keys in audiowaveform's order. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64 + data.length * 5);
        sb.append("{\"version\":2,\"channels\":").append(channels)
                .append(",\"sample_rate\":").append(sampleRate)
                .append(",\"samples_per_pixel\":").append(samplesPerPixel)
                .append(",\"bits\":").append(bits)
                .append(",\"length\":").append(length)
                .append(",\"data\":[");
        for (int i = 0; i < data.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(data[i]);
        }
        return sb.append("]}").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaveformData w && w.channels == channels && w.sampleRate == sampleRate
                && w.samplesPerPixel == samplesPerPixel && w.bits == bits && w.length == length && Arrays.equals(w.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + length;
    }
}
