package studio.nexus.audio.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.analysis.MasterMeter;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.mix.Arrangement;
import studio.nexus.audio.mix.Clip;
import studio.nexus.audio.mix.Mixer;
import studio.nexus.audio.mix.TakeFormat;
import studio.nexus.audio.mix.TakeOpener;
import studio.nexus.audio.mix.Track;
import studio.nexus.audio.render.OfflineRenderer.ProgressListener;

/**
 * Benchmark driver for bench/mixdown.sh (not a test: no timed assertions). CPU time of the mixing thread
 * (ThreadMXBean), JVM start-up excluded; per-block time is the wall time between two blocks reaching the sink.
 *
 * <pre>
 *   MixdownBenchmark song DIR      # DIR/take0.wav .. take7.wav: 8 stereo tracks, each EQ + reverb + delay, master chain;
 *                                  # with DIR/take48k.wav also one track of 48 kHz takes in the 44.1 kHz song
 *   MixdownBenchmark long MINUTES  # 16 generated tracks of MINUTES each, same chains; run it with -Xmx256m
 * </pre>
 */
public final class MixdownBenchmark {
    static final String TRACK_FX = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.2,\"mid\":0.9,\"high\":1.1}},"
            + "{\"type\":\"reverb\",\"settings\":{\"room_size\":0.5,\"damping\":0.5,\"wet_level\":0.2}},"
            + "{\"type\":\"delay\",\"settings\":{\"time\":0.375,\"feedback\":0.3,\"mix\":0.2}}]";
    static final String MASTER_FX = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.1,\"high\":1.05}},"
            + "{\"type\":\"compressor\",\"settings\":{\"threshold_db\":-12,\"ratio\":2}},"
            + "{\"type\":\"limiter\",\"settings\":{\"threshold_db\":-1}}]";
    static final double RATE = 44100;
    static final int BLOCK = 1024;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args[0].equals("song")) {
            song(Path.of(args[1]));
        } else {
            longMix(Integer.parseInt(args[1]));
        }
    }

    static void song(Path dir) throws Exception {
        TakeOpener files = new TakeOpener() {
            @Override public TakeFormat format(String takeId) throws IOException {
                try (DecodedAudio a = Decoders.open(dir.resolve(takeId))) {
                    return new TakeFormat(a.sampleRate(), a.channels(), a.lengthFrames());
                }
            }
            @Override public AudioSource open(String takeId) throws IOException {
                return Decoders.open(dir.resolve(takeId));
            }
        };
        long frames = files.format("take0.wav").lengthFrames();
        List<Track> tracks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            // two clips per track, the second from a split: the usual shape of an edited song
            long split = frames / 3 + t * 4410L;
            tracks.add(new Track("t" + t, "Track " + t, -4, (t - 3.5) / 4, false, false, chain(TRACK_FX),
                    List.of(new Clip("take" + t + ".wav", 0, 0, split, 0, 441, 441),
                            new Clip("take" + t + ".wav", split, split, frames - split, -1, 441, 4410))));
        }
        Arrangement song = new Arrangement(RATE, tracks, chain(MASTER_FX), -2);
        double seconds = frames / RATE;
        Path out = dir.resolve("mix.wav");
        System.out.printf("%-52s %8s %12s %14s %16s%n", "8 stereo tracks x " + (int) seconds + " s, EQ+reverb+delay each",
                "CPU s", "x realtime", "p99 block ms", "block budget ms");
        double[] cpu = new double[4];
        for (int run = 0; run < cpu.length; run++) {
            long[] gaps = new long[(int) (frames / BLOCK) + 8];
            cpu[run] = mixdown(song, files, out, gaps);
            Arrays.sort(gaps);
            double p99 = gaps[(int) (gaps.length * 0.99)] / 1e6;
            System.out.printf("%-52s %8.2f %12.1f %14.3f %16.2f%n", run == 0 ? "first run (JIT warming up)" : "run " + run,
                    cpu[run], seconds / cpu[run], p99, BLOCK / RATE * 1000);
        }
        double[] warm = Arrays.copyOfRange(cpu, 1, cpu.length);
        Arrays.sort(warm);
        System.out.printf("median of the warm runs: %.2f CPU s, %.1fx realtime on one core%n", warm[1], seconds / warm[1]);
        // where the time goes: the same song with parts left out (one warm run each)
        List<Track> dry = new ArrayList<>();
        for (Track t : tracks) {
            dry.add(new Track(t.id(), t.name(), t.volumeDb(), t.pan(), false, false, chain("[]"), t.clips()));
        }
        Arrangement plain = new Arrangement(RATE, dry, chain("[]"), -2);
        Arrangement tracksOnly = new Arrangement(RATE, tracks, chain("[]"), -2);
        long[] gaps = new long[(int) (frames / BLOCK) + 8];
        double bare = mixOnly(plain, files, Double.NaN);
        double withTrackFx = mixOnly(tracksOnly, files, Double.NaN);
        double withMaster = mixOnly(song, files, -1);
        double all = mixdown(song, files, out, gaps);
        System.out.printf("decode + clips + faders + pans + sum, nothing else:  %.2f CPU s%n", bare);
        System.out.printf("+ 8 track chains (EQ + reverb + delay):              %.2f CPU s%n", withTrackFx - bare);
        System.out.printf("+ master chain and safety limiter:                   %.2f CPU s%n", withMaster - withTrackFx);
        System.out.printf("+ master meter and 16-bit WAV file:                  %.2f CPU s%n", all - withMaster);
        if (Files.exists(dir.resolve("take48k.wav"))) {
            resampledTrack(tracks.get(0), files, seconds);
        }
    }

    /**
     * One track (the song's first, chain and clips as they are) played from take48k.wav, the same music recorded at
     * 48 kHz, so the mixer converts it to the song's 44.1 kHz as it plays; beside it the same track from its 44.1 kHz
     * take. Warm runs (the median of three); the difference is what the conversion costs.
     */
    static void resampledTrack(Track track, TakeOpener files, double seconds) throws Exception {
        List<Clip> clips48 = new ArrayList<>();
        for (Clip c : track.clips()) {
            clips48.add(new Clip("take48k.wav", c.startFrame(), c.offsetFrame(), c.lengthFrames(), c.gainDb(),
                    c.fadeInFrames(), c.fadeOutFrames()));
        }
        Arrangement at441 = new Arrangement(RATE, List.of(track), chain("[]"), -2);
        Arrangement at48 = new Arrangement(RATE, List.of(new Track(track.id(), track.name(), track.volumeDb(),
                track.pan(), false, false, track.chain(), clips48)), chain("[]"), -2);
        double[] plain = new double[3];
        double[] converted = new double[3];
        mixOnly(at48, files, Double.NaN); // JIT warm-up of the resampler
        for (int run = 0; run < 3; run++) {
            plain[run] = mixOnly(at441, files, Double.NaN);
            converted[run] = mixOnly(at48, files, Double.NaN);
        }
        Arrays.sort(plain);
        Arrays.sort(converted);
        double conversion = converted[1] - plain[1];
        System.out.printf("one track of 44.1 kHz takes, its chain:              %.2f CPU s, %.0fx realtime%n", plain[1],
                seconds / plain[1]);
        System.out.printf("one track of 48 kHz takes in the 44.1 kHz song:      %.2f CPU s, %.0fx realtime "
                + "(the conversion alone %.2f CPU s, %.0fx realtime, stereo)%n", converted[1], seconds / converted[1],
                conversion, seconds / conversion);
    }

    /** CPU seconds of a mixdown into a sink that drops the audio. */
    static double mixOnly(Arrangement song, TakeOpener takes, double ceiling) throws Exception {
        AudioSink discard = new AudioSink() {
            @Override public void write(float[][] buffer, int n) {}
            @Override public void close() {}
        };
        double t0 = RenderBenchmark.cpuSeconds();
        Mixer.mixdown(song, takes, discard, new Mixer.Options(BLOCK, 0, ceiling), ProgressListener.NONE, () -> false);
        return RenderBenchmark.cpuSeconds() - t0;
    }

    /** CPU seconds of one mixdown to a 16-bit WAV with the master meter, as a mixdown job does it. */
    static double mixdown(Arrangement song, TakeOpener takes, Path out, long[] gaps) throws Exception {
        MasterMeter meter = new MasterMeter(RATE, 2);
        AudioSink wav = meter.in(WavEncoder.create(out, (int) RATE, 2, WavEncoder.SampleFormat.PCM_16));
        AudioSink timed = new AudioSink() {
            long last = System.nanoTime();
            int i;

            @Override public void write(float[][] b, int n) throws IOException {
                wav.write(b, n);
                long now = System.nanoTime();
                if (i < gaps.length) {
                    gaps[i++] = now - last;
                }
                last = now;
            }
            @Override public void close() throws IOException {
                wav.close();
            }
        };
        double t0 = RenderBenchmark.cpuSeconds();
        Mixer.mixdown(song, takes, timed, new Mixer.Options(BLOCK, 0, -1), ProgressListener.NONE, () -> false);
        double cpu = RenderBenchmark.cpuSeconds() - t0;
        meter.report();
        return cpu;
    }

    static void longMix(int minutes) throws Exception {
        long frames = minutes * 60L * (long) RATE;
        TakeOpener generated = new TakeOpener() {
            @Override public TakeFormat format(String takeId) {
                return new TakeFormat(RATE, 2, frames);
            }
            @Override public AudioSource open(String takeId) {
                return new Tone(frames, 110 + 20 * Math.floorMod(takeId.hashCode(), 40));
            }
        };
        List<Track> tracks = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            tracks.add(new Track("t" + t, "Track " + t, -8, (t - 7.5) / 8, false, false, chain(TRACK_FX),
                    List.of(Clip.of("gen" + t, 0, 0, frames))));
        }
        Arrangement song = new Arrangement(RATE, tracks, chain(MASTER_FX), -2);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        MasterMeter meter = new MasterMeter(RATE, 2);
        long[] written = {0};
        AudioSink discard = meter.in(new AudioSink() {
            @Override public void write(float[][] buffer, int n) { written[0] += n; }
            @Override public void close() {}
        });
        double t0 = RenderBenchmark.cpuSeconds();
        Mixer.mixdown(song, generated, discard, new Mixer.Options(BLOCK, 0, -1), ProgressListener.NONE, () -> false);
        double cpu = RenderBenchmark.cpuSeconds() - t0;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("16 generated stereo tracks x %d min, EQ+reverb+delay each + master chain: %.1f CPU s, "
                + "%.1fx realtime, %d frames, peak heap %d MiB (live after GC %d MiB) of max %d MiB, %s%n", minutes, cpu,
                frames / RATE / cpu, written[0], peakHeap >> 20, live >> 20, Runtime.getRuntime().maxMemory() >> 20,
                meter.report());
        if (written[0] != frames) {
            throw new IllegalStateException("wrote " + written[0] + " of " + frames);
        }
    }

    static ChainDefinition chain(String json) throws Exception {
        return EffectChainParser.parse(json);
    }

    /**
     * A tone with a little noise, computed as it is read (a rotating phasor, no sine per sample, so the hour's cost
     * is the mixer's and not the generator's): nothing of it is stored.
     */
    static final class Tone implements AudioSource {
        private final long frames;
        private final double cos;
        private final double sin;
        private double re = 0.3;
        private double im;
        private long position;
        private long seed = 12345;

        Tone(long frames, double hz) {
            this.frames = frames;
            cos = Math.cos(2 * Math.PI * hz / RATE);
            sin = Math.sin(2 * Math.PI * hz / RATE);
        }

        @Override public double sampleRate() { return RATE; }
        @Override public int channels() { return 2; }
        @Override public long lengthFrames() { return frames; }
        @Override public int read(float[][] b, int max) {
            if (position >= frames) {
                return -1;
            }
            int n = (int) Math.min(max, frames - position);
            for (int i = 0; i < n; i++) {
                double r = re * cos - im * sin;
                im = re * sin + im * cos;
                re = r;
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                float noise = ((seed >>> 40) / (float) (1 << 24) - 0.5f) * 0.1f;
                b[0][i] = (float) re + noise;
                b[1][i] = (float) im - noise;
            }
            // keep the phasor on the unit circle's radius despite rounding
            double scale = 0.3 / Math.sqrt(re * re + im * im);
            re *= scale;
            im *= scale;
            position += n;
            return n;
        }
        @Override public void close() {}
    }
}
