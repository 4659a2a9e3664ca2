package studio.nexus.audio.encode;

import java.io.IOException;
import java.nio.file.Path;
import studio.nexus.audio.AudioSink;

/**
 * One export's file format with its options: WAV or FLAC at 16 or 24 bits, WAV 32-bit float, MP3 at a constant
 * bitrate or a VBR quality. Integer PCM is TPDF-dithered only where a sample falls between the target's codes, so a
 * source written at its own depth (or deeper) keeps its sample values. Immutable.
 *
 * @param container "wav", "flac" or "mp3"
 * @param bitDepth 16, 24 or 32 (WAV float); 0 for MP3
 * @param bitrateKbps MP3 constant bitrate; 0 for VBR and PCM
 * @param vbrQuality MP3 VBR quality 0 (V0) to 9 (V9); -1 otherwise
 */
public record ExportSpec(String container, int bitDepth, int bitrateKbps, int vbrQuality) {

    public ExportSpec {
        switch (container) {
            case "wav" -> require(bitDepth == 16 || bitDepth == 24 || bitDepth == 32, "WAV bit depth must be 16, 24 or 32");
            case "flac" -> require(bitDepth == 16 || bitDepth == 24, "FLAC bit depth must be 16 or 24");
            case "mp3" -> require(vbrQuality >= 0 && vbrQuality <= 9 && bitrateKbps == 0
                    || vbrQuality == -1 && Mp3Encoder.BITRATES.contains(bitrateKbps),
                    "MP3 takes one of the bitrates " + Mp3Encoder.BITRATES + " or a VBR quality 0..9");
            default -> throw new IllegalArgumentException("unknown container " + container);
        }
    }

    public static ExportSpec wav(int bitDepth) {
        return new ExportSpec("wav", bitDepth, 0, -1);
    }

    public static ExportSpec flac(int bitDepth) {
        return new ExportSpec("flac", bitDepth, 0, -1);
    }

    public static ExportSpec mp3Cbr(int bitrateKbps) {
        return new ExportSpec("mp3", 0, bitrateKbps, -1);
    }

    public static ExportSpec mp3Vbr(int quality) {
        return new ExportSpec("mp3", 0, 0, quality);
    }

    public String extension() {
        return container;
    }

    public String mimeType() {
        return "mp3".equals(container) ? "audio/mpeg" : "audio/" + container;
    }

    /**
     * Opens an encoder writing to {@code path}.
     *
     * @throws IllegalArgumentException if the format cannot hold this rate/channel count (MP3: MPEG rates
     *     8–48 kHz and 1–2 channels; FLAC: 1–8 channels)
     */
    public AudioSink open(Path path, int sampleRate, int channels) throws IOException {
        return switch (container) {
            case "wav" -> WavEncoder.create(path, sampleRate, channels, switch (bitDepth) {
                case 16 -> WavEncoder.SampleFormat.PCM_16;
                case 24 -> WavEncoder.SampleFormat.PCM_24;
                default -> WavEncoder.SampleFormat.FLOAT_32;
            });
            case "flac" -> FlacEncoder.create(path, sampleRate, channels, bitDepth);
            default -> vbrQuality >= 0 ? Mp3Encoder.createVbr(path, sampleRate, channels, vbrQuality)
                    : Mp3Encoder.create(path, sampleRate, channels, bitrateKbps, false);
        };
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
