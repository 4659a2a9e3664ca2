package studio.nexus.takes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.CorruptAudioException;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.decode.NoAudioException;
import studio.nexus.audio.decode.UnsupportedAudioFormatException;
import studio.nexus.audio.waveform.PeakFile;
import studio.nexus.core.Failure;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;
import studio.nexus.db.SqlStates;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;
import studio.nexus.usage.Usage;

/**
 * A project's take, the audio a musician puts in: upload (stream to a temporary file, decode and compute peaks
 * outside any transaction, then store and attach in one short transaction as the caller), removal, its waveform, and
 * which stored file plays. Every database step runs as the caller, so the policies decide; this class only turns
 * "nothing happened" into not found or forbidden. Thread-safe.
 */
public final class Takes {
    private static final Logger log = LoggerFactory.getLogger(Takes.class);
    /** The zoom a waveform is answered at when none is asked for (the web studio's overview). */
    static final int DEFAULT_SAMPLES_PER_PIXEL = 256;
    private static final long MIB = 1024 * 1024;

    private final Db db;
    private final Storage storage;
    private final long maxUploadBytes;
    private final Peaks peaks;

    public Takes(Db db, Storage storage, long maxUploadBytes) {
        this.db = db;
        this.storage = storage;
        this.maxUploadBytes = maxUploadBytes;
        this.peaks = new Peaks(storage);
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    Storage storage() {
        return storage;
    }

    // Upload

    /** Refuses early (before reading the body) callers who may not attach audio to this project. */
    public void checkMayEdit(Identity who, UUID id) {
        db.as(who, handle -> {
            TakeSql sql = new TakeSql(handle);
            sql.find(id, false).orElseThrow(() -> Failure.notFound("Project"));
            if (!sql.mayEdit(id)) {
                throw Failure.forbidden("Only the project's owner and editors change its audio");
            }
            return null;
        });
    }

    public static Failure tooLarge(long maxBytes) {
        return Failure.of(Failure.Kind.TOO_LARGE, "payload_too_large", null,
                "Audio uploads are limited to " + (maxBytes / MIB) + " MB (STUDIO_MAX_UPLOAD_MB)");
    }

    /** What an upload produced. */
    public record Uploaded(UUID projectId, String format, BigDecimal durationSeconds, int sampleRate, int channels,
                           int bitsPerSample, long sizeBytes, long storageMb, boolean truncated,
                           long storageUsedMb) {}

    /** A take decoded and stored, not yet attached: its facts, and the stored objects to delete if it never is. */
    private record Stored(String key, AudioFormatInfo info, BigDecimal duration, long size, boolean truncated) {}

    /** The part of an upload that belongs to the database, in one transaction as the caller. */
    @FunctionalInterface
    private interface Attach<R> {
        R attach(TakeSql sql, Stored stored);
    }

    /**
     * Streams {@code body} to a temporary file (at most the upload limit), detects and decodes it, computes the
     * waveform, stores both under a fresh key ({@code role}), then runs {@code attach} in one transaction as the
     * caller after charging the object to the uploader (refused past the plan's storage). On any failure nothing
     * stays behind: no file, no row, no charge.
     */
    private <R, T> T receive(Identity who, UUID id, String role, InputStream body, Attach<R> attach,
                             BiFunction<Stored, R, T> answer) throws IOException {
        UUID me = who.requireUserId();
        Path temp = storage.newTempFile(".upload");
        Path peaksTemp = storage.newTempFile(".peaks");
        String key = null;
        String peaksKey = null;
        try {
            long size = copyCapped(body, temp, maxUploadBytes);
            AudioFormatInfo info;
            PeakFile.Header waveform;
            try (DecodedAudio audio = Decoders.open(temp)) {
                info = audio.info();
                waveform = Peaks.build(audio, peaksTemp);
            } catch (UnsupportedAudioFormatException e) {
                throw Failure.of(Failure.Kind.UNSUPPORTED, "unsupported_audio_format", null,
                        "This is not audio we can read: " + e.getMessage()
                                + " (supported: " + Decoders.SUPPORTED + ")");
            } catch (CorruptAudioException e) {
                throw Failure.unprocessable("corrupt_audio", "The audio file is damaged: " + e.getMessage());
            } catch (NoAudioException e) {
                throw noAudio(e.getMessage());
            } catch (AudioDecodeException e) {
                throw Failure.unprocessable("corrupt_audio", "The audio could not be decoded: " + e.getMessage());
            }
            long frames = waveform.frames();
            if (frames == 0) {
                throw noAudio(info.formatName() + ": nothing decodes");
            }
            // what decoded, not what the header claims (a FLAC may declare 99 hours and hold nothing)
            BigDecimal duration = BigDecimal.valueOf(frames).divide(BigDecimal.valueOf(info.sampleRate()), 3,
                    RoundingMode.HALF_UP);
            String newKey = StorageKeys.projectAudio(id, role, StorageKeys.audioExtension(info.formatName()));
            storage.putFile(newKey, temp);
            key = newKey;
            // the peak file goes before the take is attached, so an attached take always has one
            peaksKey = StorageKeys.peaksOf(newKey);
            storage.putFile(peaksKey, peaksTemp);
            // it promised more than decoded
            boolean truncated = info.truncated() || info.lengthFrames() > frames;
            Stored stored = new Stored(newKey, info, duration, size, truncated);
            R attached = refusalAware(() -> db.as(who, handle -> {
                TakeSql sql = new TakeSql(handle);
                Usage.chargeStorage(handle, newKey, withPeaks(storage, newKey, size), me, id, true,
                        new Usage.AudioFacts(duration, info.sampleRate(), info.channels(), null));
                return attach.attach(sql, stored);
            }));
            key = null; // attached: it belongs to the project now
            peaksKey = null;
            return answer.apply(stored, attached);
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(peaksTemp);
            if (key != null) {
                deleteQuietly(key);
            }
            if (peaksKey != null) {
                deleteQuietly(peaksKey);
            }
        }
    }

    /**
     * The project's own take, replaced ({@code PUT /projects/{id}/audio}): the new take joins the pool and track 1's
     * first clip follows it (V85, V86).
     */
    public Uploaded upload(Identity who, UUID id, InputStream body) throws IOException {
        UUID me = who.requireUserId();
        return receive(who, id, "original", body, (sql, stored) -> {
            TakeSql.ProjectTake project = sql.find(id, true).orElseThrow(() -> Failure.notFound("Project"));
            if ("processing".equals(project.status())) {
                throw Failure.conflict("render_in_progress",
                        "A render of this project is running; upload again when it has finished");
            }
            if (!sql.attachOriginal(id, stored.key(), stored.duration(), stored.info().sampleRate(),
                    stored.info().channels())) {
                throw Failure.forbidden("Only the project's owner and editors change its audio");
            }
            return sql.storageUsedMb(me);
        }, (stored, usedMb) -> uploaded(id, stored, usedMb));
    }

    private static Uploaded uploaded(UUID id, Stored stored, long usedMb) {
        AudioFormatInfo info = stored.info();
        long megabytes = Math.max(1, (stored.size() + MIB - 1) / MIB);
        return new Uploaded(id, info.formatName(), stored.duration(), info.sampleRate(), info.channels(),
                info.bitsPerSample(), stored.size(), megabytes, stored.truncated(), usedMb);
    }

    /** What adding a take to the pool produced: the take, and the upload's facts. */
    public record AddedTake(Take take, Uploaded upload) {}

    private record Pooled(Take take, long usedMb) {}

    /**
     * Adds a take to the project's pool ({@code POST /projects/{id}/takes}) without touching its tracks: a clip
     * places it. Named {@code name}, or "Take n" (n counting the pool) when none is given.
     */
    public AddedTake addTake(Identity who, UUID id, Optional<String> name, InputStream body) throws IOException {
        UUID me = who.requireUserId();
        return receive(who, id, "take", body, (sql, stored) -> {
            sql.find(id, true).orElseThrow(() -> Failure.notFound("Project"));
            sql.addTake(id, stored.key(), name.orElseGet(() -> "Take " + (sql.takeCount(id) + 1)), me);
            return new Pooled(sql.take(id, stored.key()).orElseThrow(), sql.storageUsedMb(me));
        }, (stored, pooled) -> new AddedTake(pooled.take(), uploaded(id, stored, pooled.usedMb())));
    }

    /**
     * What a take costs its musician: its own bytes and its peak file's, which lives exactly as long as the take (the
     * sweeper deletes both together), so one charge covers the pair.
     */
    public static long withPeaks(Storage storage, String takeKey, long takeBytes) {
        try {
            return takeBytes + storage.stat(StorageKeys.peaksOf(takeKey)).map(Storage.StoredObject::size).orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The facts a project shows of a take (length, rate, channels), read from the stored take at {@code key}, whose
     * peak file is stored beside it from the same decoding pass; used when audio arrives by another path than an
     * upload (a kept AI result). Throws when the file is not audio we read. If the take is then not attached, its
     * peak file goes with it in the next sweep.
     */
    public static Usage.AudioFacts describe(Storage storage, String key) throws IOException {
        Path peaksTemp = storage.newTempFile(".peaks");
        try (Storage.LocalFile file = storage.localFile(key);
             DecodedAudio audio = Decoders.open(file.path())) {
            AudioFormatInfo info = audio.info();
            PeakFile.Header peaks = Peaks.build(audio, peaksTemp);
            long frames = peaks.frames(); // what decoded, not what the header claims
            if (frames == 0) {
                throw new IOException("not audio we can read: nothing decodes");
            }
            storage.putFile(StorageKeys.peaksOf(key), peaksTemp);
            BigDecimal duration = BigDecimal.valueOf(frames)
                    .divide(BigDecimal.valueOf(info.sampleRate()), 3, RoundingMode.HALF_UP);
            return new Usage.AudioFacts(duration, info.sampleRate(), info.channels(), null);
        } catch (AudioDecodeException e) {
            throw new IOException("not audio we can read: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(peaksTemp);
        }
    }

    private static Failure noAudio(String reason) {
        return Failure.of(Failure.Kind.UNPROCESSABLE, "empty_audio", "No audio",
                "The file holds no audio (" + reason + "); a take must contain sound");
    }

    /** Removes the project's audio; its charge ends when nothing else (a version) references it (V83). */
    public void removeAudio(Identity who, UUID id) {
        refusalAware(() -> db.as(who, handle -> {
            TakeSql sql = new TakeSql(handle);
            // FOR UPDATE sees only rows the caller may update: one who can merely see the project is told so
            TakeSql.ProjectTake project = sql.find(id, true).orElseThrow(() -> sql.find(id, false).isPresent()
                    ? Failure.forbidden("Only the project's owner and editors change its audio")
                    : Failure.notFound("Project"));
            if ("processing".equals(project.status())) {
                throw Failure.conflict("render_in_progress", "A render of this project is running");
            }
            if (!sql.detachOriginal(id)) {
                throw Failure.forbidden("Only the project's owner and editors change its audio");
            }
            return null;
        }));
    }

    private static long copyCapped(InputStream in, Path target, long maxBytes) throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                written += read;
                if (written > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, read);
            }
        }
        return written;
    }

    private void deleteQuietly(String key) {
        try {
            storage.delete(key);
        } catch (IOException | RuntimeException e) {
            log.warn("could not delete {} after a failed upload; the sweeper will", key, e);
        }
    }

    // The pool

    /** The project's takes, oldest first, for whoever can see the project. */
    public List<Take> takes(Identity who, UUID id) {
        return db.as(who, handle -> {
            TakeSql sql = new TakeSql(handle);
            sql.find(id, false).orElseThrow(() -> Failure.notFound("Project"));
            return sql.takes(id);
        });
    }

    public Take take(Identity who, UUID id, String take) {
        return db.as(who, handle -> seen(new TakeSql(handle), id, take));
    }

    public Take renameTake(Identity who, UUID id, String take, String name) {
        return editPool(who, id, sql -> {
            seen(sql, id, take);
            if (!sql.renameTake(id, keyOf(id, take), name)) {
                throw Failure.forbidden(POOL_FORBIDDEN);
            }
            return sql.take(id, keyOf(id, take)).orElseThrow();
        });
    }

    /**
     * Deletes a take from the pool; refused while a clip plays it or it is the project's own take. Its storage is
     * released when nothing else (a version) references it (V83).
     */
    public void deleteTake(Identity who, UUID id, String take) {
        try {
            editPool(who, id, sql -> {
                Take found = seen(sql, id, take);
                if (found.key().equals(sql.find(id, false).map(TakeSql.ProjectTake::originalAudioPath).orElse(null))) {
                    throw Failure.conflict("take_in_use", "This is the project's own take; replace or remove the "
                            + "project's audio first");
                }
                if (found.clips() > 0 || !sql.deleteTake(id, found.key())) {
                    throw inUse(found.clips());
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (SqlStates.violatesConstraint(e, "track_clips_take_in_pool")) {
                throw inUse(1);
            }
            throw e;
        }
    }

    private static Failure inUse(int clips) {
        return Failure.conflict("take_in_use", "A clip still plays this take" + (clips > 1 ? " (" + clips + " clips)"
                : "") + "; delete its clips first");
    }

    private static final String POOL_FORBIDDEN = "Only the project's owner and editors change its takes";

    /**
     * Adds a stored, registered object of the project to its pool as brought by {@code uploadedBy}, in the caller's
     * transaction (the policies decide). For other features (an AI result kept as tracks), so that the pool's rows
     * are written here.
     */
    public static void addToPool(org.jdbi.v3.core.Handle handle, UUID project, String key, String name,
                                 UUID uploadedBy) {
        new TakeSql(handle).addTake(project, key, name, uploadedBy);
    }

    /** The storage key of a take handle (validated by the routes: no slashes). */
    private static String keyOf(UUID id, String take) {
        return "projects/" + id + "/" + take;
    }

    private static Take seen(TakeSql sql, UUID id, String take) {
        sql.find(id, false).orElseThrow(() -> Failure.notFound("Project"));
        return sql.take(id, keyOf(id, take)).orElseThrow(() -> Failure.notFound("Take"));
    }

    /** A change of the pool as the caller, after locking the project (404 unseen, 403 seen only). */
    private <T> T editPool(Identity who, UUID id, java.util.function.Function<TakeSql, T> work) {
        return SqlStates.onRefusal(() -> db.as(who, handle -> {
            TakeSql sql = new TakeSql(handle);
            if (sql.find(id, true).isEmpty()) {
                throw sql.find(id, false).isPresent() ? Failure.forbidden(POOL_FORBIDDEN) : Failure.notFound("Project");
            }
            return work.apply(sql);
        }), () -> Failure.forbidden(POOL_FORBIDDEN));
    }

    /** Writes a take's waveform, as {@link #waveform} does the project's take. */
    public void takeWaveform(Identity who, UUID id, String take, int samplesPerPixel, int bits, boolean split,
                             Supplier<OutputStream> out) throws IOException {
        peaks.write(take(who, id, take).key(), samplesPerPixel, bits, split, out);
    }

    /** The storage key of a take, for a caller who can see the project. */
    public String takeKey(Identity who, UUID id, String take) {
        return take(who, id, take).key();
    }

    // Waveform

    /**
     * Writes the waveform JSON (audiowaveform v2) of the project's take to the stream {@code out} gives, from the
     * take's peak file (see {@link Peaks}); 409 without audio, 503 with Retry-After when the server is drawing as many
     * waveforms as it can.
     */
    public void waveform(Identity who, UUID id, int samplesPerPixel, int bits, boolean split,
                         Supplier<OutputStream> out) throws IOException {
        TakeSql.ProjectTake project = db.as(who, handle -> new TakeSql(handle).find(id, false))
                .orElseThrow(() -> Failure.notFound("Project"));
        if (project.originalAudioPath() == null) {
            throw Failure.conflict("no_audio", "This project has no audio yet");
        }
        peaks.write(project.originalAudioPath(), samplesPerPixel, bits, split, out);
    }

    // Playback

    /** The storage key of the project's original or processed audio, for a caller who can see the project. */
    public String audioKey(Identity who, UUID id, boolean processed) {
        TakeSql.ProjectTake project = db.as(who, handle -> new TakeSql(handle).find(id, false))
                .orElseThrow(() -> Failure.notFound("Project"));
        String key = processed ? project.processedAudioPath() : project.originalAudioPath();
        if (key == null) {
            throw Failure.notFound(processed ? "Processed audio" : "Audio");
        }
        return key;
    }

    private static <T> T refusalAware(Supplier<T> work) {
        return SqlStates.onRefusal(work, () -> Failure.forbidden("Only the project's owner and editors may do this"));
    }
}
