package studio.nexus.audio.effects;

/**
 * {@code highpass} / {@code lowpass}: first-order (6 dB/octave) bilinear filters, like pedalboard's
 * HighpassFilter/LowpassFilter. Cutoff is clamped below 0.49 × sample rate.
 */
final class OnePoleFilterEffect extends BlockEffect {
    private final boolean highpass;
    private final Automation cutoff;
    private double b0;
    private double b1;
    private double a1;
    private double lastCutoff = Double.NaN;
    private double[] x1;
    private double[] y1;

    OnePoleFilterEffect(EffectSettings settings, boolean highpass) {
        this.highpass = highpass;
        this.cutoff = settings.number("cutoff_frequency_hz");
    }

    @Override
    protected void allocate(Spec spec) {
        x1 = new double[spec.channels()];
        y1 = new double[spec.channels()];
    }

    @Override
    protected void clearState() {
        java.util.Arrays.fill(x1, 0);
        java.util.Arrays.fill(y1, 0);
        lastCutoff = Double.NaN;
    }

    @Override
    protected void updateControls(double seconds) {
        double f = Math.min(cutoff.valueAt(seconds), sampleRate * 0.49);
        if (f == lastCutoff) {
            return;
        }
        lastCutoff = f;
        double k = Math.tan(Math.PI * f / sampleRate);
        a1 = (k - 1) / (k + 1);
        if (highpass) {
            b0 = 1 / (1 + k);
            b1 = -b0;
        } else {
            b0 = k / (1 + k);
            b1 = b0;
        }
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            double xp = x1[c];
            double yp = y1[c];
            for (int i = offset, end = offset + frames; i < end; i++) {
                double in = x[i];
                double out = b0 * in + b1 * xp - a1 * yp;
                xp = in;
                yp = out;
                x[i] = (float) out;
            }
            x1[c] = xp;
            y1[c] = Math.abs(yp) < 1e-25 ? 0 : yp;
        }
    }
}
