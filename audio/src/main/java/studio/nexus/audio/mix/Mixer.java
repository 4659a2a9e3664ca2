package studio.nexus.audio.mix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.effects.Chain;
import studio.nexus.audio.effects.NormalizeEffect;
import studio.nexus.audio.effects.SafetyLimiter;
import studio.nexus.audio.effects.Spec;
import studio.nexus.audio.render.OfflineRenderer.ProgressListener;
import studio.nexus.audio.render.RenderCancelledException;
import studio.nexus.audio.resample.Resampler;

/**
 * Streams an {@link Arrangement} to a stereo mixdown, or to one stereo stem per track, in fixed blocks: each heard
 * track plays its clips (a take at another rate converted to the song's as it plays, by a
 * {@link studio.nexus.audio.resample.ResampledSource}) through its chain, fader and pan into the master bus, which
 * runs the master chain, the master gain and (if asked) the {@link SafetyLimiter}. Memory is a few blocks per track
 * and one open take per track at most, whatever the length; after set-up nothing is allocated per block except when
 * a take is opened.
 * The rules (overlaps, fades, pan law, mute/solo, length, latency) are in the package documentation.
 *
 * <p>Like {@code OfflineRenderer}: a {@code normalize} anywhere needs analysis passes first (each pass finishes
 * the first still-measuring normalize of every track, then those of the master, in turn); cancel is checked
 * every block ({@code cancelled} or the thread's interrupt flag); the sinks are always closed. Measure a mixdown by
 * wrapping its sink in a {@code MasterMeter}. Thread-confined: one call, one thread.
 */
public final class Mixer {

    /**
     * @param blockSize frames per block, 1..65536
     * @param tailSeconds silence rendered after the last clip so reverb and delay tails ring out, 0..600
     * @param safetyCeilingDbtp the true-peak ceiling of a safety limiter after the master gain, or NaN for none
     */
    public record Options(int blockSize, double tailSeconds, double safetyCeilingDbtp) {
        public static final Options DEFAULT = new Options(1024, 0, Double.NaN);

        public Options {
            if (blockSize < 1 || blockSize > 65536) {
                throw new IllegalArgumentException("blockSize must be 1..65536");
            }
            if (!(tailSeconds >= 0 && tailSeconds <= 600)) {
                throw new IllegalArgumentException("tailSeconds must be 0..600");
            }
            if (!Double.isNaN(safetyCeilingDbtp)) {
                new SafetyLimiter(safetyCeilingDbtp); // validates the ceiling with the limiter's own message
            }
        }

        public Options withTail(double seconds) {
            return new Options(blockSize, seconds, safetyCeilingDbtp);
        }

        public Options withSafetyLimiter(double ceilingDbtp) {
            return new Options(blockSize, tailSeconds, ceilingDbtp);
        }
    }

    /** @param framesWritten frames delivered to each sink; @param passes passes over the arrangement */
    public record Result(long framesWritten, int passes) {}

    private Mixer() {}

    /** Renders the stereo mixdown into {@code sink}. */
    public static Result mixdown(Arrangement arrangement, TakeOpener takes, AudioSink sink, Options options,
            ProgressListener progress, BooleanSupplier cancelled) throws IOException, RenderCancelledException {
        return new Run(arrangement, takes, List.of(sink), true, options).render(progress, cancelled);
    }

    /**
     * Renders one stereo stem per track, in the arrangement's order, into {@code sinks} (one per track): each track
     * after its fader and pan, alone; silence for a track that is not heard. They add up to the master bus.
     */
    public static Result stems(Arrangement arrangement, TakeOpener takes, List<? extends AudioSink> sinks,
            Options options, ProgressListener progress, BooleanSupplier cancelled)
            throws IOException, RenderCancelledException {
        if (sinks.size() != arrangement.tracks().size()) {
            closeAll(sinks);
            throw new IllegalArgumentException("one sink per track: " + sinks.size() + " sinks for "
                    + arrangement.tracks().size() + " tracks");
        }
        return new Run(arrangement, takes, sinks, false, options).render(progress, cancelled);
    }

    /**
     * Checks that the mixer can play every take of the arrangement (a known rate in range, mono or stereo), before
     * anything is opened. A take at another rate than the song's is fine: it is converted as it plays.
     */
    static Map<String, TakeFormat> formats(Arrangement arrangement, TakeOpener takes) throws IOException {
        Map<String, TakeFormat> formats = new HashMap<>();
        for (Track t : arrangement.tracks()) {
            for (Clip c : t.clips()) {
                if (formats.containsKey(c.takeId())) {
                    continue;
                }
                TakeFormat f = takes.format(c.takeId());
                if (f == null) {
                    throw new TakeFormatException(c.takeId(), "take " + c.takeId() + " is missing");
                }
                if (!(f.sampleRate() >= Resampler.MIN_RATE && f.sampleRate() <= Resampler.MAX_RATE)) {
                    throw new TakeFormatException(c.takeId(), "take " + c.takeId() + " is at " + rate(f.sampleRate())
                            + " Hz; takes play at " + rate(Resampler.MIN_RATE) + " to " + rate(Resampler.MAX_RATE)
                            + " Hz");
                }
                if (f.channels() != 1 && f.channels() != 2) {
                    throw new TakeFormatException(c.takeId(), "take " + c.takeId() + " has " + f.channels()
                            + " channels; tracks play mono or stereo takes");
                }
                formats.put(c.takeId(), f);
            }
        }
        return formats;
    }

    private static String rate(double hz) {
        return hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz);
    }

    private static void closeAll(List<? extends AudioSink> sinks) throws IOException {
        IOException first = null;
        for (AudioSink s : sinks) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** One render: the players, the master and the buffers, all made before the first block. */
    private static final class Run {
        private final Arrangement arrangement;
        private final List<? extends AudioSink> sinks;
        private final boolean mixdown;
        private final int block;
        private final long tailFrames;
        private final TakeOpener takes;
        private final Options options;
        private TrackPlayer[] players;
        private Chain master;
        private SafetyLimiter limiter;
        private final List<NormalizeEffect> masterNormalizers = new ArrayList<>();
        private float[][][] outs;

        Run(Arrangement arrangement, TakeOpener takes, List<? extends AudioSink> sinks, boolean mixdown,
                Options options) {
            this.arrangement = arrangement;
            this.takes = takes;
            this.sinks = sinks;
            this.mixdown = mixdown;
            this.options = options;
            this.block = options.blockSize();
            this.tailFrames = Math.round(options.tailSeconds() * arrangement.sampleRate());
        }

        Result render(ProgressListener progress, BooleanSupplier cancelled)
                throws IOException, RenderCancelledException {
            try {
                setUp();
                int trackPasses = 0;
                for (TrackPlayer p : players) {
                    trackPasses = Math.max(trackPasses, p.normalizers.size());
                    p.normalizers.forEach(NormalizeEffect::restartMeasurement);
                }
                masterNormalizers.forEach(NormalizeEffect::restartMeasurement);
                int passes = 1 + trackPasses + (mixdown ? masterNormalizers.size() : 0);
                for (int pass = 0; pass < passes - 1; pass++) {
                    runPass(false, progress, cancelled, pass, passes);
                    finishOneMeasurement();
                }
                long written = runPass(true, progress, cancelled, passes - 1, passes);
                return new Result(written, passes);
            } finally {
                try {
                    if (players != null) {
                        for (TrackPlayer p : players) {
                            p.closeSource();
                        }
                    }
                } finally {
                    closeAll(sinks);
                }
            }
        }

        private void setUp() throws IOException {
            Map<String, TakeFormat> formats = formats(arrangement, takes);
            List<Track> tracks = arrangement.tracks();
            players = new TrackPlayer[tracks.size()];
            for (int i = 0; i < players.length; i++) {
                Track t = tracks.get(i);
                players[i] = new TrackPlayer(t, arrangement.isHeard(t), formats, takes, arrangement.sampleRate(), block);
            }
            Spec stereo = new Spec(arrangement.sampleRate(), block, 2);
            if (mixdown) {
                master = arrangement.masterChain().instantiate();
                master.prepare(stereo);
                master.visit(e -> {
                    if (e instanceof NormalizeEffect n) {
                        masterNormalizers.add(n);
                    }
                });
                if (!Double.isNaN(options.safetyCeilingDbtp())) {
                    limiter = new SafetyLimiter(options.safetyCeilingDbtp());
                    limiter.prepare(stereo);
                }
                outs = new float[][][] {new float[2][block]};
            } else {
                outs = new float[players.length][2][block];
            }
        }

        /** Tracks' normalizers first (every track's next one), the master's once the tracks are settled. */
        private void finishOneMeasurement() {
            boolean tracksDone = true;
            for (TrackPlayer p : players) {
                for (NormalizeEffect n : p.normalizers) {
                    if (n.isMeasuring()) {
                        n.finishMeasurement();
                        tracksDone = false;
                        break;
                    }
                }
            }
            if (tracksDone) {
                for (NormalizeEffect n : masterNormalizers) {
                    if (n.isMeasuring()) {
                        n.finishMeasurement();
                        break;
                    }
                }
            }
        }

        private long runPass(boolean write, ProgressListener progress, BooleanSupplier cancelled, int pass,
                int passes) throws IOException, RenderCancelledException {
            int trackLatency = 0;
            for (TrackPlayer p : players) {
                trackLatency = Math.max(trackLatency, p.latencyFrames());
            }
            long content = arrangement.lengthFrames() + tailFrames;
            for (TrackPlayer p : players) {
                p.start(trackLatency - p.latencyFrames(), content);
            }
            long latency = trackLatency;
            if (mixdown) {
                master.reset();
                master.setStreamTiming(content, trackLatency);
                latency += master.latencyFrames();
                if (limiter != null) {
                    limiter.reset();
                    limiter.setStreamTiming(content, latency);
                    latency += limiter.latencyFrames();
                }
            }
            float masterGain = (float) arrangement.masterGain();
            long total = content + latency;
            long position = 0;
            long written = 0;
            while (position < total) {
                if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new RenderCancelledException("mix cancelled after " + written + " frames");
                }
                int n = (int) Math.min(block, total - position);
                if (mixdown) {
                    float[][] bus = outs[0];
                    Arrays.fill(bus[0], 0, n, 0f);
                    Arrays.fill(bus[1], 0, n, 0f);
                    for (int t = 0; t < players.length; t++) {
                        players[t].mixInto(bus, position, n);
                    }
                    master.process(bus, 0, n);
                    if (masterGain != 1f) {
                        for (int c = 0; c < 2; c++) {
                            float[] x = bus[c];
                            for (int i = 0; i < n; i++) {
                                x[i] *= masterGain;
                            }
                        }
                    }
                    if (limiter != null) {
                        limiter.process(bus, 0, n);
                    }
                } else {
                    for (int t = 0; t < players.length; t++) {
                        if (players[t].heard) {
                            float[][] stem = outs[t];
                            Arrays.fill(stem[0], 0, n, 0f);
                            Arrays.fill(stem[1], 0, n, 0f);
                            players[t].mixInto(stem, position, n);
                        }
                    }
                }
                // the first `latency` frames are the chains' delay, not music: drop them
                int skip = position < latency ? (int) Math.min(latency - position, n) : 0;
                int out = n - skip;
                if (out > 0) {
                    for (int s = 0; s < outs.length; s++) {
                        float[][] buffer = outs[s];
                        if (skip > 0) {
                            System.arraycopy(buffer[0], skip, buffer[0], 0, out);
                            System.arraycopy(buffer[1], skip, buffer[1], 0, out);
                        }
                        if (write) {
                            sinks.get(s).write(buffer, out);
                        }
                    }
                    written += out;
                }
                position += n;
                progress.onProgress(total > 0 ? (pass + (double) position / total) / passes : 1.0, written);
            }
            if (total == 0) {
                progress.onProgress((pass + 1.0) / passes, 0);
            }
            return written;
        }
    }
}
