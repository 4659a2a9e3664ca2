package studio.nexus.audio.effects;

/**
 * {@code fade}: linear fade-in over the first {@code fade_in_seconds} and fade-out over the last
 * {@code fade_out_seconds}. The fade-out needs the stream length: the renderer calls
 * {@link #setStreamLength(long)} before processing (it knows the source length plus any tail). When the
 * length is unknown (-1) the fade-out is not applied. The first and last samples of a fade are exactly 0.
 */
final class FadeEffect extends BlockEffect {
    private final double fadeInSeconds;
    private final double fadeOutSeconds;
    private long fadeInFrames;
    private long fadeOutFrames;
    private long streamLength = -1;

    FadeEffect(EffectSettings s) {
        fadeInSeconds = s.number("fade_in_seconds").initialValue();
        fadeOutSeconds = s.number("fade_out_seconds").initialValue();
    }

    @Override
    public void setStreamLength(long frames) {
        streamLength = frames;
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
        long start = position();
        boolean inFade = start < fadeInFrames;
        boolean outFade = streamLength >= 0 && fadeOutFrames > 0 && start + frames > streamLength - fadeOutFrames;
        if (!inFade && !outFade) {
            return;
        }
        for (int i = 0; i < frames; i++) {
            long pos = start + i;
            double g = 1;
            if (pos < fadeInFrames) {
                g = (double) pos / fadeInFrames;
            }
            if (outFade) {
                long remaining = streamLength - 1 - pos;
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
