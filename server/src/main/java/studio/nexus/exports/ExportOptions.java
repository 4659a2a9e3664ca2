package studio.nexus.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import studio.nexus.audio.encode.ExportSpec;
import studio.nexus.audio.encode.Mp3Encoder;
import studio.nexus.jobs.JobFailure;
import studio.nexus.web.JsonInput;
import studio.nexus.core.Json;

/**
 * An export's format as the API names it: {@code format} (wav16, wav24, wav32f, flac, mp3), with {@code bit_depth}
 * 16|24 for flac (24 when absent) and {@code mp3} {"bitrate_kbps": 128|160|192|256|320} or {"vbr_quality": 0..9}
 * for mp3 (192 kb/s CBR when absent). The same fields travel in the job's payload. Stateless.
 */
final class ExportOptions {
    static final List<String> FORMATS = List.of("wav16", "wav24", "wav32f", "flac", "mp3");
    private static final Map<String, ExportSpec> FIXED = Map.of("wav16", ExportSpec.wav(16), "wav24",
            ExportSpec.wav(24), "wav32f", ExportSpec.wav(32));

    private ExportOptions() {
    }

    /** Checks the request's format fields (errors collected in {@code in}) and returns them for the job payload. */
    static ObjectNode parse(JsonInput in) {
        ObjectNode options = Json.MAPPER.createObjectNode();
        String format = in.text("format", 1, 10, true).orElse(null);
        if (format != null && !FORMATS.contains(format)) {
            in.reject("format", "must be one of " + String.join(", ", FORMATS));
            format = null;
        }
        if (format != null) {
            options.put("format", format);
        }
        if (in.has("bit_depth") && format != null && !format.equals("flac")) {
            in.reject("bit_depth", "applies to flac only; for WAV choose wav16 or wav24");
        } else {
            in.integer("bit_depth", Integer.MIN_VALUE, Integer.MAX_VALUE, false).ifPresent(bits -> {
                if (bits != 16 && bits != 24) {
                    in.reject("bit_depth", "must be 16 or 24");
                } else {
                    options.put("bit_depth", bits);
                }
            });
        }
        if (in.has("mp3") && format != null && !format.equals("mp3")) {
            in.reject("mp3", "applies to the mp3 format only");
        } else {
            in.object("mp3", 200, false).ifPresent(mp3 -> {
                boolean cbr = mp3.has("bitrate_kbps");
                boolean vbr = mp3.has("vbr_quality");
                if (cbr == vbr || mp3.size() != 1) {
                    in.reject("mp3", "must hold exactly one of bitrate_kbps (" + bitrates() + ") or vbr_quality (0–9)");
                    return;
                }
                JsonNode value = mp3.get(cbr ? "bitrate_kbps" : "vbr_quality");
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    in.reject(cbr ? "mp3.bitrate_kbps" : "mp3.vbr_quality", "must be a whole number");
                } else if (cbr && !Mp3Encoder.BITRATES.contains(value.intValue())) {
                    in.reject("mp3.bitrate_kbps", "must be one of " + bitrates() + " (got " + value.intValue() + ")");
                } else if (vbr && (value.intValue() < 0 || value.intValue() > 9)) {
                    in.reject("mp3.vbr_quality", "must be from 0 (V0, best) to 9 (V9, smallest) (got "
                            + value.intValue() + ")");
                } else {
                    options.set("mp3", mp3);
                }
            });
        }
        return options;
    }

    /** The encoder settings a job's payload asks for. */
    static ExportSpec spec(JsonNode payload) throws JobFailure {
        String format = payload.path("format").asText();
        try {
            return switch (format) {
                case "flac" -> ExportSpec.flac(payload.path("bit_depth").asInt(24));
                case "mp3" -> payload.path("mp3").has("vbr_quality")
                        ? ExportSpec.mp3Vbr(payload.path("mp3").path("vbr_quality").asInt())
                        : ExportSpec.mp3Cbr(payload.path("mp3").path("bitrate_kbps").asInt(192));
                default -> {
                    ExportSpec fixed = FIXED.get(format);
                    if (fixed == null) {
                        throw new IllegalArgumentException("Unknown export format " + format);
                    }
                    yield fixed;
                }
            };
        } catch (IllegalArgumentException e) {
            throw new JobFailure("invalid_format", e.getMessage(), false);
        }
    }

    /** Adds what the file holds to the job's result: bit_depth for PCM, mp3 settings for MP3. */
    static void describe(ObjectNode result, ExportSpec spec) {
        if (spec.container().equals("mp3")) {
            ObjectNode mp3 = result.putObject("mp3");
            if (spec.vbrQuality() >= 0) {
                mp3.put("vbr_quality", spec.vbrQuality());
            } else {
                mp3.put("bitrate_kbps", spec.bitrateKbps());
            }
        } else {
            result.put("bit_depth", spec.bitDepth());
        }
    }

    private static String bitrates() {
        return Mp3Encoder.BITRATES.toString().replaceAll("[\\[\\]]", "").replace(", ", "|");
    }
}
