package studio.nexus.audio.analysis;

import java.io.IOException;
import studio.nexus.audio.AudioSink;

/**
 * What a render or export delivers, measured as it is written: sample peak, true peak (4× oversampled,
 * {@link TruePeakDetector}), integrated loudness ({@link LoudnessMeter}) and the number of clipped samples
 * (|x| ≥ 1.0 before conversion to the file's format; each channel's sample counts once). Streaming, memory
 * bounded whatever the length; allocation-free per block. Not thread-safe.
 */
public final class MasterMeter {

    private final int channels;
    private final LoudnessMeter loudness;
    private final TruePeakDetector truePeak;
    private double truePeakLinear;
    private long clipped;
    private boolean flushed;

    public MasterMeter(double sampleRate, int channels) {
        this.channels = channels;
        loudness = new LoudnessMeter(sampleRate, channels);
        truePeak = new TruePeakDetector(channels);
    }

    /** Measures {@code buffer[c][offset .. offset+frames)}. */
    public void accept(float[][] buffer, int offset, int frames) {
        if (flushed) {
            throw new IllegalStateException("the meter already gave its report");
        }
        loudness.accept(buffer, offset, frames);
        double tp = truePeakLinear;
        long over = clipped;
        for (int c = 0; c < channels; c++) {
            float[] x = buffer[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                float s = x[i];
                if (s >= 1.0f || s <= -1.0f) {
                    over++;
                }
                double p = truePeak.push(c, s);
                if (p > tp) {
                    tp = p;
                }
            }
        }
        truePeakLinear = tp;
        clipped = over;
    }

    /** The figures so far; the first call also runs the true-peak interpolator out, so feed nothing after it. */
    public Report report() {
        if (!flushed) {
            flushed = true;
            for (int i = 0; i < TruePeakDetector.DELAY_FRAMES; i++) {
                for (int c = 0; c < channels; c++) {
                    truePeakLinear = Math.max(truePeakLinear, truePeak.push(c, 0));
                }
            }
        }
        double samplePeak = loudness.samplePeak();
        // the oversampled value at phase 0 is the sample itself, so the true peak is never below it
        double tp = Math.max(truePeakLinear, samplePeak);
        return new Report(decibels(samplePeak), decibels(tp), loudness.integratedLoudness(), clipped);
    }

    /** A sink that measures every block and then passes it on to {@code sink} (which it closes). */
    public AudioSink in(AudioSink sink) {
        return new AudioSink() {
            @Override
            public void write(float[][] buffer, int frames) throws IOException {
                accept(buffer, 0, frames);
                sink.write(buffer, frames);
            }

            @Override
            public void close() throws IOException {
                sink.close();
            }
        };
    }

    private static double decibels(double linear) {
        return linear > 0 ? 20 * Math.log10(linear) : Double.NEGATIVE_INFINITY;
    }

    /**
     * @param samplePeakDbfs largest |sample| in dBFS (−∞ for digital silence)
     * @param truePeakDbtp largest 4× oversampled |value| in dBTP (−∞ for digital silence)
     * @param integratedLufs gated integrated loudness (−∞ when nothing passes the gate)
     * @param clippedSamples samples at or beyond full scale, over all channels
     */
    public record Report(double samplePeakDbfs, double truePeakDbtp, double integratedLufs, long clippedSamples) {}
}
