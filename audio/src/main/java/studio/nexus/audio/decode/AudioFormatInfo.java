package studio.nexus.audio.decode;

/**
 * What a decoder found in a file. Immutable.
 *
 * @param formatName "WAV", "RF64", "AIFF", "AIFF-C", "FLAC", "MP3", "Ogg Vorbis", "Ogg Opus", "M4A", "AAC" (ADTS)
 * @param sampleRate frames per second
 * @param channels channel count
 * @param bitsPerSample bits of the stored samples (0 for lossy formats)
 * @param lengthFrames frames, or -1 when not known without decoding everything (MP3/Ogg from a stream)
 * @param durationSeconds lengthFrames / sampleRate, or -1 when unknown
 * @param truncated true when the container declared more audio than the file holds (only the audio
 *     present is decoded; see README)
 */
public record AudioFormatInfo(String formatName, int sampleRate, int channels, int bitsPerSample, long lengthFrames,
        double durationSeconds, boolean truncated) {

    static AudioFormatInfo of(String name, int rate, int channels, int bits, long frames, boolean truncated) {
        return new AudioFormatInfo(name, rate, channels, bits, frames, frames >= 0 ? (double) frames / rate : -1, truncated);
    }
}
