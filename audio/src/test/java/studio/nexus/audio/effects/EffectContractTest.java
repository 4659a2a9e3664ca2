package studio.nexus.audio.effects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import studio.nexus.audio.SampleGuard;
import studio.nexus.audio.Signals;

/**
 * The contract every effect type must honour, run for EVERY type in the catalog with default settings
 * and with all parameters at their minimum and at their maximum, and for the master's safety limiter.
 */
class EffectContractTest {

    private static final double RATE = 44100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A catalog effect from its chain JSON, or (json null) an effect the renderer adds itself, from {@code made}. */
    record Case(String name, String json, java.util.function.Supplier<Effect> made) {
        Case(String name, String json) {
            this(name, json, null);
        }

        Effect create() {
            if (made != null) {
                return made.get();
            }
            try {
                return EffectChainParser.parse(json).instantiate();
            } catch (InvalidEffectChainException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (EffectDescriptor d : EffectCatalog.describe()) {
            cases.add(new Case(d.type() + " default", chain(d, null)));
            cases.add(new Case(d.type() + " min", chain(d, false)));
            cases.add(new Case(d.type() + " max", chain(d, true)));
            cases.add(new Case(d.type() + " automated", automated(d)));
        }
        for (double ceiling : new double[] {SafetyLimiter.MIN_CEILING_DBTP, SafetyLimiter.DEFAULT_CEILING_DBTP,
            SafetyLimiter.MAX_CEILING_DBTP}) {
            cases.add(new Case("safety limiter " + ceiling + " dBTP", null, () -> new SafetyLimiter(ceiling)));
        }
        return cases.stream();
    }

    /** Every automatable parameter swept min → max → default within the first 0.3 s (inside the test signals). */
    private static String automated(EffectDescriptor d) {
        ObjectNode effect = (ObjectNode) readTree(chain(d, null)).get(0);
        ObjectNode settings = (ObjectNode) effect.get("settings");
        for (ParameterDescriptor p : d.parameters()) {
            if (p.kind() == ParameterDescriptor.Kind.NUMBER && p.automatable()) {
                ArrayNode env = settings.putArray(p.name());
                env.addArray().add(0.0).add(p.min());
                env.addArray().add(0.1).add(p.max());
                env.addArray().add(0.2).add(p.defaultValue());
                env.addArray().add(0.3).add((p.min() + p.max()) / 2);
            }
        }
        return "[" + effect + "]";
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Builds a one-effect chain with every parameter at its min (false), max (true) or default (null). */
    private static String chain(EffectDescriptor d, Boolean max) {
        ArrayNode root = JSON.createArrayNode();
        ObjectNode effect = root.addObject();
        effect.put("type", d.type());
        ObjectNode settings = effect.putObject("settings");
        if (max != null) {
            for (ParameterDescriptor p : d.parameters()) {
                switch (p.kind()) {
                    case NUMBER -> settings.put(p.name(), max ? p.max() : p.min());
                    case CHOICE -> settings.put(p.name(), p.choices().get(max ? p.choices().size() - 1 : 0));
                    case BANDS -> {
                        ObjectNode band = settings.putArray("bands").addObject();
                        band.put("type", max ? "high_shelf" : "peak");
                        band.put("frequency_hz", max ? 20000 : 20);
                        band.put("gain_db", max ? 24 : -24);
                        band.put("q", max ? 18 : 0.1);
                    }
                    case CHAINS, NUMBER_LIST -> { }
                }
            }
        }
        if (d.type().equals("parallel")) {
            try {
                settings.set("chains", JSON.readTree(
                        "[[{\"type\":\"reverb\"}], [{\"type\":\"limiter\"},{\"type\":\"delay\",\"settings\":{\"feedback\":0.9}}],"
                                + " [{\"type\":\"pitch_shift\",\"settings\":{\"semitones\":7}}]]"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (max != null) {
                ArrayNode mix = settings.putArray("mix");
                for (int i = 0; i < 3; i++) {
                    mix.add(max ? 4.0 : 0.0);
                }
            }
        }
        return root.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void emptyAndSingleFrameBlocksWorkAndMatchLargeBlocks(Case c) {
        float[][] input = Signals.music(2, 3000, RATE);
        Effect e = c.create();
        e.prepare(new Spec(RATE, 512, 2));
        float[][] buf = new float[2][512];
        e.process(buf, 0, 0);
        e.process(buf, 100, 0);
        e.reset();
        float[][] single = Signals.process(e, input, 1);
        float[][] large = Signals.run(c.create(), input, RATE, 512);
        assertOutputsEqual(large, single, "1-frame blocks vs 512");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputDoesNotDependOnBlockSize(Case c) {
        float[][] input = Signals.music(2, 20000, RATE);
        float[][] reference = Signals.run(c.create(), input, RATE, 4096);
        assertOutputsEqual(reference, Signals.run(c.create(), input, RATE, 64), "64 vs 4096");
        assertOutputsEqual(reference, Signals.run(c.create(), input, RATE, 512), "512 vs 4096");
        assertOutputsEqual(reference, Signals.run(c.create(), input, RATE, 333), "333 vs 4096");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resetThenRerunGivesIdenticalOutput(Case c) {
        float[][] input = Signals.music(2, 12000, RATE);
        Effect e = c.create();
        float[][] first = Signals.run(e, input, RATE, 512);
        e.reset();
        float[][] second = Signals.process(e, input, 512);
        assertOutputsEqual(first, second, "after reset");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void silenceInGivesSilenceOut(Case c) {
        float[][] out = Signals.run(c.create(), new float[2][20000], RATE, 512);
        for (float[] ch : out) {
            for (int i = 0; i < ch.length; i++) {
                if (ch[i] != 0f) {
                    throw new AssertionError("non-zero sample " + ch[i] + " at " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void denormalAndExtremeInputNeverGivesNanInfinityOrRunaway(Case c) {
        int n = 30000;
        float[][] input = Signals.music(2, n, RATE);
        float[] nasty = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
            1e30f, -1e30f, Float.MIN_VALUE, 1e-39f, -1e-42f, 1e-30f};
        for (int i = 0; i < 3000; i++) {
            input[0][1000 + i] = nasty[i % nasty.length];
            input[1][1000 + i] = nasty[(i + 3) % nasty.length];
        }
        for (int i = 6000; i < 9000; i++) { // a stretch of pure denormals
            input[0][i] = 1e-40f;
            input[1][i] = -1e-41f;
        }
        float[][] out = Signals.run(c.create(), input, RATE, 512);
        double earlierPeak = 0;
        for (float[] ch : out) {
            for (int i = 0; i < n; i++) {
                float v = ch[i];
                assertTrue(Float.isFinite(v), "non-finite output " + v + " at " + i);
                assertTrue(Math.abs(v) <= SampleGuard.LIMIT, "output beyond limit: " + v);
            }
            earlierPeak = Math.max(earlierPeak, Signals.peak(ch, 0, 3 * n / 4));
        }
        for (float[] ch : out) {
            double latePeak = Signals.peak(ch, 3 * n / 4, n);
            // Bounded, not growing: a self-oscillating ladder may wobble a little, a runaway loop would explode.
            assertTrue(latePeak <= earlierPeak * 1.25 + 1e-6, "output grows: late peak " + latePeak + " > " + earlierPeak);
        }
    }

    /**
     * Measures heap allocation of the current thread around many process calls after warm-up.
     * Tolerance: 0 bytes beyond the baseline of the measuring code itself (ThreadMXBean's counter is
     * allocation-free; a TLAB refill could in theory be attributed, hence we compare against an empty run).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void processAllocatesNothing(Case c) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Effect e = c.create();
        e.prepare(new Spec(RATE, 512, 2));
        float[][] buf = Signals.music(2, 512, RATE);
        for (int i = 0; i < 3000; i++) { // warm-up: let the JIT compile process()
            e.process(buf, 0, 512);
        }
        long baselineStart = mx.getCurrentThreadAllocatedBytes();
        long baselineEnd = mx.getCurrentThreadAllocatedBytes();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 2000; i++) {
            e.process(buf, 0, i % 512 + 1);
        }
        long after = mx.getCurrentThreadAllocatedBytes();
        long allocated = (after - before) - (baselineEnd - baselineStart);
        assertEquals(0, allocated, "bytes allocated by 2000 process() calls");
    }

    private static void assertOutputsEqual(float[][] expected, float[][] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int c = 0; c < expected.length; c++) {
            assertArrayEquals(expected[c], actual[c], 0f, what + ", channel " + c);
        }
    }
}
