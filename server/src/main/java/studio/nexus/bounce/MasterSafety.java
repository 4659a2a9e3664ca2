package studio.nexus.bounce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.effects.Chain;
import studio.nexus.audio.effects.Effect;
import studio.nexus.audio.effects.SafetyLimiter;
import studio.nexus.web.JsonInput;

/**
 * The master stage shared by renders and exports: the optional safety limiter a request asks for
 * ({@code safety_limiter}, {@code limiter_ceiling_dbtp}), and the figures measured while the file is written
 * (peaks, loudness, clipped samples), which go into the job's result so a musician learns that a file clips
 * before hearing it. Immutable.
 *
 * @param limiter whether the safety limiter runs on the master
 * @param ceilingDbtp its ceiling (true peak)
 */
public record MasterSafety(boolean limiter, double ceilingDbtp) {

    /** Reads the request's fields; {@code limiterByDefault} when the request leaves {@code safety_limiter} out. */
    public static MasterSafety read(JsonInput in, boolean limiterByDefault) {
        boolean on = in.bool("safety_limiter", false).orElse(limiterByDefault);
        double ceiling = in.number("limiter_ceiling_dbtp", SafetyLimiter.MIN_CEILING_DBTP,
                SafetyLimiter.MAX_CEILING_DBTP, false).orElse(SafetyLimiter.DEFAULT_CEILING_DBTP);
        return new MasterSafety(on, ceiling);
    }

    /** From a job's payload; payloads queued before these fields existed get {@code limiterByDefault}. */
    public static MasterSafety of(JsonNode payload, boolean limiterByDefault) {
        boolean on = payload.path("safety_limiter").asBoolean(limiterByDefault);
        double ceiling = payload.path("limiter_ceiling_dbtp").asDouble(SafetyLimiter.DEFAULT_CEILING_DBTP);
        return new MasterSafety(on, Math.max(SafetyLimiter.MIN_CEILING_DBTP,
                Math.min(SafetyLimiter.MAX_CEILING_DBTP, ceiling)));
    }

    public ObjectNode into(ObjectNode payload) {
        return payload.put("safety_limiter", limiter).put("limiter_ceiling_dbtp", ceilingDbtp);
    }

    /** {@code chain}, followed by the safety limiter when it is on. */
    public Effect master(Effect chain) {
        return limiter ? new Chain(List.of(chain, new SafetyLimiter(ceilingDbtp))) : chain;
    }

    /** Adds the measured figures and the limiter's setting to a job's result. */
    public ObjectNode report(ObjectNode result, MasterMeter.Report figures) {
        result.put("safety_limiter", limiter);
        if (limiter) {
            result.put("limiter_ceiling_dbtp", ceilingDbtp);
        } else {
            result.putNull("limiter_ceiling_dbtp");
        }
        decibels(result, "sample_peak_dbfs", figures.samplePeakDbfs());
        decibels(result, "true_peak_dbtp", figures.truePeakDbtp());
        decibels(result, "integrated_lufs", figures.integratedLufs());
        return result.put("clipped_samples", figures.clippedSamples());
    }

    // JSON has no −∞: silence (or audio too quiet for the gate) reads null
    private static void decibels(ObjectNode result, String field, double value) {
        if (Double.isFinite(value)) {
            result.put(field, Math.round(value * 100) / 100.0);
        } else {
            result.putNull(field);
        }
    }
}
