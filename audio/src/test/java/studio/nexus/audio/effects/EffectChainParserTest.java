package studio.nexus.audio.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EffectChainParserTest {

    static final String VOCAL_WARMTH = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.2,\"mid\":1.0,\"high\":1.1}},"
            + "{\"type\":\"reverb\",\"settings\":{\"room_size\":0.3,\"damping\":0.5}}]";
    static final String AMBIENT_SPACE = "[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.8,\"damping\":0.2}},"
            + "{\"type\":\"delay\",\"settings\":{\"time\":0.5,\"feedback\":0.3}}]";

    @ParameterizedTest
    @ValueSource(strings = {VOCAL_WARMTH, AMBIENT_SPACE, "[]",
        "[{\"type\":\"reverb\"}]",
        "[{\"type\":\"reverb\",\"settings\":null}]",
        "[{\"type\":\"delay\",\"settings\":{\"delay_seconds\":0.25,\"feedback\":0.5,\"mix\":0.3}}]",
        "[{\"type\":\"ladder_filter\",\"settings\":{\"mode\":\"hpf24\",\"cutoff_hz\":800}}]",
        "[{\"type\":\"equalizer\",\"settings\":{\"bands\":[{\"type\":\"low_shelf\",\"frequency_hz\":[[0,100],[2,300]],\"gain_db\":3}]}}]",
        "[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":\"reverb\"}],[]],\"mix\":[0.5,1.0]}}]",
        "[{\"type\":\"gain\",\"settings\":{\"gain_db\":[[0,-60],[1,0],[1,3]]}}]",
        "[{\"type\":\"reverb\",\"bypass\":true}]",
        "[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.9},\"bypass\":false}]",
        "[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":\"reverb\",\"bypass\":true}]]},\"bypass\":true}]"})
    void validChainsParse(String json) throws Exception {
        EffectChainParser.parse(json).instantiate();
    }

    /** Each refused chain and the message it must produce (exactly). */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "[{\"type\":\"eq\"},{\"type\":\"reverb\",\"settings\":{\"room_size\":1.7}}]|effects[0]: unknown effect type \"eq\" (known: ",
        "[{\"type\":\"gain\"},{\"type\":\"reverb\",\"settings\":{\"room_size\":1.7}}]|effects[1] (reverb).room_size: 1.7 is outside 0.0–1.0",
        "[{\"type\":\"delay\",\"settings\":{\"time\":12}}]|effects[0] (delay).time: 12.0 is outside 0.0–10.0 s",
        "[{\"type\":\"delay\",\"settings\":{\"feedback\":1.0}}]|effects[0] (delay).feedback: 1.0 is outside 0.0–0.99",
        "[{\"type\":\"highpass\",\"settings\":{\"cutoff_frequency_hz\":0.5}}]|effects[0] (highpass).cutoff_frequency_hz: 0.5 is outside 1.0–20000.0 Hz",
        "[{\"type\":\"compressor\",\"settings\":{\"threshold_db\":3}}]|effects[0] (compressor).threshold_db: 3.0 is outside -60.0–0.0 dB",
        "[{\"type\":\"reverb\",\"settings\":{\"roomsize\":0.5}}]|effects[0] (reverb).roomsize: unknown setting (allowed: room_size, damping, wet_level, dry_level, width, freeze_mode)",
        "[{\"type\":\"reverb\",\"settings\":{\"room_size\":\"big\"}}]|effects[0] (reverb).room_size: expected a number or an envelope [[seconds, value], ...], got string \"big\"",
        "[{\"type\":\"reverb\",\"settings\":{\"room_size\":[[0,0.5],[1,1.5]]}}]|effects[0] (reverb).room_size[1]: value 1.5 is outside 0.0–1.0",
        "[{\"type\":\"gain\",\"settings\":{\"gain_db\":[[1,0],[0.5,1]]}}]|effects[0] (gain).gain_db[1]: time 0.5 s is before the previous point's 1.0 s",
        "[{\"type\":\"gain\",\"settings\":{\"gain_db\":[[0,1,2]]}}]|effects[0] (gain).gain_db[0]: expected a point [seconds, value] of two numbers, got an array",
        "[{\"type\":\"fade\",\"settings\":{\"fade_in_seconds\":[[0,1]]}}]|effects[0] (fade).fade_in_seconds: expected a number, got an array",
        "[{\"type\":\"delay\",\"settings\":{\"time\":0.5,\"delay_seconds\":0.5}}]|effects[0] (delay).delay_seconds: given twice (as \"time\" and \"delay_seconds\")",
        "{\"type\":\"gain\"}|effects: expected a JSON array of effects, got an object",
        "[42]|effects[0]: expected an object {\"type\": ..., \"settings\": {...}}, got number 42",
        "[{\"settings\":{}}]|effects[0].type: expected a string, got nothing",
        "[{\"type\":\"gain\",\"extra\":1}]|effects[0]: unknown key \"extra\" (allowed: type, settings, bypass)",
        "[{\"type\":\"reverb\",\"bypass\":\"yes\"}]|effects[0] (reverb).bypass: expected true or false, got string \"yes\"",
        "[{\"type\":\"gain\"},{\"type\":\"reverb\",\"bypass\":1}]|effects[1] (reverb).bypass: expected true or false, got number 1",
        "[{\"type\":\"reverb\",\"bypass\":null}]|effects[0] (reverb).bypass: expected true or false, got null",
        "[{\"type\":\"reverb\",\"bypass\":true,\"settings\":{\"room_size\":1.7}}]|effects[0] (reverb).room_size: 1.7 is outside 0.0–1.0",
        "[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":\"delay\",\"bypass\":\"false\"}]]}}]|effects[0] (parallel).chains[0][0] (delay).bypass: expected true or false, got string \"false\"",
        "[{\"type\":\"gain\",\"settings\":[1]}]|effects[0] (gain).settings: expected an object, got an array",
        "[{\"type\":\"ladder_filter\",\"settings\":{\"mode\":\"LPF48\"}}]|effects[0] (ladder_filter).mode: expected one of LPF12, HPF12, BPF12, LPF24, HPF24, BPF24, got string \"LPF48\"",
        "[{\"type\":\"equalizer\",\"settings\":{\"bands\":[{\"type\":\"peak\",\"gain_db\":30}]}}]|effects[0] (equalizer).bands[0].gain_db: 30.0 is outside -24.0–24.0 dB",
        "[{\"type\":\"equalizer\",\"settings\":{\"bands\":[{\"kind\":\"peak\"}]}}]|effects[0] (equalizer).bands[0].kind: unknown band setting (allowed: type, frequency_hz, gain_db, q)",
        "[{\"type\":\"equalizer\",\"settings\":{\"low\":0}}]|effects[0] (equalizer).low: 0.0 is outside 0.1–10.0 x",
        "[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":\"reverb\",\"settings\":{\"damping\":2}}]]}}]|effects[0] (parallel).chains[0][0] (reverb).damping: 2.0 is outside 0.0–1.0",
        "[{\"type\":\"parallel\",\"settings\":{\"chains\":[[],[]],\"mix\":[1]}}]|effects[0] (parallel).mix: 1 values for 2 chains: give one gain per chain",
        "[{\"type\":\"parallel\",\"settings\":{}}]|effects[0] (parallel).chains: required: a list of 1 to 16 chains",
        "[{\"type\":\"pitch_shift\",\"settings\":{\"semitones\":-25}}]|effects[0] (pitch_shift).semitones: -25.0 is outside -24.0–24.0 semitones",
        "[{\"type\":\"invert\",\"settings\":{\"x\":1}}]|effects[0] (invert).x: unknown setting (allowed: none)",
        "[{\"type\":\"gain\",\"settings\":{\"gain_db\":1e400}}]|effects[0] (gain).gain_db: ",
        "not json|effects: not valid JSON",
    })
    void invalidChainsAreRefusedWithAMessageNamingIndexSettingAndRange(String json, String message) {
        InvalidEffectChainException e = assertThrows(InvalidEffectChainException.class, () -> EffectChainParser.parse(json));
        assertTrue(e.getMessage().startsWith(message), "message was: " + e.getMessage());
    }

    @Test
    void deeplyNestedParallelChainsAreRefused() {
        String json = "[{\"type\":\"gain\"}]";
        for (int i = 0; i < 5; i++) {
            json = "[{\"type\":\"parallel\",\"settings\":{\"chains\":[" + json + "]}}]";
        }
        String finalJson = json;
        InvalidEffectChainException e = assertThrows(InvalidEffectChainException.class, () -> EffectChainParser.parse(finalJson));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void catalogDescribesEveryEffectWithUnitsRangesAndDefaultsWithinRange() {
        Set<String> types = EffectCatalog.describe().stream().map(EffectDescriptor::type).collect(Collectors.toSet());
        assertEquals(Set.of("equalizer", "reverb", "delay", "compressor", "limiter", "gain", "highpass", "lowpass",
                "ladder_filter", "noise_gate", "chorus", "phaser", "distortion", "clipping", "bitcrush", "pitch_shift",
                "pan", "invert", "fade", "normalize", "parallel"), types);
        for (EffectDescriptor d : EffectCatalog.describe()) {
            assertFalse(d.description().isBlank());
            for (ParameterDescriptor p : d.parameters()) {
                assertFalse(p.description().isBlank(), d.type() + "." + p.name());
                if (p.kind() == ParameterDescriptor.Kind.NUMBER || p.kind() == ParameterDescriptor.Kind.NUMBER_LIST) {
                    assertTrue(p.min() < p.max(), d.type() + "." + p.name());
                }
                assertTrue(p.kind() == ParameterDescriptor.Kind.CHAINS || p.min() <= p.defaultValue() && p.defaultValue() <= p.max(), d.type() + "." + p.name());
            }
        }
    }

    @Test
    void reverbDefaultsFollowPedalboard() {
        EffectDescriptor reverb = EffectCatalog.describe().stream().filter(d -> d.type().equals("reverb")).findFirst().orElseThrow();
        List<Double> defaults = reverb.parameters().stream().map(ParameterDescriptor::defaultValue).toList();
        assertEquals(List.of(0.5, 0.5, 0.33, 0.4, 1.0, 0.0), defaults);
    }

    @Test
    void bypassIsKeptOnTheStepsButBypassedStepsAreNotBuilt() throws Exception {
        ChainDefinition chain = EffectChainParser.parse("[{\"type\":\"gain\",\"settings\":{\"gain_db\":3}},"
                + "{\"type\":\"reverb\",\"settings\":{\"room_size\":0.9},\"bypass\":true},"
                + "{\"type\":\"delay\",\"bypass\":false}]");
        assertEquals(List.of(false, true, false), chain.steps().stream().map(ChainDefinition.Step::bypassed).toList());
        assertEquals(0.9, chain.steps().get(1).settings().number("room_size").initialValue());
        Chain built = chain.instantiate();
        assertEquals(2, built.size());
        assertTrue(built.get(0) instanceof GainEffect);
        assertTrue(built.get(1) instanceof DelayEffect);
    }

    @Test
    void aBypassedNormalizeNeedsNoAnalysisPass() throws Exception {
        assertFalse(EffectChainParser.parse("[{\"type\":\"normalize\",\"bypass\":true}]").needsAnalysisPass());
        assertFalse(EffectChainParser.parse("[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":"
                + "\"normalize\"}]]},\"bypass\":true}]").needsAnalysisPass());
        assertTrue(EffectChainParser.parse("[{\"type\":\"normalize\",\"bypass\":false}]").needsAnalysisPass());
    }

    @Test
    void normalizeIsFlaggedAsNeedingAnAnalysisPass() throws Exception {
        assertTrue(EffectChainParser.parse("[{\"type\":\"parallel\",\"settings\":{\"chains\":[[{\"type\":\"normalize\"}]]}}]")
                .needsAnalysisPass());
        assertFalse(EffectChainParser.parse(VOCAL_WARMTH).needsAnalysisPass());
    }
}
