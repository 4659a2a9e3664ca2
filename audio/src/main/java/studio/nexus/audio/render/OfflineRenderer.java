package studio.nexus.audio.render;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.AudioSourceFactory;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.Effect;
import studio.nexus.audio.effects.NormalizeEffect;
import studio.nexus.audio.effects.Spec;

/**
 * Streams source → effect chain → sink in fixed blocks, so memory stays bounded (a few blocks) whatever
 * the length. Meant to run on a background worker thread; each call is independent and thread-confined.
 *
 * <ul>
 *   <li><b>Latency</b>: the chain's {@link Effect#latencyFrames()} leading output frames are dropped and
 *       as many zeros are flushed in at the end, so output is aligned with input and as long as the input
 *       (plus {@link Options#tailSeconds()}).
 *   <li><b>Two passes</b>: a {@code normalize} effect needs to know the level reaching it. For each
 *       normalize in the chain the renderer opens the source again and runs a silent analysis pass
 *       (output discarded), finishing the first still-measuring normalize after each pass; then a final
 *       pass writes to the sink. That is why it takes an {@link AudioSourceFactory}.
 *   <li><b>Stream timing</b>: {@link Effect#setStreamTiming} gets source length + tail (or -1 when the source
 *       doesn't know its length; fade-out then does nothing) and the chain adds upstream latencies, so a fade
 *       after a look-ahead limiter still starts and ends exactly on the output's first and last samples.
 *   <li><b>Progress</b>: {@link ProgressListener#onProgress} after every block with the fraction of all
 *       passes done (−1 when the length is unknown).
 *   <li><b>Cancel</b>: checked every block: the {@code cancelled} supplier returning true, or the thread's
 *       interrupt flag, ends the render with {@link RenderCancelledException}.
 * </ul>
 * The sink is always closed, also on failure or cancel.
 */
public final class OfflineRenderer {

    /**
     * @param blockSize frames per block (1..65536), default 4096
     * @param tailSeconds extra seconds of silence fed after the input so reverb/delay tails are kept
     */
    public record Options(int blockSize, double tailSeconds) {
        public static final Options DEFAULT = new Options(4096, 0);

        public Options {
            if (blockSize < 1 || blockSize > 65536) {
                throw new IllegalArgumentException("blockSize must be 1..65536");
            }
            if (!(tailSeconds >= 0 && tailSeconds <= 600)) {
                throw new IllegalArgumentException("tailSeconds must be 0..600");
            }
        }
    }

    /** Progress callback, called on the rendering thread. */
    @FunctionalInterface
    public interface ProgressListener {
        ProgressListener NONE = (fraction, frames) -> {};

        /**
         * @param fractionDone 0..1 over all passes, or -1 when the source length is unknown
         * @param framesDone output frames of the current pass so far
         */
        void onProgress(double fractionDone, long framesDone);
    }

    /** @param framesWritten frames delivered to the sink; @param passes passes over the source */
    public record Result(long framesWritten, int passes) {}

    private OfflineRenderer() {}

    /** Renders with a fresh instance of {@code chain}. */
    public static Result render(AudioSourceFactory input, ChainDefinition chain, AudioSink sink, Options options,
            ProgressListener progress, BooleanSupplier cancelled) throws IOException, RenderCancelledException {
        return render(input, chain.instantiate(), sink, options, progress, cancelled);
    }

    /** Renders with an unprepared or prepared effect instance (it is prepared here for the source format). */
    public static Result render(AudioSourceFactory input, Effect chain, AudioSink sink, Options options,
            ProgressListener progress, BooleanSupplier cancelled) throws IOException, RenderCancelledException {
        try (AudioSink out = sink) {
            List<NormalizeEffect> normalizers = new ArrayList<>();
            chain.visit(e -> {
                if (e instanceof NormalizeEffect n) {
                    normalizers.add(n);
                }
            });
            Spec spec = null;
            int passes = normalizers.size() + 1;
            for (NormalizeEffect n : normalizers) {
                n.restartMeasurement();
            }
            for (int pass = 0; pass < passes - 1; pass++) {
                try (AudioSource source = input.open()) {
                    spec = prepareOnce(chain, spec, source, options);
                    runPass(source, chain, null, options, progress, cancelled, pass, passes);
                }
                for (NormalizeEffect n : normalizers) {
                    if (n.isMeasuring()) {
                        n.finishMeasurement();
                        break;
                    }
                }
            }
            try (AudioSource source = input.open()) {
                spec = prepareOnce(chain, spec, source, options);
                long frames = runPass(source, chain, out, options, progress, cancelled, passes - 1, passes);
                return new Result(frames, passes);
            }
        }
    }

    private static Spec prepareOnce(Effect chain, Spec spec, AudioSource source, Options options) {
        Spec wanted = new Spec(source.sampleRate(), options.blockSize(), source.channels());
        if (spec == null) {
            chain.prepare(wanted);
            return wanted;
        }
        if (!spec.equals(wanted)) {
            throw new IllegalStateException("source format changed between passes: " + spec + " vs " + wanted);
        }
        return spec;
    }

    private static long runPass(AudioSource source, Effect chain, AudioSink sink, Options options,
            ProgressListener progress, BooleanSupplier cancelled, int pass, int passes)
            throws IOException, RenderCancelledException {
        chain.reset();
        int channels = source.channels();
        int block = options.blockSize();
        float[][] buffer = new float[channels][block];
        long length = source.lengthFrames();
        long tail = Math.round(options.tailSeconds() * source.sampleRate());
        int latency = chain.latencyFrames();
        chain.setStreamTiming(length >= 0 ? length + tail : -1, 0);
        long expected = length >= 0 ? length + tail : -1;
        long toSkip = latency;
        long flushLeft = tail + latency;
        long written = 0;
        boolean sourceEnded = false;
        int idleReads = 0;
        while (true) {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                throw new RenderCancelledException("render cancelled after " + written + " frames");
            }
            int n;
            if (!sourceEnded) {
                n = source.read(buffer, block);
                if (n < 0) {
                    sourceEnded = true;
                    continue;
                }
                if (n == 0) {
                    if (++idleReads > 1000) {
                        throw new IOException("source returned no data 1000 times in a row");
                    }
                    continue;
                }
                idleReads = 0;
            } else {
                if (flushLeft == 0) {
                    break;
                }
                n = (int) Math.min(block, flushLeft);
                for (float[] ch : buffer) {
                    java.util.Arrays.fill(ch, 0, n, 0f);
                }
                flushLeft -= n;
            }
            chain.process(buffer, 0, n);
            int start = 0;
            if (toSkip > 0) {
                start = (int) Math.min(toSkip, n);
                toSkip -= start;
            }
            int out = n - start;
            if (out > 0) {
                if (start > 0) {
                    for (float[] ch : buffer) {
                        System.arraycopy(ch, start, ch, 0, out);
                    }
                }
                if (sink != null) {
                    sink.write(buffer, out);
                }
                written += out;
            }
            double fraction = expected > 0 ? (pass + Math.min(1.0, (double) written / expected)) / passes : -1;
            progress.onProgress(fraction, written);
        }
        if (expected == 0) {
            progress.onProgress((pass + 1.0) / passes, written);
        }
        return written;
    }
}
