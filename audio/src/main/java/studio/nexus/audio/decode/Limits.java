package studio.nexus.audio.decode;

/** The envelope of inputs we accept; everything read from a header is checked against it. */
final class Limits {
    static final int MIN_RATE = 8000;
    static final int MAX_RATE = 192000;
    static final int MAX_CHANNELS = 8;
    /** Chunks we are willing to walk past before the audio starts. */
    static final int MAX_CHUNKS = 1000;
    /** Largest format/COMM chunk we read into memory. */
    static final int MAX_HEADER_CHUNK = 4096;

    private Limits() {}

    static void checkChannels(String format, long channels) throws AudioDecodeException {
        if (channels <= 0) {
            throw new CorruptAudioException(format + ": header declares " + channels + " channels");
        }
        if (channels > MAX_CHANNELS) {
            throw new UnsupportedAudioFormatException(format + ": " + channels + " channels, at most " + MAX_CHANNELS + " supported");
        }
    }

    static void checkRate(String format, double rate) throws AudioDecodeException {
        if (!(rate > 0) || rate > 10_000_000) {
            throw new CorruptAudioException(format + ": header declares an impossible sample rate " + rate);
        }
        if (rate < MIN_RATE || rate > MAX_RATE || rate != Math.rint(rate)) {
            throw new UnsupportedAudioFormatException(format + ": sample rate " + rate + " Hz, supported 8000–192000 Hz");
        }
    }
}
