package studio.nexus.audio.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.audio.waveform.WaveformGenerator;
import studio.nexus.audio.waveform.WaveformOptions;

/**
 * Benchmark driver for bench/render-vs-sox.sh (not a test: no timed assertions anywhere).
 * Measures CPU time of the rendering thread (ThreadMXBean), after a JIT warm-up, JVM start-up excluded.
 *
 * <pre>
 *   RenderBenchmark suite DIR SOX_VOCAL_CPU SOX_AMBIENT_CPU   # in.wav, in.flac, in.mp3, in.ogg in DIR
 *   RenderBenchmark long MINUTES                              # generated source, run with -Xmx256m
 *   RenderBenchmark decode DIR EXT=FFMPEG_CPU...               # in.EXT in DIR, beside ffmpeg's CPU seconds
 * </pre>
 */
public final class RenderBenchmark {
    static final String VOCAL_WARMTH = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.2,\"mid\":1.0,\"high\":1.1}},"
            + "{\"type\":\"reverb\",\"settings\":{\"room_size\":0.3,\"damping\":0.5}}]";
    static final String AMBIENT_SPACE = "[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.8,\"damping\":0.2}},"
            + "{\"type\":\"delay\",\"settings\":{\"time\":0.5,\"feedback\":0.3}}]";
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args[0].equals("suite")) {
            suite(Path.of(args[1]), Double.parseDouble(args[2]), Double.parseDouble(args[3]));
        } else if (args[0].equals("decode")) {
            decodeBesideFfmpeg(Path.of(args[1]), java.util.Arrays.copyOfRange(args, 2, args.length));
        } else {
            longRender(Integer.parseInt(args[1]));
        }
    }

    static double cpuSeconds() {
        return MX.getCurrentThreadCpuTime() / 1e9;
    }

    static void suite(Path dir, double soxVocal, double soxAmbient) throws Exception {
        Path wav = dir.resolve("in.wav");
        double seconds;
        try (DecodedAudio a = Decoders.open(wav)) {
            seconds = a.info().durationSeconds();
        }
        // Warm-up: the JIT compiles the hot loops on the first 30 s of the input, three times.
        for (int i = 0; i < 3; i++) {
            for (String chain : new String[] {VOCAL_WARMTH, AMBIENT_SPACE}) {
                render(wav, chain, dir.resolve("warm.wav"), 30 * 44100L);
            }
            decode(wav, 30 * 44100L);
        }
        System.out.println();
        System.out.printf("%-44s %12s %14s %10s%n", "task (" + (int) seconds + " s stereo 44.1 kHz)", "CPU s",
                "x realtime", "vs sox");
        line("sox: Vocal Warmth equivalent", soxVocal, seconds, Double.NaN);
        double ours = render(wav, VOCAL_WARMTH, dir.resolve("out-vocal.wav"), Long.MAX_VALUE);
        line("studio-nexus: Vocal Warmth (decode+fx+encode)", ours, seconds, soxVocal / ours);
        line("sox: Ambient Space equivalent", soxAmbient, seconds, Double.NaN);
        ours = render(wav, AMBIENT_SPACE, dir.resolve("out-ambient.wav"), Long.MAX_VALUE);
        line("studio-nexus: Ambient Space (decode+fx+encode)", ours, seconds, soxAmbient / ours);
        double t0 = cpuSeconds();
        try (DecodedAudio a = Decoders.open(wav)) {
            WaveformGenerator.compute(a, new WaveformOptions(256, 8, false));
        }
        line("waveform 256 spp, 8-bit (WAV decode incl.)", cpuSeconds() - t0, seconds, Double.NaN);
        for (String ext : new String[] {"wav", "flac", "mp3", "ogg"}) {
            Path p = dir.resolve("in." + ext);
            if (Files.exists(p)) {
                decode(p, 20 * 44100L); // warm this decoder
                line("decode " + ext.toUpperCase(Locale.ROOT), decode(p, Long.MAX_VALUE), seconds, Double.NaN);
            }
        }
    }

    /**
     * Decode speed per format beside ffmpeg's single-threaded decode of the same file. "cold" is the first whole
     * decode of the format in this JVM (it pays the JIT's compilation, as the first upload after a server starts
     * does); "warm" is the median CPU seconds of five whole decodes after two more, the steady state of a server
     * that has been decoding uploads. The ratio columns are ffmpeg's CPU time over ours (the aim: at least 0.5).
     */
    static void decodeBesideFfmpeg(Path dir, String[] ffmpegCpu) throws Exception {
        double seconds;
        try (DecodedAudio a = Decoders.open(dir.resolve("in.wav"))) {
            seconds = a.info().durationSeconds();
        }
        System.out.printf("%-10s %10s %10s %10s %12s %14s %12s %12s%n", "format", "frames", "cold CPU s",
                "warm CPU s", "ffmpeg CPU s", "warm x realtime", "ffmpeg/cold", "ffmpeg/warm");
        for (String pair : ffmpegCpu) {
            String ext = pair.substring(0, pair.indexOf('='));
            double ffmpeg = Double.parseDouble(pair.substring(pair.indexOf('=') + 1));
            Path file = dir.resolve("in." + ext);
            long frames;
            try (DecodedAudio a = Decoders.open(file)) {
                frames = a.info().lengthFrames();
            } catch (IOException | RuntimeException e) {
                System.out.printf("%-10s not decoded: %s%n", ext, e.getMessage());
                continue;
            }
            double cold;
            double[] runs = new double[5];
            try {
                cold = decode(file, Long.MAX_VALUE);
                decode(file, Long.MAX_VALUE);
                decode(file, Long.MAX_VALUE);
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = decode(file, Long.MAX_VALUE);
                }
            } catch (IOException | RuntimeException e) {
                System.out.printf("%-10s failed while decoding: %s%n", ext, e.getMessage());
                continue;
            }
            java.util.Arrays.sort(runs);
            double warm = runs[runs.length / 2];
            System.out.printf("%-10s %10d %10.3f %10.3f %12.3f %14.0f %12.2f %12.2f%n", ext, frames, cold, warm,
                    ffmpeg, seconds / warm, ffmpeg / cold, ffmpeg / warm);
        }
    }

    static void line(String name, double cpu, double audioSeconds, double ratio) {
        System.out.printf("%-44s %12.2f %14.1f %10s%n", name, cpu, audioSeconds / cpu,
                Double.isNaN(ratio) ? "" : String.format("%.2fx", ratio));
    }

    /** CPU seconds to decode, render and write up to {@code maxFrames}. */
    static double render(Path in, String chain, Path out, long maxFrames) throws Exception {
        ChainDefinition def = EffectChainParser.parse(chain);
        double t0 = cpuSeconds();
        try (DecodedAudio probe = Decoders.open(in)) {
            WavEncoder sink = WavEncoder.create(out, probe.info().sampleRate(), probe.channels(), WavEncoder.SampleFormat.PCM_16);
            OfflineRenderer.render(() -> limit(Decoders.open(in), maxFrames), def, sink, OfflineRenderer.Options.DEFAULT,
                    OfflineRenderer.ProgressListener.NONE, () -> false);
        }
        return cpuSeconds() - t0;
    }

    static double decode(Path in, long maxFrames) throws IOException {
        double t0 = cpuSeconds();
        try (AudioSource a = limit(Decoders.open(in), maxFrames)) {
            float[][] buf = new float[a.channels()][4096];
            while (a.read(buf, 4096) >= 0) {
                // just decode
            }
        }
        return cpuSeconds() - t0;
    }

    static AudioSource limit(AudioSource s, long maxFrames) {
        return new AudioSource() {
            long done;

            @Override public double sampleRate() { return s.sampleRate(); }
            @Override public int channels() { return s.channels(); }
            @Override public long lengthFrames() {
                return s.lengthFrames() < 0 ? -1 : Math.min(s.lengthFrames(), maxFrames);
            }
            @Override public int read(float[][] b, int frames) throws IOException {
                if (done >= maxFrames) {
                    return -1;
                }
                int n = s.read(b, (int) Math.min(frames, maxFrames - done));
                if (n > 0) {
                    done += n;
                }
                return n;
            }
            @Override public void close() throws IOException { s.close(); }
        };
    }

    /** Renders a generated stereo source of {@code minutes} through both seed chains to a discarding sink. */
    static void longRender(int minutes) throws Exception {
        long frames = minutes * 60L * 44100;
        long maxHeap = Runtime.getRuntime().maxMemory();
        for (String[] chain : new String[][] {{"Vocal Warmth", VOCAL_WARMTH}, {"Ambient Space", AMBIENT_SPACE}}) {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long[] written = new long[1];
            AudioSink discard = new AudioSink() {
                @Override public void write(float[][] buffer, int n) { written[0] += n; }
                @Override public void close() {}
            };
            double t0 = cpuSeconds();
            OfflineRenderer.render(() -> new GeneratedSource(frames), EffectChainParser.parse(chain[1]), discard,
                    OfflineRenderer.Options.DEFAULT, OfflineRenderer.ProgressListener.NONE, () -> false);
            double cpu = cpuSeconds() - t0;
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("%-44s %12.2f %14.1f   %d frames, peak heap %d MiB of max %d MiB%n",
                    minutes + "-min generated, " + chain[0], cpu, frames / 44100.0 / cpu, written[0], peakHeap >> 20,
                    maxHeap >> 20);
            if (written[0] != frames) {
                throw new IllegalStateException("wrote " + written[0] + " of " + frames);
            }
        }
    }

    /** Tones plus noise computed on the fly: nothing of the hour is ever held in memory. */
    static final class GeneratedSource implements AudioSource {
        private final long frames;
        private long position;
        private long seed = 12345;

        GeneratedSource(long frames) {
            this.frames = frames;
        }

        @Override public double sampleRate() { return 44100; }
        @Override public int channels() { return 2; }
        @Override public long lengthFrames() { return frames; }
        @Override public int read(float[][] b, int max) {
            if (position >= frames) {
                return -1;
            }
            int n = (int) Math.min(max, frames - position);
            for (int i = 0; i < n; i++) {
                double t = (position + i) / 44100.0;
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                float noise = (seed >>> 40) / (float) (1 << 24) - 0.5f;
                b[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * t)) + 0.1f * noise;
                b[1][i] = (float) (0.3 * Math.sin(2 * Math.PI * 331 * t)) - 0.1f * noise;
            }
            position += n;
            return n;
        }
        @Override public void close() {}
    }
}
