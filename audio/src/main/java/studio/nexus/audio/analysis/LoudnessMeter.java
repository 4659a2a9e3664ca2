package studio.nexus.audio.analysis;

import java.io.IOException;
import studio.nexus.audio.AudioSource;

/**
 * Streaming sample-peak and integrated-loudness meter after ITU-R BS.1770-4 / EBU R128: K-weighting
 * (high-shelf pre-filter + RLB high-pass, coefficients derived for any sample rate as in libebur128),
 * 400 ms blocks with 75 % overlap, absolute gate −70 LUFS, relative gate −10 LU.
 *
 * <p>Memory is bounded whatever the length: gated blocks go into a 0.01 LU histogram (−70..+10 LUFS)
 * that keeps per-bin energy sums, so the gate's resolution is 0.01 LU. Channel weights are 1.0, except
 * for 6-channel (5.1) input: LFE (channel 3) is ignored and surrounds (4, 5) weigh 1.41.
 * Not thread-safe; allocation-free after construction.
 */
public final class LoudnessMeter {

    private static final double ABSOLUTE_GATE_LUFS = -70.0;
    private static final double HISTOGRAM_TOP_LUFS = 10.0;
    private static final double BIN_WIDTH = 0.01;

    private final int channels;
    private final double[] weights;
    private final double[] pb = new double[3];
    private final double[] pa = new double[3];
    private final double[] rb = {1.0, -2.0, 1.0};
    private final double[] ra = new double[3];
    private final double[][] preState;
    private final double[][] rlbState;
    private final int segmentLength;
    private final double[] segmentSums;
    private int segmentFill;
    private final double[] lastSegments = new double[4];
    private long segmentsSeen;
    private final long[] binCounts;
    private final double[] binEnergy;
    private double peak;

    public LoudnessMeter(double sampleRate, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1");
        }
        this.channels = channels;
        weights = new double[channels];
        java.util.Arrays.fill(weights, 1.0);
        if (channels == 6) {
            weights[3] = 0.0;
            weights[4] = 1.41;
            weights[5] = 1.41;
        }
        double f0 = 1681.974450955533;
        double g = 3.999843853973347;
        double q = 0.7071752369554196;
        double k = Math.tan(Math.PI * f0 / sampleRate);
        double vh = Math.pow(10.0, g / 20.0);
        double vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1.0 + k / q + k * k;
        pb[0] = (vh + vb * k / q + k * k) / a0;
        pb[1] = 2.0 * (k * k - vh) / a0;
        pb[2] = (vh - vb * k / q + k * k) / a0;
        pa[0] = 1.0;
        pa[1] = 2.0 * (k * k - 1.0) / a0;
        pa[2] = (1.0 - k / q + k * k) / a0;
        f0 = 38.13547087602444;
        q = 0.5003270373238773;
        k = Math.tan(Math.PI * f0 / sampleRate);
        double d = 1.0 + k / q + k * k;
        ra[0] = 1.0;
        ra[1] = 2.0 * (k * k - 1.0) / d;
        ra[2] = (1.0 - k / q + k * k) / d;
        preState = new double[channels][2];
        rlbState = new double[channels][2];
        segmentLength = Math.max(1, (int) Math.round(sampleRate * 0.1));
        segmentSums = new double[channels];
        int bins = (int) Math.round((HISTOGRAM_TOP_LUFS - ABSOLUTE_GATE_LUFS) / BIN_WIDTH) + 1;
        binCounts = new long[bins];
        binEnergy = new double[bins];
    }

    /** Measures a whole source (reads it to the end, does not close it). */
    public static Measurement measure(AudioSource source) throws IOException {
        LoudnessMeter meter = new LoudnessMeter(source.sampleRate(), source.channels());
        float[][] buffer = new float[source.channels()][4096];
        int n;
        while ((n = source.read(buffer, 4096)) >= 0) {
            meter.accept(buffer, 0, n);
        }
        return meter.result();
    }

    public void reset() {
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(preState[c], 0);
            java.util.Arrays.fill(rlbState[c], 0);
        }
        java.util.Arrays.fill(segmentSums, 0);
        segmentFill = 0;
        java.util.Arrays.fill(lastSegments, 0);
        segmentsSeen = 0;
        java.util.Arrays.fill(binCounts, 0);
        java.util.Arrays.fill(binEnergy, 0);
        peak = 0;
    }

    /** Feeds {@code frames} frames of the first {@link #channels} channels. Allocation-free. */
    public void accept(float[][] buffer, int offset, int frames) {
        int done = 0;
        while (done < frames) {
            int n = Math.min(frames - done, segmentLength - segmentFill);
            for (int c = 0; c < channels; c++) {
                float[] x = buffer[c];
                double[] ps = preState[c];
                double[] rs = rlbState[c];
                double p1 = ps[0];
                double p2 = ps[1];
                double r1 = rs[0];
                double r2 = rs[1];
                double sum = 0;
                double pk = peak;
                for (int i = offset + done, end = offset + done + n; i < end; i++) {
                    double in = x[i];
                    double a = Math.abs(in);
                    if (a > pk) {
                        pk = a;
                    }
                    // transposed direct form II, pre-filter then RLB
                    double y = pb[0] * in + p1;
                    p1 = pb[1] * in - pa[1] * y + p2;
                    p2 = pb[2] * in - pa[2] * y;
                    double z = rb[0] * y + r1;
                    r1 = rb[1] * y - ra[1] * z + r2;
                    r2 = rb[2] * y - ra[2] * z;
                    sum += z * z;
                }
                peak = pk;
                ps[0] = p1;
                ps[1] = p2;
                rs[0] = r1;
                rs[1] = r2;
                segmentSums[c] += sum;
            }
            segmentFill += n;
            done += n;
            if (segmentFill == segmentLength) {
                closeSegment();
            }
        }
    }

    private void closeSegment() {
        double energy = 0;
        for (int c = 0; c < channels; c++) {
            energy += weights[c] * segmentSums[c] / segmentLength;
            segmentSums[c] = 0;
        }
        segmentFill = 0;
        lastSegments[(int) (segmentsSeen & 3)] = energy;
        segmentsSeen++;
        if (segmentsSeen >= 4) {
            double block = (lastSegments[0] + lastSegments[1] + lastSegments[2] + lastSegments[3]) / 4;
            double loudness = -0.691 + 10 * Math.log10(block);
            if (loudness >= ABSOLUTE_GATE_LUFS) {
                int bin = (int) Math.min(binCounts.length - 1, Math.floor((loudness - ABSOLUTE_GATE_LUFS) / BIN_WIDTH));
                binCounts[bin]++;
                binEnergy[bin] += block;
            }
        }
    }

    /** Integrated loudness in LUFS, or negative infinity when nothing passes the gates (silence, < 400 ms). */
    public double integratedLoudness() {
        long count = 0;
        double energy = 0;
        for (int i = 0; i < binCounts.length; i++) {
            count += binCounts[i];
            energy += binEnergy[i];
        }
        if (count == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double relativeGate = -0.691 + 10 * Math.log10(energy / count) - 10.0;
        int firstBin = (int) Math.max(0, Math.ceil((relativeGate - ABSOLUTE_GATE_LUFS) / BIN_WIDTH - 1e-9));
        count = 0;
        energy = 0;
        for (int i = firstBin; i < binCounts.length; i++) {
            count += binCounts[i];
            energy += binEnergy[i];
        }
        return count == 0 ? Double.NEGATIVE_INFINITY : -0.691 + 10 * Math.log10(energy / count);
    }

    /** Largest |sample| seen, linear. */
    public double samplePeak() {
        return peak;
    }

    public Measurement result() {
        return new Measurement(peak > 0 ? 20 * Math.log10(peak) : Double.NEGATIVE_INFINITY, integratedLoudness());
    }

    /**
     * @param samplePeakDbfs largest |sample| in dBFS (−∞ for digital silence)
     * @param integratedLufs gated integrated loudness in LUFS (−∞ when nothing passes the gate)
     */
    public record Measurement(double samplePeakDbfs, double integratedLufs) {}
}
