package studio.nexus.audio.effects;

/**
 * {@code pitch_shift}: time-domain delay-line ("rotating tape head") shifter; duration is unchanged.
 * Two read taps sweep a delay window of W ≈ 46 ms at speed (1 − ratio), half a window apart, each
 * weighted by a sin² window so the taps cross-fade where they wrap (gains sum to 1).
 * ratio = 2^(semitones/12). Within a grain the read speed is exactly {@code ratio}, so a tone's
 * frequency is multiplied exactly; the cost is some cross-fade comb colouring on complex material.
 *
 * <p>A constant 0 semitones is an exact bypass with no latency. Otherwise the average delay is W/2,
 * reported as {@link #latencyFrames()} so renderers re-align the output.
 */
final class PitchShiftEffect extends BlockEffect {
    private static final double WINDOW_SECONDS = 0.046;
    private final Automation semitones;
    private final boolean bypass;
    private int window;
    private float[][] lines;
    private int mask;
    private int writeIndex;
    private double phase; // 0..1 position of tap 1 in the window
    private double speed; // change of phase per sample
    private final double[] tapOne = new double[CONTROL_INTERVAL];
    private final double[] tapTwo = new double[CONTROL_INTERVAL];
    private final double[] gainOne = new double[CONTROL_INTERVAL];

    PitchShiftEffect(EffectSettings s) {
        semitones = s.number("semitones");
        bypass = semitones.isConstant() && semitones.initialValue() == 0.0;
    }

    @Override
    public int latencyFrames() {
        return bypass ? 0 : window / 2;
    }

    @Override
    protected void allocate(Spec spec) {
        window = (int) Math.round(WINDOW_SECONDS * spec.sampleRate());
        int size = Integer.highestOneBit(window + 4) << 1;
        lines = new float[spec.channels()][size];
        mask = size - 1;
    }

    @Override
    protected void clearState() {
        for (float[] l : lines) {
            java.util.Arrays.fill(l, 0f);
        }
        writeIndex = 0;
        phase = 0;
    }

    @Override
    protected void updateControls(double seconds) {
        double ratio = Math.pow(2.0, semitones.valueAt(seconds) / 12.0);
        speed = (1.0 - ratio) / window;
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        if (bypass) {
            return;
        }
        double p = phase;
        for (int i = 0; i < frames; i++) {
            double q = p + 0.5;
            if (q >= 1) {
                q -= 1;
            }
            tapOne[i] = p * window;
            tapTwo[i] = q * window;
            double s = Math.sin(Math.PI * p);
            gainOne[i] = s * s;
            p += speed;
            p -= Math.floor(p);
        }
        phase = p;
        int start = writeIndex;
        for (int c = 0; c < channelCount; c++) {
            float[] line = lines[c];
            float[] x = ch[c];
            int w = start;
            for (int i = 0; i < frames; i++) {
                line[w] = x[offset + i];
                double g1 = gainOne[i];
                x[offset + i] = (float) (read(line, w, tapOne[i]) * g1 + read(line, w, tapTwo[i]) * (1 - g1));
                w = (w + 1) & mask;
            }
        }
        writeIndex = (start + frames) & mask;
    }

    private double read(float[] line, int w, double delay) {
        int whole = (int) delay;
        double frac = delay - whole;
        float a = line[(w - whole) & mask];
        float b = line[(w - whole - 1) & mask];
        return a + (b - a) * frac;
    }
}
