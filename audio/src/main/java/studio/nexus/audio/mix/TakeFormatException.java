package studio.nexus.audio.mix;

/**
 * A take the mixer cannot play: no channels or more than two, a sample rate it does not know or cannot convert
 * (outside 8000..384000 Hz), or a take that opens otherwise than it was announced. Another rate than the song's is
 * not a reason: such a take is converted as it plays.
 */
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
