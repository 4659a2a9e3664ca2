package studio.nexus.audio.encode;

import java.io.IOException;
import java.nio.file.Path;
import studio.nexus.audio.AudioSink;

/**
 * The export formats the product offers, each with its file extension and MIME type, and a factory for
 * the matching streaming encoder. Immutable.
 */
public enum ExportFormat {
    WAV_16("wav", "audio/wav"),
    WAV_24("wav", "audio/wav"),
    WAV_FLOAT("wav", "audio/wav"),
    FLAC_16("flac", "audio/flac"),
    FLAC_24("flac", "audio/flac"),
    MP3_128("mp3", "audio/mpeg"),
    MP3_192("mp3", "audio/mpeg"),
    MP3_320("mp3", "audio/mpeg");

    private final String extension;
    private final String mimeType;

    ExportFormat(String extension, String mimeType) {
        this.extension = extension;
        this.mimeType = mimeType;
    }

    public String extension() {
        return extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /**
     * Opens an encoder writing to {@code path}. PCM formats are TPDF-dithered.
     *
     * @throws IllegalArgumentException if the format cannot hold this rate/channel count (MP3: MPEG rates
     *     8–48 kHz and 1–2 channels; FLAC: 1–8 channels)
     */
    public AudioSink open(Path path, int sampleRate, int channels) throws IOException {
        return switch (this) {
            case WAV_16 -> WavEncoder.create(path, sampleRate, channels, WavEncoder.SampleFormat.PCM_16);
            case WAV_24 -> WavEncoder.create(path, sampleRate, channels, WavEncoder.SampleFormat.PCM_24);
            case WAV_FLOAT -> WavEncoder.create(path, sampleRate, channels, WavEncoder.SampleFormat.FLOAT_32);
            case FLAC_16 -> FlacEncoder.create(path, sampleRate, channels, 16);
            case FLAC_24 -> FlacEncoder.create(path, sampleRate, channels, 24);
            case MP3_128 -> Mp3Encoder.create(path, sampleRate, channels, 128, false);
            case MP3_192 -> Mp3Encoder.create(path, sampleRate, channels, 192, false);
            case MP3_320 -> Mp3Encoder.create(path, sampleRate, channels, 320, false);
        };
    }
}
