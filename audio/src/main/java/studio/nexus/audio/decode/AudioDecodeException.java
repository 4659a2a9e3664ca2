package studio.nexus.audio.decode;

import java.io.IOException;

/** Base of the decoder's typed failures. */
public abstract class AudioDecodeException extends IOException {
    protected AudioDecodeException(String message) {
        super(message);
    }

    protected AudioDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
