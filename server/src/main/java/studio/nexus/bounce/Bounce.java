package studio.nexus.bounce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.AudioSourceFactory;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.Effect;
import studio.nexus.audio.mix.Arrangement;
import studio.nexus.audio.mix.Mixer;
import studio.nexus.audio.mix.TakeFormatException;
import studio.nexus.audio.mix.TakeOpener;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.audio.render.RenderCancelledException;
import studio.nexus.core.Failure;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.storage.Storage;

/**
 * One job's audio work, the way every job does it: a stored source, through a chain, into a sink writing a temporary
 * file, then into storage and attached in the database. Render, export, mixdown, stems and the local arranger all
 * run through it (a mixdown's source is an arrangement of stored takes, mixed by the {@link Mixer}), so
 * progress (one throttle), cancelling and cleanup are the same everywhere: whatever way the job ends, temporary files
 * are deleted and a stored object that was never attached is deleted again (or, if that fails, left to the storage
 * sweeper). A source that is missing or no longer decodes fails the job for good, in words. Use one per job, in
 * try-with-resources; not thread-safe (the job's own thread).
 */
public final class Bounce implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bounce.class);
    /** Progress is reported at most this often: a live progress bar, and no cost worth measuring on a long render. */
    static final long PROGRESS_EVERY_NANOS = 200_000_000L;

    private final Storage storage;
    private final JobContext context;
    private final String sourceName;
    private final List<Storage.LocalFile> sources = new ArrayList<>();
    private final Set<Path> temporary = new LinkedHashSet<>();
    private final Set<String> unattached = new LinkedHashSet<>();

    /** @param sourceName what the source is, in words, for the failure when it no longer decodes */
    public Bounce(Storage storage, JobContext context, String sourceName) {
        this.storage = storage;
        this.context = context;
        this.sourceName = sourceName;
    }

    /** The stored object at {@code key} as a local file, held until the bounce closes. */
    public Path source(String key) throws IOException, JobFailure {
        try {
            Storage.LocalFile file = storage.localFile(key);
            sources.add(file);
            return file.path();
        } catch (NoSuchFileException e) {
            throw missing();
        }
    }

    /** The format of the audio at {@code file}, from its header (a decode probe). */
    public AudioFormatInfo probe(Path file) throws IOException, JobFailure {
        try {
            return decoding(() -> {
                try (DecodedAudio probe = Decoders.open(file)) {
                    return probe.info();
                }
            });
        } catch (NoSuchFileException e) {
            throw missing();
        }
    }

    /** Work that decodes audio: audio that no longer decodes fails the job for good. */
    public <T> T decoding(Decoding<T> work) throws IOException, JobFailure {
        try {
            return work.run();
        } catch (AudioDecodeException e) {
            throw undecodable(e);
        }
    }

    /** Decoding work; may throw the job's own failures too. */
    @FunctionalInterface
    public interface Decoding<T> {
        T run() throws IOException, JobFailure;
    }

    /** A temporary file, deleted when the bounce closes unless {@link #handOver handed over}. */
    public Path temporaryFile(String suffix) throws IOException {
        Path file = storage.newTempFile(suffix);
        temporary.add(file);
        return file;
    }

    /** {@code file} outlives the bounce: whoever takes it deletes it. */
    public Path handOver(Path file) {
        temporary.remove(file);
        return file;
    }

    /**
     * Reports this stage's progress as {@code from + fraction × span} of the job, under {@code message}.
     */
    public Progress progress(double from, double span, String message) {
        return new Progress(from, span, message);
    }

    /**
     * Renders {@code source} through {@code chain} into {@code sink} (which it closes), reporting through
     * {@code progress} and stopping as soon as the job must.
     */
    public OfflineRenderer.Result render(AudioSourceFactory source, Effect chain, AudioSink sink,
                                         OfflineRenderer.Options options, Progress progress)
            throws IOException, JobFailure, JobContext.JobStopped {
        try {
            return OfflineRenderer.render(source, chain, sink, options,
                    (fraction, frames) -> progress.report(fraction), progress::mustStop);
        } catch (RenderCancelledException e) {
            throw progress.stopped();
        } catch (NoSuchFileException e) {
            throw missing();
        } catch (AudioDecodeException e) {
            throw undecodable(e);
        }
    }

    /**
     * Mixes {@code arrangement} with the {@link Mixer} into {@code sink} (which it closes), reading its takes through
     * {@code takes}, reporting through {@code progress} and stopping as soon as the job must. A take the mixer cannot
     * play as it is (another sample rate than the song's, more than two channels) fails the job for good, in the
     * mixer's words, before anything is mixed.
     */
    public Mixer.Result mixdown(Arrangement arrangement, TakeOpener takes, AudioSink sink, Mixer.Options options,
                                Progress progress) throws IOException, JobFailure, JobContext.JobStopped {
        return mixing(() -> Mixer.mixdown(arrangement, takes, sink, options,
                (fraction, frames) -> progress.report(fraction), progress::mustStop), progress);
    }

    /** As {@link #mixdown}, into one stem per track ({@code sinks}, in the arrangement's order; all closed). */
    public Mixer.Result stems(Arrangement arrangement, TakeOpener takes, List<? extends AudioSink> sinks,
                              Mixer.Options options, Progress progress)
            throws IOException, JobFailure, JobContext.JobStopped {
        return mixing(() -> Mixer.stems(arrangement, takes, sinks, options,
                (fraction, frames) -> progress.report(fraction), progress::mustStop), progress);
    }

    @FunctionalInterface
    private interface Mixing {
        Mixer.Result run() throws IOException, RenderCancelledException;
    }

    private Mixer.Result mixing(Mixing work, Progress progress)
            throws IOException, JobFailure, JobContext.JobStopped {
        try {
            return work.run();
        } catch (RenderCancelledException e) {
            throw progress.stopped();
        } catch (NoSuchFileException e) {
            throw missing();
        } catch (AudioDecodeException e) {
            throw undecodable(e);
        } catch (TakeFormatException e) {
            throw new JobFailure("take_format", e.getMessage(), false);
        }
    }

    /** Stores {@code file} at {@code key}; deleted again when the bounce closes unless {@link #attach attached}. */
    public Storage.StoredObject store(String key, Path file) throws IOException {
        unattached.add(key);
        return storage.putFile(key, file);
    }

    /**
     * Attaches the stored object at {@code key} (charging it, naming it in a row) by {@code attach}, after which it
     * stays. An attachment past its requester's storage limit fails the job for good ({@code storage_full}).
     */
    public <T> T attach(String key, Supplier<T> attach) throws JobFailure {
        T attached;
        try {
            attached = attach.get();
        } catch (Failure refusal) {
            if (refusal.kind() != Failure.Kind.LIMIT_REACHED) {
                throw refusal;
            }
            throw new JobFailure("storage_full", "Not enough storage left on your plan for this file: "
                    + refusal.getMessage(), false);
        }
        unattached.remove(key);
        return attached;
    }

    private JobFailure undecodable(AudioDecodeException e) {
        return new JobFailure("decode_failed", sourceName + " could not be decoded: " + e.getMessage(), false);
    }

    private static JobFailure missing() {
        return new JobFailure("audio_missing", "The project's audio file is missing from storage", false);
    }

    @Override
    public void close() {
        for (Storage.LocalFile source : sources) {
            try {
                source.close();
            } catch (IOException | RuntimeException e) {
                log.debug("could not release a local copy of a source", e);
            }
        }
        for (Path file : temporary) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("temporary file {} left behind", file, e);
            }
        }
        for (String key : unattached) {
            try {
                storage.delete(key);
            } catch (IOException | RuntimeException e) {
                log.debug("could not delete {}; the storage sweeper will", key, e);
            }
        }
    }

    /**
     * A stage's progress, reported at most every {@link #PROGRESS_EVERY_NANOS}. A stop the job learns of while
     * reporting is remembered and ends the work at the next check, with its reason (cancelled, lease lost, shutdown).
     */
    public final class Progress {
        private final double from;
        private final double span;
        private final String message;
        private long lastReport = System.nanoTime();
        private double lastFraction;
        private String stopReason;

        private Progress(double from, double span, String message) {
            this.from = from;
            this.span = span;
            this.message = message;
        }

        /** {@code fraction} (0–1) of this stage is done; negative when unknown (nothing is reported). */
        public void report(double fraction) {
            report(fraction, message);
        }

        /** As {@link #report(double)}, under another message. */
        public void report(double fraction, String message) {
            long now = System.nanoTime();
            if (fraction < 0 || stopReason != null || now - lastReport <= PROGRESS_EVERY_NANOS) {
                return;
            }
            lastReport = now;
            lastFraction = fraction;
            try {
                context.progress(from + fraction * span, message);
            } catch (JobContext.JobStopped e) {
                stopReason = e.reason();
            }
        }

        /** Whether the work must stop now. */
        public boolean mustStop() {
            return stopReason != null || context.shouldStop();
        }

        /** Why the work stopped, to throw. */
        public JobContext.JobStopped stopped() {
            if (stopReason == null) {
                try {
                    // the context knows why (a shutdown hands the job back, a cancel ends it)
                    context.progress(from + lastFraction * span, message);
                } catch (JobContext.JobStopped e) {
                    stopReason = e.reason();
                }
            }
            return new JobContext.JobStopped(stopReason != null ? stopReason : "cancelled");
        }
    }
}
