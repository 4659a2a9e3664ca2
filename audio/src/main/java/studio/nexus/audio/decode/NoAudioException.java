package studio.nexus.audio.decode;

/**
 * A well-formed file that holds no audio (a WAV with no samples, a FLAC without frames): the server answers 422,
 * since a take must contain sound whatever its header claims.
 */
public final class NoAudioException extends AudioDecodeException {
    public NoAudioException(String message) {
        super(message);
    }
}
