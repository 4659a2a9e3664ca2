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

    /** The same format as an {@link ExportSpec}. */
    public ExportSpec spec() {
        return switch (this) {
            case WAV_16 -> ExportSpec.wav(16);
            case WAV_24 -> ExportSpec.wav(24);
            case WAV_FLOAT -> ExportSpec.wav(32);
            case FLAC_16 -> ExportSpec.flac(16);
            case FLAC_24 -> ExportSpec.flac(24);
            case MP3_128 -> ExportSpec.mp3Cbr(128);
            case MP3_192 -> ExportSpec.mp3Cbr(192);
            case MP3_320 -> ExportSpec.mp3Cbr(320);
        };
    }

    /** Opens an encoder writing to {@code path}; see {@link ExportSpec#open}. */
    public AudioSink open(Path path, int sampleRate, int channels) throws IOException {
        return spec().open(path, sampleRate, channels);
    }
}
