package studio.nexus.audio.effects;

/**
 * A chain description was refused. The message names the place, e.g.
 * {@code effects[1] (reverb).room_size: 1.7 is outside 0.0–1.0}, suitable for a 400/422 response body.
 */
public final class InvalidEffectChainException extends Exception {
    private final String path;

    public InvalidEffectChainException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    /** Where the problem is, e.g. {@code effects[1] (reverb).room_size}. */
    public String path() {
        return path;
    }
}
