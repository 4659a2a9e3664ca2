package studio.nexus.audio.effects;

import static studio.nexus.audio.effects.ParameterDescriptor.choice;
import static studio.nexus.audio.effects.ParameterDescriptor.fixedNumber;
import static studio.nexus.audio.effects.ParameterDescriptor.number;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every effect type the product knows: names, documented parameters (pedalboard conventions plus the
 * seed presets' legacy names) and factories. Immutable and thread-safe.
 */
public final class EffectCatalog {

    /** An effect type: its public description and how to build an instance from validated settings. */
    record EffectType(String type, String description, List<ParameterDescriptor> parameters,
            Function<EffectSettings, Effect> factory) {
        EffectDescriptor descriptor() {
            return new EffectDescriptor(type, description, parameters);
        }
    }

    /** The fields of one {@code equalizer.bands} entry. */
    static final List<ParameterDescriptor> BAND_PARAMETERS = List.of(
            choice("type", List.of("peak", "low_shelf", "high_shelf"), "peak", "Band shape (RBJ cookbook biquad)."),
            number("frequency_hz", "Hz", 20, 20000, 1000, "Centre (peak) or corner (shelf) frequency."),
            number("gain_db", "dB", -24, 24, 0, "Gain at the centre frequency (peak) or on the shelf."),
            number("q", "", 0.1, 18, 0.707, "Quality factor: higher is narrower (peak) or steeper (shelf)."));

    private static final Map<String, EffectType> TYPES = build();

    private EffectCatalog() {}

    /** All effect types with their parameters, in a stable order. */
    public static List<EffectDescriptor> describe() {
        List<EffectDescriptor> list = new ArrayList<>();
        for (EffectType t : TYPES.values()) {
            list.add(t.descriptor());
        }
        return Collections.unmodifiableList(list);
    }

    /** The fields of a parametric band in {@code equalizer.bands}. */
    public static List<ParameterDescriptor> describeEqualizerBand() {
        return BAND_PARAMETERS;
    }

    static EffectType lookup(String type) {
        return TYPES.get(type);
    }

    static java.util.Set<String> typeNames() {
        return TYPES.keySet();
    }

    private static Map<String, EffectType> build() {
        Map<String, EffectType> m = new LinkedHashMap<>();
        add(m, "equalizer",
                "3-band EQ of the seed presets (linear gains; low shelf 250 Hz, mid peak 1 kHz, high shelf 4 kHz) "
                        + "followed by optional parametric bands.",
                EqualizerEffect::new,
                number("low", "x", 0.1, 10, 1.0, "Linear gain of the 250 Hz low shelf (1.0 = unity, 2.0 = +6 dB)."),
                number("mid", "x", 0.1, 10, 1.0, "Linear gain of the 1 kHz peak, Q 0.7 (1.0 = unity)."),
                number("high", "x", 0.1, 10, 1.0, "Linear gain of the 4 kHz high shelf (1.0 = unity)."),
                new ParameterDescriptor("bands", ParameterDescriptor.Kind.BANDS, "", 0, 32, 0,
                        "Parametric bands: [{\"type\": \"peak\"|\"low_shelf\"|\"high_shelf\", \"frequency_hz\", "
                                + "\"gain_db\", \"q\"}, ...], at most 32.",
                        List.of(), List.of(), false));
        add(m, "reverb", "Freeverb (JUCE/pedalboard Reverb): 8 combs + 4 allpasses per channel, stereo spread 23.",
                ReverbEffect::new,
                number("room_size", "", 0, 1, 0.5, "Size of the room: longer decay when larger."),
                number("damping", "", 0, 1, 0.5, "High-frequency absorption: highs die faster when larger."),
                number("wet_level", "", 0, 1, 0.33, "Level of the reverberated signal."),
                number("dry_level", "", 0, 1, 0.4, "Level of the untouched signal."),
                number("width", "", 0, 1, 1.0, "Stereo width of the reverb tail."),
                number("freeze_mode", "", 0, 1, 0, "At 0.5 or more the tail is held forever and input is ignored."));
        add(m, "delay", "Feedback echo (pedalboard Delay): out = dry*(1-mix) + echo*mix.",
                DelayEffect::new,
                number("delay_seconds", "s", 0, 10, 0.5, "Time between echoes (rounded to whole samples, min 1 sample).")
                        .withAliases("time"),
                number("feedback", "", 0, 0.99, 0.0, "Share of each echo fed back into the line."),
                number("mix", "", 0, 1, 0.5, "Wet/dry balance: 0 = dry only, 1 = echoes only."));
        add(m, "compressor", "Feed-forward peak compressor, hard knee, stereo-linked, no make-up gain.",
                DynamicsEffect::compressor,
                number("threshold_db", "dB", -60, 0, 0, "Level above which gain is reduced."),
                number("ratio", ":1", 1, 100, 1, "Input dB above threshold per output dB above threshold."),
                number("attack_ms", "ms", 0.01, 1000, 1, "Envelope rise time constant."),
                number("release_ms", "ms", 1, 5000, 100, "Envelope fall time constant."));
        add(m, "limiter", "Look-ahead brickwall limiter (5 ms latency, compensated by the renderer); "
                        + "no sample ever exceeds the threshold.",
                LimiterEffect::new,
                number("threshold_db", "dB", -60, 0, -10, "Output ceiling (sample peak)."),
                number("release_ms", "ms", 1, 5000, 100, "Time constant of gain recovery."));
        add(m, "gain", "Volume change.", GainEffect::new,
                number("gain_db", "dB", -60, 24, 1.0, "Gain in decibels."));
        add(m, "highpass", "First-order (6 dB/octave) high-pass filter.", s -> new OnePoleFilterEffect(s, true),
                number("cutoff_frequency_hz", "Hz", 1, 20000, 50, "-3 dB frequency."));
        add(m, "lowpass", "First-order (6 dB/octave) low-pass filter.", s -> new OnePoleFilterEffect(s, false),
                number("cutoff_frequency_hz", "Hz", 1, 20000, 50, "-3 dB frequency."));
        add(m, "ladder_filter", "Moog-style ladder filter (JUCE/pedalboard LadderFilter).", LadderFilterEffect::new,
                choice("mode", LadderFilterEffect.MODES, "LPF12", "Filter type and slope (12 or 24 dB/octave)."),
                number("cutoff_hz", "Hz", 10, 20000, 200, "Cutoff frequency."),
                number("resonance", "", 0, 1, 0, "Emphasis at the cutoff; near 1 it self-oscillates softly."),
                number("drive", "x", 1, 100, 1, "Input saturation amount (1 = clean)."));
        add(m, "noise_gate", "Downward expander/gate: attenuates signal below the threshold.", DynamicsEffect::noiseGate,
                number("threshold_db", "dB", -100, 0, -100, "Level below which gain is reduced."),
                number("ratio", ":1", 1, 100, 10, "Expansion ratio below threshold (high = hard gate)."),
                number("attack_ms", "ms", 0.01, 1000, 1, "Envelope rise time constant."),
                number("release_ms", "ms", 1, 5000, 100, "Envelope fall time constant."));
        add(m, "chorus", "Modulated short delay (pedalboard Chorus).", ChorusEffect::new,
                number("rate_hz", "Hz", 0, 100, 1, "LFO speed."),
                number("depth", "", 0, 1, 0.25, "Delay modulation depth, as a fraction of the centre delay."),
                number("centre_delay_ms", "ms", 1, 100, 7, "Average delay."),
                number("feedback", "", -0.95, 0.95, 0, "Feedback of the modulated line."),
                number("mix", "", 0, 1, 0.5, "Wet/dry balance."));
        add(m, "phaser", "6-stage allpass phaser (pedalboard Phaser).", PhaserEffect::new,
                number("rate_hz", "Hz", 0, 100, 1, "LFO speed."),
                number("depth", "", 0, 1, 0.5, "Sweep depth (1 = +-2 octaves around the centre)."),
                number("centre_frequency_hz", "Hz", 20, 20000, 1300, "Centre of the sweep."),
                number("feedback", "", -0.95, 0.95, 0, "Feedback around the stages."),
                number("mix", "", 0, 1, 0.5, "Wet/dry balance."));
        add(m, "distortion", "tanh saturation after a drive boost (pedalboard Distortion).", DistortionEffect::new,
                number("drive_db", "dB", 0, 100, 25, "Boost before the tanh waveshaper."));
        add(m, "clipping", "Hard clipper.", ClippingEffect::new,
                number("threshold_db", "dB", -60, 0, -6, "Clip level."));
        add(m, "bitcrush", "Reduces resolution to a given bit depth.", BitcrushEffect::new,
                number("bit_depth", "bits", 1, 32, 8, "Resolution (fractions allowed)."));
        add(m, "pitch_shift", "Phase-vocoder pitch shifter; duration is unchanged (latency 1536 frames up to 48 kHz, compensated by the renderer).",
                PitchShiftEffect::new,
                number("semitones", "semitones", -24, 24, 0, "Shift; 12 = one octave up."));
        add(m, "pan", "Constant-power stereo pan (unity at centre, +3 dB on the kept side at the extremes).",
                PanEffect::new,
                number("pan", "", -1, 1, 0, "-1 = hard left, 0 = centre, 1 = hard right."));
        add(m, "invert", "Polarity inversion.", InvertEffect::new);
        add(m, "fade", "Linear fade in at the start and fade out at the end of the stream.", FadeEffect::new,
                fixedNumber("fade_in_seconds", "s", 0, 3600, 0, "Length of the fade in."),
                fixedNumber("fade_out_seconds", "s", 0, 3600, 0, "Length of the fade out (needs a known stream length)."));
        add(m, "normalize", "Two-pass normalisation to a peak or integrated loudness (BS.1770) target.",
                NormalizeEffect::new,
                choice("mode", List.of("peak", "loudness"), "peak", "peak: sample peak in dBFS; loudness: LUFS."),
                fixedNumber("target_db", "dB", -70, 0, -1, "Target peak (dBFS) or integrated loudness (LUFS)."));
        add(m, "parallel", "Runs sub-chains side by side on the same input and sums them.",
                s -> {
                    List<Chain> chains = new ArrayList<>();
                    for (ChainDefinition d : s.chains()) {
                        chains.add(d.instantiate());
                    }
                    return new ParallelEffect(chains, s.chainMix());
                },
                new ParameterDescriptor("chains", ParameterDescriptor.Kind.CHAINS, "", 1, 16, 0,
                        "Sub-chains, each a list like the top level: [[{...}, ...], [...]], 1 to 16.",
                        List.of(), List.of(), false),
                new ParameterDescriptor("mix", ParameterDescriptor.Kind.NUMBER_LIST, "x", 0, 4, 1.0,
                        "Linear gain of each sub-chain in the sum (one per chain; default 1.0 each).",
                        List.of(), List.of(), false));
        return Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, EffectType> m, String type, String description,
            Function<EffectSettings, Effect> factory, ParameterDescriptor... params) {
        m.put(type, new EffectType(type, description, List.of(params), factory));
    }
}
