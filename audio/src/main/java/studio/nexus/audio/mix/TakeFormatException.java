package studio.nexus.audio.mix;

/** A take the mixer cannot play as it is (another sample rate than the song's, more than two channels). */
public final class TakeFormatException extends IllegalArgumentException {
    private final String takeId;

    public TakeFormatException(String takeId, String message) {
        super(message);
        this.takeId = takeId;
    }

    public String takeId() {
        return takeId;
    }
}
