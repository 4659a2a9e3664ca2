package studio.nexus.audio.arrange;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An arrangement style: which General MIDI programs play which role, and whether there are drums (channel 10)
 * and swing. Roles: {@code melody}, {@code doubling}, {@code harmony}, {@code rhythm}, {@code bass}.
 */
public enum Style {
    /** Strings carry the tune, a flute doubles it an octave up, clarinet arpeggios, brass chords, low strings. */
    ORCHESTRAL(Map.of("melody", 48, "doubling", 73, "rhythm", 71, "harmony", 61, "bass", 48), false, false),
    /** Saw lead, warm pad, synth bass in eighths, four-on-the-floor drums. */
    ELECTRONIC(Map.of("melody", 81, "harmony", 89, "bass", 38), true, false),
    /** Tenor sax lead, piano comping with seventh chords, walking acoustic bass, ride cymbal with swing. */
    JAZZ(Map.of("melody", 66, "harmony", 0, "bass", 32), true, true);

    private final Map<String, Integer> programs;
    private final boolean drums;
    private final boolean swing;

    Style(Map<String, Integer> programs, boolean drums, boolean swing) {
        this.programs = programs;
        this.drums = drums;
        this.swing = swing;
    }

    public Map<String, Integer> programs() {
        return programs;
    }

    public boolean drums() {
        return drums;
    }

    public boolean swing() {
        return swing;
    }

    public static Optional<Style> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Style style : values()) {
            if (style.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(style);
            }
        }
        return Optional.empty();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
