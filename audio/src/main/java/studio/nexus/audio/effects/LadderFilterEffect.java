package studio.nexus.audio.effects;

/**
 * {@code ladder_filter}: Moog-style 4-pole transistor ladder after JUCE's {@code dsp::LadderFilter}
 * (which pedalboard wraps): one-pole stages with a tanh-saturated input and resonance feedback, outputs
 * mixed per mode (LPF12/LPF24 = 2/4-pole lowpass, HPF12/HPF24, BPF12/BPF24). Resonance 0..1 is mapped
 * to 0.1..1.0 of the feedback range; drive ≥ 1 pushes the tanh stage with gain compensation.
 * tanh bounds the feedback loop, so even full resonance cannot run away.
 */
final class LadderFilterEffect extends BlockEffect {
    static final java.util.List<String> MODES = java.util.List.of("LPF12", "HPF12", "BPF12", "LPF24", "HPF24", "BPF24");
    private static final double[][] MIX = {
        {0, 0, 1, 0, 0}, // LPF12
        {1, -2, 1, 0, 0}, // HPF12
        {0, 0, -1, 1, 0}, // BPF12
        {0, 0, 0, 0, 1}, // LPF24
        {1, -4, 6, -4, 1}, // HPF24
        {0, 0, 1, -2, 1}, // BPF24
    };

    private final double[] mix;
    private final Automation cutoffHz;
    private final Automation resonance;
    private final Automation drive;
    private double[][] state;
    private double a1;
    private double scaledResonance;
    private double driveValue;
    private double gain;
    private double drive2;
    private double gain2;

    LadderFilterEffect(EffectSettings s) {
        mix = MIX[MODES.indexOf(s.choice("mode"))];
        cutoffHz = s.number("cutoff_hz");
        resonance = s.number("resonance");
        drive = s.number("drive");
    }

    @Override
    protected void allocate(Spec spec) {
        state = new double[spec.channels()][5];
    }

    @Override
    protected void clearState() {
        for (double[] s : state) {
            java.util.Arrays.fill(s, 0);
        }
    }

    @Override
    protected void updateControls(double seconds) {
        double f = Math.min(cutoffHz.valueAt(seconds), sampleRate * 0.45);
        a1 = Math.exp(-2 * Math.PI * f / sampleRate);
        scaledResonance = 0.1 + 0.9 * resonance.valueAt(seconds);
        driveValue = drive.valueAt(seconds);
        gain = Math.pow(driveValue, -2.642) * 0.6103 + 0.3903;
        drive2 = driveValue * 0.04 + 0.96;
        gain2 = Math.pow(drive2, -2.642) * 0.6103 + 0.3903;
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        double g = 1 - a1;
        double b0 = g * 0.76923076923;
        double b1 = g * 0.23076923076;
        double m0 = mix[0];
        double m1 = mix[1];
        double m2 = mix[2];
        double m3 = mix[3];
        double m4 = mix[4];
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            double[] s = state[c];
            double s0 = s[0];
            double s1 = s[1];
            double s2 = s[2];
            double s3 = s[3];
            double s4 = s[4];
            for (int i = offset, end = offset + frames; i < end; i++) {
                double dx = gain * Math.tanh(driveValue * x[i]);
                double a = dx + scaledResonance * -4 * (gain2 * Math.tanh(drive2 * s4) - dx * 0.5);
                double b = b1 * s0 + a1 * s1 + b0 * a;
                double cc = b1 * s1 + a1 * s2 + b0 * b;
                double d = b1 * s2 + a1 * s3 + b0 * cc;
                double e = b1 * s3 + a1 * s4 + b0 * d;
                s0 = a;
                s1 = b;
                s2 = cc;
                s3 = d;
                s4 = e;
                x[i] = (float) (a * m0 + b * m1 + cc * m2 + d * m3 + e * m4);
            }
            s[0] = clean(s0);
            s[1] = clean(s1);
            s[2] = clean(s2);
            s[3] = clean(s3);
            s[4] = clean(s4);
        }
    }

    private static double clean(double v) {
        return studio.nexus.audio.SampleGuard.clean(v);
    }
}
