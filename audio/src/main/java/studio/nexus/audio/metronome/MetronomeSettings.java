package studio.nexus.audio.metronome;

/**
 * A click track's musical settings. Immutable; validated on construction.
 *
 * @param bpm beats per minute, 30–300
 * @param beatsPerBar 1–16
 * @param bars bars after the count-in, 0–10000
 * @param countInBars bars of count-in before them, 0–16
 * @param subdivision ticks per beat, 1–4 (2 = eighths, 4 = sixteenths)
 * @param sampleRate 8000–192000 Hz
 */
public record MetronomeSettings(double bpm, int beatsPerBar, int bars, int countInBars, int subdivision, int sampleRate) {
    public MetronomeSettings {
        check("bpm", bpm, 30, 300);
        check("beats_per_bar", beatsPerBar, 1, 16);
        check("bars", bars, 0, 10000);
        check("count_in_bars", countInBars, 0, 16);
        check("subdivision", subdivision, 1, 4);
        check("sample_rate", sampleRate, 8000, 192000);
        if (bars + countInBars == 0) {
            throw new IllegalArgumentException("bars + count_in_bars must be at least 1");
        }
    }

    private static void check(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(name + ": " + v + " is outside " + min + "–" + max);
        }
    }

    /** Total ticks (count-in included). */
    public long ticks() {
        return (long) (bars + countInBars) * beatsPerBar * subdivision;
    }
}
