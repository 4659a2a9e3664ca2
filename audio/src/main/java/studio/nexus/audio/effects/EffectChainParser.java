package studio.nexus.audio.effects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import studio.nexus.audio.effects.EffectCatalog.EffectType;
import studio.nexus.audio.effects.ParameterDescriptor.Kind;

/**
 * Parses and validates the product's chain JSON, {@code [{"type": "...", "settings": {...}, "bypass": false}, ...]}
 * ({@code bypass} is optional: a bypassed effect is validated like the others but left out of the built chain).
 * Everything is checked before anything is built: unknown types and settings, wrong JSON types,
 * out-of-range values (every envelope point too), and size limits that protect the server (64 effects per
 * chain, 32 EQ bands, 16 parallel chains, nesting depth 4, 10 000 envelope points).
 * Stateless and thread-safe.
 */
public final class EffectChainParser {

    public static final int MAX_EFFECTS = 64;
    public static final int MAX_DEPTH = 4;
    public static final int MAX_ENVELOPE_POINTS = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EffectChainParser() {}

    public static ChainDefinition parse(String json) throws InvalidEffectChainException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEffectChainException("effects", "not valid JSON: " + e.getOriginalMessage());
        }
        return parse(node);
    }

    public static ChainDefinition parse(JsonNode json) throws InvalidEffectChainException {
        return parseChain(json, "effects", 0);
    }

    private static ChainDefinition parseChain(JsonNode node, String path, int depth) throws InvalidEffectChainException {
        if (node == null || !node.isArray()) {
            throw new InvalidEffectChainException(path, "expected a JSON array of effects, got " + describe(node));
        }
        if (node.size() > MAX_EFFECTS) {
            throw new InvalidEffectChainException(path, node.size() + " effects, at most " + MAX_EFFECTS + " allowed");
        }
        List<ChainDefinition.Step> steps = new ArrayList<>();
        List<Function<EffectSettings, Effect>> factories = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String elementPath = path + "[" + i + "]";
            JsonNode element = node.get(i);
            if (!element.isObject()) {
                throw new InvalidEffectChainException(elementPath,
                        "expected an object {\"type\": ..., \"settings\": {...}}, got " + describe(element));
            }
            for (Iterator<String> it = element.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("type") && !key.equals("settings") && !key.equals("bypass")) {
                    throw new InvalidEffectChainException(elementPath,
                            "unknown key \"" + key + "\" (allowed: type, settings, bypass)");
                }
            }
            JsonNode typeNode = element.get("type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw new InvalidEffectChainException(elementPath + ".type", "expected a string, got " + describe(typeNode));
            }
            EffectType type = EffectCatalog.lookup(typeNode.asText());
            if (type == null) {
                throw new InvalidEffectChainException(elementPath,
                        "unknown effect type \"" + typeNode.asText() + "\" (known: " + String.join(", ", EffectCatalog.typeNames()) + ")");
            }
            String effectPath = elementPath + " (" + type.type() + ")";
            boolean bypassed = false;
            if (element.has("bypass")) {
                JsonNode bypassNode = element.get("bypass");
                if (!bypassNode.isBoolean()) {
                    throw new InvalidEffectChainException(effectPath + ".bypass",
                            "expected true or false, got " + describe(bypassNode));
                }
                bypassed = bypassNode.booleanValue();
            }
            EffectSettings settings = parseSettings(type, element.get("settings"), effectPath, depth);
            steps.add(new ChainDefinition.Step(type.type(), settings, bypassed));
            factories.add(type.factory());
        }
        return new ChainDefinition(steps, factories);
    }

    private static EffectSettings parseSettings(EffectType type, JsonNode node, String path, int depth)
            throws InvalidEffectChainException {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new InvalidEffectChainException(path + ".settings", "expected an object, got " + describe(node));
        }
        Map<String, ParameterDescriptor> byName = new LinkedHashMap<>();
        Map<String, String> canonical = new HashMap<>();
        for (ParameterDescriptor p : type.parameters()) {
            byName.put(p.name(), p);
            canonical.put(p.name(), p.name());
            for (String alias : p.aliases()) {
                canonical.put(alias, p.name());
            }
        }
        Map<String, Automation> numbers = new HashMap<>();
        Map<String, String> choices = new HashMap<>();
        List<EffectSettings.EqBand> bands = List.of();
        List<ChainDefinition> chains = List.of();
        List<Double> mix = null;
        Map<String, String> givenAs = new HashMap<>();
        if (node != null && node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = canonical.get(field.getKey());
                if (name == null) {
                    throw new InvalidEffectChainException(path + "." + field.getKey(), "unknown setting (allowed: "
                            + (byName.isEmpty() ? "none" : allowedNames(type)) + ")");
                }
                String previous = givenAs.put(name, field.getKey());
                if (previous != null) {
                    throw new InvalidEffectChainException(path + "." + name,
                            "given twice (as \"" + previous + "\" and \"" + field.getKey() + "\")");
                }
                ParameterDescriptor p = byName.get(name);
                String settingPath = path + "." + field.getKey();
                JsonNode value = field.getValue();
                switch (p.kind()) {
                    case NUMBER -> numbers.put(name, parseNumber(p, value, settingPath));
                    case CHOICE -> choices.put(name, parseChoice(p, value, settingPath));
                    case BANDS -> bands = parseBands(value, settingPath);
                    case CHAINS -> chains = parseChains(p, value, settingPath, depth);
                    case NUMBER_LIST -> mix = parseNumberList(p, value, settingPath);
                }
            }
        }
        for (ParameterDescriptor p : type.parameters()) {
            if (p.kind() == Kind.NUMBER) {
                numbers.putIfAbsent(p.name(), Automation.constant(p.defaultValue()));
            } else if (p.kind() == Kind.CHOICE) {
                choices.putIfAbsent(p.name(), p.defaultChoice());
            }
        }
        if (type.type().equals("parallel")) {
            if (chains.isEmpty()) {
                throw new InvalidEffectChainException(path + ".chains", "required: a list of 1 to 16 chains");
            }
            if (mix == null) {
                mix = new ArrayList<>();
                for (int i = 0; i < chains.size(); i++) {
                    mix.add(1.0);
                }
            } else if (mix.size() != chains.size()) {
                throw new InvalidEffectChainException(path + ".mix",
                        mix.size() + " values for " + chains.size() + " chains: give one gain per chain");
            }
        }
        return new EffectSettings(numbers, choices, bands, chains, mix == null ? List.of() : mix);
    }

    private static String allowedNames(EffectType type) {
        List<String> names = new ArrayList<>();
        for (ParameterDescriptor p : type.parameters()) {
            names.add(p.name());
            names.addAll(p.aliases());
        }
        return String.join(", ", names);
    }

    private static Automation parseNumber(ParameterDescriptor p, JsonNode value, String path)
            throws InvalidEffectChainException {
        if (value.isNumber()) {
            return Automation.constant(checkRange(p, value.asDouble(), path, ""));
        }
        if (value.isArray() && p.automatable()) {
            if (value.isEmpty() || value.size() > MAX_ENVELOPE_POINTS) {
                throw new InvalidEffectChainException(path,
                        "an envelope needs 1 to " + MAX_ENVELOPE_POINTS + " points [[seconds, value], ...]");
            }
            double[] times = new double[value.size()];
            double[] values = new double[value.size()];
            for (int i = 0; i < value.size(); i++) {
                JsonNode point = value.get(i);
                String pointPath = path + "[" + i + "]";
                if (!point.isArray() || point.size() != 2 || !point.get(0).isNumber() || !point.get(1).isNumber()) {
                    throw new InvalidEffectChainException(pointPath,
                            "expected a point [seconds, value] of two numbers, got " + describe(point));
                }
                double t = point.get(0).asDouble();
                if (!Double.isFinite(t) || t < 0) {
                    throw new InvalidEffectChainException(pointPath, "time " + ParameterDescriptor.formatNumber(t)
                            + " s must be 0 or more");
                }
                if (i > 0 && t < times[i - 1]) {
                    throw new InvalidEffectChainException(pointPath, "time " + ParameterDescriptor.formatNumber(t)
                            + " s is before the previous point's " + ParameterDescriptor.formatNumber(times[i - 1]) + " s");
                }
                times[i] = t;
                values[i] = checkRange(p, point.get(1).asDouble(), pointPath, "value ");
            }
            return Automation.envelope(times, values);
        }
        String expected = p.automatable() ? "a number or an envelope [[seconds, value], ...]" : "a number";
        throw new InvalidEffectChainException(path, "expected " + expected + ", got " + describe(value));
    }

    private static double checkRange(ParameterDescriptor p, double v, String path, String prefix)
            throws InvalidEffectChainException {
        if (!Double.isFinite(v) || v < p.min() || v > p.max()) {
            throw new InvalidEffectChainException(path,
                    prefix + ParameterDescriptor.formatNumber(v) + " is outside " + p.rangeText());
        }
        return v;
    }

    private static String parseChoice(ParameterDescriptor p, JsonNode value, String path) throws InvalidEffectChainException {
        if (value.isTextual()) {
            for (String c : p.choices()) {
                if (c.equalsIgnoreCase(value.asText())) {
                    return c;
                }
            }
        }
        throw new InvalidEffectChainException(path, "expected one of " + String.join(", ", p.choices()) + ", got " + describe(value));
    }

    private static List<EffectSettings.EqBand> parseBands(JsonNode value, String path) throws InvalidEffectChainException {
        if (!value.isArray()) {
            throw new InvalidEffectChainException(path, "expected a list of band objects, got " + describe(value));
        }
        if (value.size() > 32) {
            throw new InvalidEffectChainException(path, value.size() + " bands, at most 32 allowed");
        }
        Map<String, ParameterDescriptor> fields = new LinkedHashMap<>();
        for (ParameterDescriptor p : EffectCatalog.BAND_PARAMETERS) {
            fields.put(p.name(), p);
        }
        List<EffectSettings.EqBand> bands = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode band = value.get(i);
            String bandPath = path + "[" + i + "]";
            if (!band.isObject()) {
                throw new InvalidEffectChainException(bandPath, "expected a band object, got " + describe(band));
            }
            for (Iterator<String> it = band.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!fields.containsKey(key)) {
                    throw new InvalidEffectChainException(bandPath + "." + key,
                            "unknown band setting (allowed: " + String.join(", ", fields.keySet()) + ")");
                }
            }
            String kind = band.has("type") ? parseChoice(fields.get("type"), band.get("type"), bandPath + ".type") : "peak";
            Automation[] numbers = new Automation[3];
            String[] names = {"frequency_hz", "gain_db", "q"};
            for (int k = 0; k < 3; k++) {
                ParameterDescriptor p = fields.get(names[k]);
                numbers[k] = band.has(names[k]) ? parseNumber(p, band.get(names[k]), bandPath + "." + names[k])
                        : Automation.constant(p.defaultValue());
            }
            EffectSettings.EqBand.Kind k = EffectSettings.EqBand.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
            bands.add(new EffectSettings.EqBand(k, numbers[0], numbers[1], numbers[2]));
        }
        return bands;
    }

    private static List<ChainDefinition> parseChains(ParameterDescriptor p, JsonNode value, String path, int depth)
            throws InvalidEffectChainException {
        if (!value.isArray() || value.isEmpty() || value.size() > p.max()) {
            throw new InvalidEffectChainException(path, "expected a list of 1 to " + (int) p.max()
                    + " chains [[{...}, ...], ...], got " + describe(value));
        }
        if (depth + 1 >= MAX_DEPTH) {
            throw new InvalidEffectChainException(path, "parallel chains nested deeper than " + MAX_DEPTH + " levels");
        }
        List<ChainDefinition> chains = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            chains.add(parseChain(value.get(i), path + "[" + i + "]", depth + 1));
        }
        return chains;
    }

    private static List<Double> parseNumberList(ParameterDescriptor p, JsonNode value, String path)
            throws InvalidEffectChainException {
        if (!value.isArray()) {
            throw new InvalidEffectChainException(path, "expected a list of numbers, got " + describe(value));
        }
        List<Double> list = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode v = value.get(i);
            if (!v.isNumber()) {
                throw new InvalidEffectChainException(path + "[" + i + "]", "expected a number, got " + describe(v));
            }
            list.add(checkRange(p, v.asDouble(), path + "[" + i + "]", ""));
        }
        return list;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            String t = node.asText();
            return "string \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
        }
        if (node.isBoolean()) {
            return "boolean " + node.asBoolean();
        }
        if (node.isNumber()) {
            return "number " + node.asText();
        }
        if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
