package studio.nexus.audio.render;

/** The render was cancelled (cancel flag or thread interrupt). The sink is closed but incomplete. */
public final class RenderCancelledException extends Exception {
    public RenderCancelledException(String message) {
        super(message);
    }
}
