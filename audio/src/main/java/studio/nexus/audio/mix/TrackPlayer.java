package studio.nexus.audio.mix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.effects.Chain;
import studio.nexus.audio.effects.NormalizeEffect;
import studio.nexus.audio.effects.Spec;
import studio.nexus.audio.resample.ResampledSource;
import studio.nexus.audio.resample.Resampler;

/**
 * Plays one track block by block: its clips as laid out ({@link Segment#layout}), through its chain, then fader
 * and pan into a stereo bus. Holds at most one open take (with its resampler, when the take is at another rate);
 * everything else is allocated in the constructor.
 */
final class TrackPlayer {
    final Track track;
    final boolean heard;
    final int channels;
    final Chain chain;
    final List<NormalizeEffect> normalizers = new ArrayList<>();
    private final PanLaw pan;
    private final Segment[] segments;
    private final double[] clipGains;
    private final TakeOpener takes;
    private final Map<String, TakeFormat> formats;
    private final float[][] buffer;
    private final float[][] scratch;
    private final int block;
    private final double sampleRate;
    /** Zeros fed before the timeline starts, so this track's output lines up with the slowest chain's. */
    private long inputDelay;

    private int segment;
    private AudioSource source;
    private String sourceTake;
    private long sourcePosition;
    private boolean sourceEnded;
    private int sourceChannels;

    TrackPlayer(Track track, boolean heard, Map<String, TakeFormat> formats, TakeOpener takes, double sampleRate,
            int block) {
        this.track = track;
        this.heard = heard;
        this.takes = takes;
        this.formats = formats;
        this.block = block;
        this.sampleRate = sampleRate;
        int ch = 1;
        for (Clip c : track.clips()) {
            if (formats.get(c.takeId()).channels() == 2) {
                ch = 2;
            }
        }
        channels = ch;
        segments = Segment.layout(track.clips()).toArray(new Segment[0]);
        clipGains = new double[segments.length];
        for (int i = 0; i < segments.length; i++) {
            clipGains[i] = segments[i].clip().linearGain();
        }
        pan = PanLaw.of(channels, track.pan(), track.faderGain());
        buffer = new float[channels][block];
        scratch = new float[2][block];
        if (heard) {
            chain = track.chain().instantiate();
            chain.prepare(new Spec(sampleRate, block, channels));
            chain.visit(e -> {
                if (e instanceof NormalizeEffect n) {
                    normalizers.add(n);
                }
            });
        } else {
            chain = null;
        }
    }

    int latencyFrames() {
        return chain == null ? 0 : chain.latencyFrames();
    }

    /** Starts a pass: state cleared, input delayed by {@code inputDelay}, content of {@code contentFrames}. */
    void start(long inputDelay, long contentFrames) throws IOException {
        this.inputDelay = inputDelay;
        closeSource();
        segment = 0;
        if (chain != null) {
            chain.reset();
            chain.setStreamTiming(contentFrames, inputDelay);
        }
    }

    /** Renders the track's input frames {@code [position, position + n)} and adds them, panned, to {@code out}. */
    void mixInto(float[][] out, long position, int n) throws IOException {
        if (!heard) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            Arrays.fill(buffer[c], 0, n, 0f);
        }
        fill(position - inputDelay, n);
        chain.process(buffer, 0, n);
        float[] l = out[0];
        float[] r = out[1];
        float ll = (float) pan.ll();
        float lr = (float) pan.lr();
        if (channels == 1) {
            float[] x = buffer[0];
            for (int i = 0; i < n; i++) {
                l[i] += ll * x[i];
                r[i] += lr * x[i];
            }
        } else {
            float rl = (float) pan.rl();
            float rr = (float) pan.rr();
            float[] xl = buffer[0];
            float[] xr = buffer[1];
            for (int i = 0; i < n; i++) {
                l[i] += ll * xl[i] + rl * xr[i];
                r[i] += lr * xl[i] + rr * xr[i];
            }
        }
    }

    private void fill(long from, int n) throws IOException {
        long to = from + n;
        while (segment < segments.length) {
            Segment s = segments[segment];
            if (s.from() >= to) {
                return;
            }
            long a = Math.max(from, s.from());
            long b = Math.min(to, s.to());
            if (a < b) {
                play(s.clip(), clipGains[segment], a, b, (int) (a - from));
            }
            if (s.to() > to) {
                return;
            }
            segment++;
            if (!continuesInto(s)) {
                closeSource(); // the take is not needed until a later clip: free it
            }
        }
    }

    /** True when the next heard stretch goes on from the same take without a gap (a split clip). */
    private boolean continuesInto(Segment s) {
        if (segment >= segments.length || source == null) {
            return false;
        }
        Segment next = segments[segment];
        Clip c = next.clip();
        return next.from() == s.to() && c.takeId().equals(sourceTake)
                && c.offsetFrame() + (next.from() - c.startFrame()) >= sourcePosition;
    }

    /** Adds the clip's timeline frames {@code [a, b)} to the buffer at {@code at}. */
    private void play(Clip clip, double gain, long a, long b, int at) throws IOException {
        long takeFrame = clip.offsetFrame() + (a - clip.startFrame());
        position(clip.takeId(), takeFrame);
        long clipFrame = a - clip.startFrame();
        int wanted = (int) (b - a);
        int done = 0;
        int idle = 0;
        while (done < wanted && !sourceEnded) {
            int got = source.read(scratch, wanted - done);
            if (got < 0) {
                sourceEnded = true; // the take is shorter than the clip: the rest is silence
                break;
            }
            if (got == 0) {
                if (++idle > 1000) {
                    throw new IOException("take " + sourceTake + " returned no data 1000 times in a row");
                }
                continue;
            }
            idle = 0;
            float[] in0 = scratch[0];
            float[] in1 = sourceChannels == 2 ? scratch[1] : scratch[0];
            boolean faded = clipFrame + done < clip.fadeInFrames()
                    || clipFrame + done + got > clip.lengthFrames() - clip.fadeOutFrames();
            for (int c = 0; c < channels; c++) {
                float[] in = c == 0 ? in0 : in1;
                float[] out = buffer[c];
                int o = at + done;
                if (faded) {
                    long f = clipFrame + done;
                    for (int i = 0; i < got; i++) {
                        out[o + i] = (float) (in[i] * gain * clip.fadeAt(f + i));
                    }
                } else {
                    float g = (float) gain;
                    for (int i = 0; i < got; i++) {
                        out[o + i] = in[i] * g;
                    }
                }
            }
            done += got;
            sourcePosition += got;
        }
    }

    /**
     * Makes the open source deliver {@code take}'s frame {@code frame} next: skip forward, or (re)open. Frames are the
     * song's, also for a take at another rate: frame f of such a take is frame f of the take as converted.
     */
    private void position(String take, long frame) throws IOException {
        if (source != null && take.equals(sourceTake) && frame >= sourcePosition) {
            if (source instanceof ResampledSource converted) {
                converted.skip(frame - sourcePosition); // nothing filtered, the take's frames only decoded
                sourcePosition = frame;
                return;
            }
            while (sourcePosition < frame && !sourceEnded) {
                int got = source.read(scratch, (int) Math.min(block, frame - sourcePosition));
                if (got < 0) {
                    sourceEnded = true;
                } else {
                    sourcePosition += got;
                }
            }
            return;
        }
        closeSource();
        TakeFormat expected = formats.get(take);
        AudioSource opened;
        if (expected.sampleRate() == sampleRate) {
            opened = checked(take, expected, takes.open(take, frame));
        } else {
            // A take at another rate starts at song frame `frame` of its conversion. The resampler works out that
            // frame's instant in the take exactly (a whole frame and a remainder, so the filter's phase is the one a
            // conversion from the take's start would have there) and asks for the take from the first frame its
            // filter reaches back to; the opener skips there at the take's own rate. So nothing before is filtered,
            // memory stays the resampler's few thousand frames, and the samples are those of the whole take
            // converted, frame for frame. Converting from the take's start and dropping output frames would give the
            // same samples but filter the whole skipped stretch.
            Resampler resampler = new Resampler(expected.sampleRate(), sampleRate, expected.channels(), frame);
            opened = new ResampledSource(checked(take, expected, takes.open(take, resampler.nextInputFrame())),
                    resampler);
        }
        source = opened;
        sourceTake = take;
        sourcePosition = frame;
        sourceEnded = false;
        sourceChannels = opened.channels();
    }

    /** {@code opened}, if it is the take that {@code expected} announced; otherwise closed, and refused. */
    private static AudioSource checked(String take, TakeFormat expected, AudioSource opened) throws IOException {
        if (opened.channels() != expected.channels() || opened.sampleRate() != expected.sampleRate()) {
            opened.close();
            throw new TakeFormatException(take, "take " + take + " opened as " + opened.channels() + " channels at "
                    + opened.sampleRate() + " Hz, but was announced as " + expected.channels() + " at "
                    + expected.sampleRate() + " Hz");
        }
        return opened;
    }

    void closeSource() throws IOException {
        if (source != null) {
            AudioSource s = source;
            source = null;
            sourceTake = null;
            s.close();
        }
    }

    boolean hasOpenTake() {
        return source != null;
    }
}
