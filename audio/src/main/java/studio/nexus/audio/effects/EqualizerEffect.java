package studio.nexus.audio.effects;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code equalizer}: the legacy 3-band EQ of the seed presets plus any number of parametric bands.
 *
 * <p>Legacy bands take LINEAR gains (1.0 = unity): {@code low} = low shelf at 250 Hz (Q 0.707),
 * {@code mid} = peak at 1 kHz (Q 0.7), {@code high} = high shelf at 4 kHz (Q 0.707). A legacy band at
 * exactly 1.0 is skipped. {@code bands} are RBJ cookbook biquads, applied after the legacy bands.
 */
final class EqualizerEffect extends BlockEffect {

    static final double LOW_SHELF_HZ = 250;
    static final double MID_PEAK_HZ = 1000;
    static final double HIGH_SHELF_HZ = 4000;

    private final Band[] bands;
    private Biquad[] filters;

    private record Band(Biquad.Kind kind, Automation frequencyHz, Automation gainDb, Automation q, boolean linearGain) {
        boolean isConstant() {
            return frequencyHz.isConstant() && gainDb.isConstant() && q.isConstant();
        }

        double gainDbAt(double s) {
            double g = gainDb.valueAt(s);
            return linearGain ? 20 * Math.log10(g) : g;
        }
    }

    EqualizerEffect(EffectSettings settings) {
        List<Band> list = new ArrayList<>();
        addLegacy(list, Biquad.Kind.LOW_SHELF, LOW_SHELF_HZ, settings.number("low"), 0.707);
        addLegacy(list, Biquad.Kind.PEAK, MID_PEAK_HZ, settings.number("mid"), 0.7);
        addLegacy(list, Biquad.Kind.HIGH_SHELF, HIGH_SHELF_HZ, settings.number("high"), 0.707);
        for (EffectSettings.EqBand b : settings.bands()) {
            Biquad.Kind kind = switch (b.kind()) {
                case PEAK -> Biquad.Kind.PEAK;
                case LOW_SHELF -> Biquad.Kind.LOW_SHELF;
                case HIGH_SHELF -> Biquad.Kind.HIGH_SHELF;
            };
            list.add(new Band(kind, b.frequencyHz(), b.gainDb(), b.q(), false));
        }
        bands = list.toArray(new Band[0]);
    }

    private static void addLegacy(List<Band> list, Biquad.Kind kind, double hz, Automation linearGain, double q) {
        if (linearGain.isConstant() && linearGain.initialValue() == 1.0) {
            return; // unity: skip the work entirely
        }
        list.add(new Band(kind, Automation.constant(hz), linearGain, Automation.constant(q), true));
    }

    @Override
    protected void allocate(Spec spec) {
        filters = new Biquad[bands.length];
        for (int i = 0; i < bands.length; i++) {
            filters[i] = new Biquad(spec.channels());
        }
    }

    @Override
    protected void clearState() {
        for (int i = 0; i < bands.length; i++) {
            filters[i].clear();
            design(i, 0);
        }
    }

    private void design(int i, double seconds) {
        Band b = bands[i];
        filters[i].design(b.kind(), sampleRate, b.frequencyHz().valueAt(seconds), b.gainDbAt(seconds), b.q().valueAt(seconds));
    }

    @Override
    protected void updateControls(double seconds) {
        for (int i = 0; i < bands.length; i++) {
            if (!bands[i].isConstant()) {
                design(i, seconds);
            }
        }
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        int c = 0;
        for (; c + 1 < channelCount; c += 2) {
            Biquad.processCascadePair(filters, ch[c], ch[c + 1], c, offset, frames);
        }
        if (c < channelCount) {
            for (int i = 0; i < filters.length; i++) {
                filters[i].process(ch[c], c, offset, frames);
            }
        }
    }
}
