package studio.nexus.audio.decode;

/** A recognised format whose content is broken, truncated or lying: the server answers 422. */
public final class CorruptAudioException extends AudioDecodeException {
    public CorruptAudioException(String message) {
        super(message);
    }

    public CorruptAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
