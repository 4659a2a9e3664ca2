package studio.nexus.audio.effects;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * {@code pitch_shift}: phase-vocoder pitch shifter; duration is unchanged (sample in, sample out).
 *
 * <p>Per channel: Hann-windowed frames of N samples (2048 up to 48 kHz, 4096 above) every N/4 samples;
 * each bin's true frequency is estimated from its phase advance, moved to bin round(k × ratio) with its
 * frequency scaled by ratio = 2^(semitones/12), re-synthesised with accumulated phases and overlap-added.
 * A steady tone therefore comes out at exactly ratio × its frequency (a time-domain granular shifter was
 * tried first and missed by up to half its grain rate). Costs: some "phasiness" on transients.
 *
 * <p>A constant 0 semitones is an exact bypass with no latency. Otherwise latency is N − N/4 frames,
 * reported by {@link #latencyFrames()} so the renderer re-aligns the output.
 * Not thread-safe; the FFT plan is per instance.
 */
final class PitchShiftEffect extends BlockEffect {
    private static final int OVERLAP = 4;
    private final Automation semitones;
    private final boolean bypass;
    private int size;
    private int hop;
    private int latency;
    private DoubleFFT_1D fft;
    private double[] window;
    private double[][] inFifo;
    private double[][] outFifo;
    private double[][] accumulator;
    private double[][] lastPhase;
    private double[][] sumPhase;
    private double[] frame;
    private double[] magnitude;
    private double[] frequency;
    private double[] synthMagnitude;
    private double[] synthFrequency;
    private int rover;
    private double ratio = 1;

    PitchShiftEffect(EffectSettings s) {
        semitones = s.number("semitones");
        bypass = semitones.isConstant() && semitones.initialValue() == 0.0;
    }

    @Override
    public int latencyFrames() {
        return bypass ? 0 : latency;
    }

    @Override
    protected void allocate(Spec spec) {
        // Stay at or below 4096 points: JTransforms switches to multi-threaded FFTs for larger sizes.
        size = spec.sampleRate() > 48000 ? 4096 : 2048;
        hop = size / OVERLAP;
        latency = size - hop;
        fft = new DoubleFFT_1D(size);
        window = new double[size];
        for (int i = 0; i < size; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
        }
        int channels = spec.channels();
        inFifo = new double[channels][size];
        outFifo = new double[channels][size];
        accumulator = new double[channels][2 * size];
        lastPhase = new double[channels][size / 2 + 1];
        sumPhase = new double[channels][size / 2 + 1];
        frame = new double[size];
        magnitude = new double[size / 2 + 1];
        frequency = new double[size / 2 + 1];
        synthMagnitude = new double[size / 2 + 1];
        synthFrequency = new double[size / 2 + 1];
    }

    @Override
    protected void clearState() {
        for (int c = 0; c < inFifo.length; c++) {
            java.util.Arrays.fill(inFifo[c], 0);
            java.util.Arrays.fill(outFifo[c], 0);
            java.util.Arrays.fill(accumulator[c], 0);
            java.util.Arrays.fill(lastPhase[c], 0);
            java.util.Arrays.fill(sumPhase[c], 0);
        }
        rover = latency;
    }

    @Override
    protected void updateControls(double seconds) {
        ratio = Math.pow(2.0, semitones.valueAt(seconds) / 12.0);
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        if (bypass) {
            return;
        }
        int r = rover;
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channelCount; c++) {
                inFifo[c][r] = ch[c][offset + i];
                ch[c][offset + i] = (float) outFifo[c][r - latency];
            }
            r++;
            if (r >= size) {
                r = latency;
                for (int c = 0; c < channelCount; c++) {
                    processFrame(c);
                }
            }
        }
        rover = r;
    }

    private void processFrame(int c) {
        double[] in = inFifo[c];
        int bins = size / 2;
        double expected = 2 * Math.PI * hop / size;
        double binsPerRadian = size / (2 * Math.PI * hop);
        for (int i = 0; i < size; i++) {
            frame[i] = in[i] * window[i];
        }
        fft.realForward(frame);
        double[] last = lastPhase[c];
        for (int k = 0; k <= bins; k++) {
            double re;
            double im;
            if (k == 0) {
                re = frame[0];
                im = 0;
            } else if (k == bins) {
                re = frame[1];
                im = 0;
            } else {
                re = frame[2 * k];
                im = frame[2 * k + 1];
            }
            double phase = Math.atan2(im, re);
            double delta = phase - last[k] - k * expected;
            last[k] = phase;
            delta -= 2 * Math.PI * Math.rint(delta / (2 * Math.PI));
            magnitude[k] = Math.hypot(re, im);
            frequency[k] = k + delta * binsPerRadian;
        }
        java.util.Arrays.fill(synthMagnitude, 0);
        java.util.Arrays.fill(synthFrequency, 0);
        for (int k = 0; k <= bins; k++) {
            int j = (int) Math.round(k * ratio);
            if (j <= bins) {
                if (magnitude[k] > synthMagnitude[j]) {
                    synthFrequency[j] = frequency[k] * ratio; // the strongest contributor sets the frequency
                }
                synthMagnitude[j] += magnitude[k];
            }
        }
        double[] sum = sumPhase[c];
        for (int k = 0; k <= bins; k++) {
            sum[k] += synthFrequency[k] / binsPerRadian;
            sum[k] -= 2 * Math.PI * Math.rint(sum[k] / (2 * Math.PI)); // keep the phase small and precise
            double m = synthMagnitude[k];
            double re = m * Math.cos(sum[k]);
            double im = m * Math.sin(sum[k]);
            if (k == 0) {
                frame[0] = re;
            } else if (k == bins) {
                frame[1] = re;
            } else {
                frame[2 * k] = re;
                frame[2 * k + 1] = im;
            }
        }
        fft.realInverse(frame, true);
        double[] acc = accumulator[c];
        // Hann analysis × Hann synthesis at 75 % overlap sums to 1.5.
        double norm = 1.0 / 1.5;
        for (int i = 0; i < size; i++) {
            acc[i] += frame[i] * window[i] * norm;
        }
        double[] out = outFifo[c];
        System.arraycopy(acc, 0, out, 0, hop);
        System.arraycopy(acc, hop, acc, 0, size);
        java.util.Arrays.fill(acc, size, size + hop, 0);
        System.arraycopy(in, hop, in, 0, latency);
        for (int i = 0; i < hop; i++) {
            if (Math.abs(out[i]) < 1e-25) {
                out[i] = 0;
            }
        }
    }
}
