package studio.nexus.audio.metronome;

import studio.nexus.audio.AudioSource;

/**
 * A mono click track generated on the fly (an {@link AudioSource}, so any length streams in constant memory).
 *
 * <p>Tick n starts at exactly round(n × 60 / bpm / subdivision × sampleRate): every onset is computed
 * from n directly, so there is no accumulated drift. Each click is a decaying sine burst starting at
 * phase 0 (so the onset sample itself is 0 and the next is non-zero), at most 30 ms and never longer
 * than 80 % of the tick spacing. Downbeats: 1760 Hz at 0.9; other beats: 1320 Hz at 0.6; subdivision
 * ticks: 990 Hz at 0.3. The count-in bars come first and sound the same. Not thread-safe.
 */
public final class ClickTrack implements AudioSource {
    private final MetronomeSettings settings;
    private final double framesPerTick;
    private final long totalTicks;
    private final long length;
    private final int clickLength;
    private final float[][] clicks; // [kind][sample]: 0 downbeat, 1 beat, 2 subdivision
    private long position;
    private long tick; // first tick whose click may still sound at or after position

    public ClickTrack(MetronomeSettings settings) {
        this.settings = settings;
        this.framesPerTick = 60.0 / settings.bpm() / settings.subdivision() * settings.sampleRate();
        this.totalTicks = settings.ticks();
        this.length = onsetFrame(totalTicks);
        this.clickLength = (int) Math.max(1, Math.min(0.030 * settings.sampleRate(), 0.8 * framesPerTick));
        this.clicks = new float[][] {burst(1760, 0.9), burst(1320, 0.6), burst(990, 0.3)};
    }

    private float[] burst(double hz, double amplitude) {
        float[] b = new float[clickLength];
        double tau = clickLength / 5.0;
        for (int k = 0; k < clickLength; k++) {
            b[k] = (float) (amplitude * Math.sin(2 * Math.PI * hz * k / settings.sampleRate()) * Math.exp(-k / tau));
        }
        return b;
    }

    /** First frame of tick {@code n} (0-based; n == ticks() gives the track length). */
    public long onsetFrame(long n) {
        return Math.round(n * 60.0 / settings.bpm() / settings.subdivision() * settings.sampleRate());
    }

    /** 0 = bar downbeat, 1 = beat, 2 = subdivision tick. */
    public int kindOf(long n) {
        if (n % ((long) settings.beatsPerBar() * settings.subdivision()) == 0) {
            return 0;
        }
        return n % settings.subdivision() == 0 ? 1 : 2;
    }

    public MetronomeSettings settings() {
        return settings;
    }

    @Override
    public double sampleRate() {
        return settings.sampleRate();
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public long lengthFrames() {
        return length;
    }

    @Override
    public int read(float[][] buffer, int frames) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(frames, length - position);
        float[] out = buffer[0];
        java.util.Arrays.fill(out, 0, n, 0f);
        long end = position + n;
        while (tick < totalTicks && onsetFrame(tick) + clickLength <= position) {
            tick++;
        }
        for (long t = tick; t < totalTicks; t++) {
            long onset = onsetFrame(t);
            if (onset >= end) {
                break;
            }
            float[] click = clicks[kindOf(t)];
            long from = Math.max(onset, position);
            long to = Math.min(onset + clickLength, end);
            for (long f = from; f < to; f++) {
                out[(int) (f - position)] += click[(int) (f - onset)];
            }
        }
        position = end;
        return n;
    }

    @Override
    public void close() {}
}
