package studio.nexus.audio.effects;

/**
 * The stream format an effect is prepared for.
 *
 * @param sampleRate frames per second, 1 000 to 768 000
 * @param maxBlock the largest {@code frames} ever passed to {@code process}
 * @param channels the number of channels processed
 */
public record Spec(double sampleRate, int maxBlock, int channels) {
    public Spec {
        if (!(sampleRate >= 1000 && sampleRate <= 768_000)) {
            throw new IllegalArgumentException("sampleRate must be 1000..768000, got " + sampleRate);
        }
        if (maxBlock < 1 || maxBlock > 1 << 20) {
            throw new IllegalArgumentException("maxBlock must be 1..1048576, got " + maxBlock);
        }
        if (channels < 1 || channels > 64) {
            throw new IllegalArgumentException("channels must be 1..64, got " + channels);
        }
    }
}
