package studio.nexus.audio.effects;

import java.util.List;

/**
 * Machine-readable description of one effect setting, for API docs and UI controls. Immutable.
 *
 * @param name canonical JSON name (pedalboard convention)
 * @param kind what JSON value it takes
 * @param unit display unit ("dB", "Hz", "ms", "s", "semitones", "" for unitless)
 * @param min smallest allowed value (NUMBER, NUMBER_LIST elements)
 * @param max largest allowed value
 * @param defaultValue value used when absent (for CHOICE: index into {@code choices})
 * @param description one line for humans
 * @param choices allowed strings for CHOICE, else empty
 * @param aliases other accepted names (legacy seed preset names), else empty
 * @param automatable whether an envelope {@code [[seconds, value], ...]} is accepted
 */
public record ParameterDescriptor(
        String name,
        Kind kind,
        String unit,
        double min,
        double max,
        double defaultValue,
        String description,
        List<String> choices,
        List<String> aliases,
        boolean automatable) {

    public enum Kind {
        /** A number, or an envelope if automatable. */
        NUMBER,
        /** One string out of {@code choices}. */
        CHOICE,
        /** {@code equalizer.bands}: a list of {"type", "frequency_hz", "gain_db", "q"} objects. */
        BANDS,
        /** {@code parallel.chains}: a list of effect chains. */
        CHAINS,
        /** A list of numbers, each within min..max ({@code parallel.mix}). */
        NUMBER_LIST
    }

    public ParameterDescriptor {
        choices = List.copyOf(choices);
        aliases = List.copyOf(aliases);
    }

    static ParameterDescriptor number(String name, String unit, double min, double max, double def, String description) {
        return new ParameterDescriptor(name, Kind.NUMBER, unit, min, max, def, description, List.of(), List.of(), true);
    }

    static ParameterDescriptor fixedNumber(String name, String unit, double min, double max, double def, String description) {
        return new ParameterDescriptor(name, Kind.NUMBER, unit, min, max, def, description, List.of(), List.of(), false);
    }

    static ParameterDescriptor choice(String name, List<String> choices, String def, String description) {
        return new ParameterDescriptor(name, Kind.CHOICE, "", 0, choices.size() - 1, choices.indexOf(def), description,
                choices, List.of(), false);
    }

    ParameterDescriptor withAliases(String... names) {
        return new ParameterDescriptor(name, kind, unit, min, max, defaultValue, description, choices, List.of(names), automatable);
    }

    /** The default string of a CHOICE parameter. */
    public String defaultChoice() {
        return kind == Kind.CHOICE ? choices.get((int) defaultValue) : null;
    }

    /** "0.0–1.0" plus the unit when there is one, as used in error messages. */
    public String rangeText() {
        return formatNumber(min) + "–" + formatNumber(max) + (unit.isEmpty() ? "" : " " + unit);
    }

    static String formatNumber(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(java.util.Locale.ROOT, "%.1f", v);
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
