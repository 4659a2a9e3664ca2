package studio.nexus.audio.decode;

/** Not a format (or variant) we decode: the server answers 415 Unsupported Media Type. */
public final class UnsupportedAudioFormatException extends AudioDecodeException {
    public UnsupportedAudioFormatException(String message) {
        super(message);
    }
}
