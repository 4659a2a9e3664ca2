package studio.nexus.audio.effects;

/**
 * {@code fade}: linear fade-in over the first {@code fade_in_seconds} and fade-out over the last
 * {@code fade_out_seconds}. The fade-out needs the stream length: the renderer calls
 * {@link #setStreamTiming(long, long)} before processing (source length plus any tail, and where the content
 * starts after the latency of earlier effects), so fades land exactly on the first and last output samples,
 * which are exactly 0. When the length is unknown (-1) the fade-out is not applied.
 */
final class FadeEffect extends BlockEffect {
    private final double fadeInSeconds;
    private final double fadeOutSeconds;
    private long fadeInFrames;
    private long fadeOutFrames;
    private long contentFrames = -1;
    private long contentStart;

    FadeEffect(EffectSettings s) {
        fadeInSeconds = s.number("fade_in_seconds").initialValue();
        fadeOutSeconds = s.number("fade_out_seconds").initialValue();
    }

    @Override
    public void setStreamTiming(long frames, long start) {
        contentFrames = frames;
        contentStart = start;
    }

    @Override
    protected void allocate(Spec spec) {
        fadeInFrames = Math.round(fadeInSeconds * spec.sampleRate());
        fadeOutFrames = Math.round(fadeOutSeconds * spec.sampleRate());
    }

    @Override
    protected void clearState() {}

    @Override
    protected void updateControls(double seconds) {}

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        long start = position() - contentStart; // position relative to the first content frame
        long end = contentFrames; // relative, exclusive
        boolean inFade = start < fadeInFrames;
        boolean outFade = end >= 0 && fadeOutFrames > 0 && start + frames > end - fadeOutFrames;
        if (!inFade && !outFade) {
            return;
        }
        for (int i = 0; i < frames; i++) {
            long pos = start + i;
            double g = 1;
            if (pos < fadeInFrames) {
                g = Math.max(0.0, (double) pos / fadeInFrames);
            }
            if (outFade) {
                long remaining = end - 1 - pos;
                if (remaining < fadeOutFrames) {
                    g *= Math.max(0.0, (double) remaining / fadeOutFrames);
                }
            }
            for (int c = 0; c < channelCount; c++) {
                ch[c][offset + i] = (float) (ch[c][offset + i] * g);
            }
        }
    }
}
