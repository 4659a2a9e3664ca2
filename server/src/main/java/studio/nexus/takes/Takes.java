package studio.nexus.takes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
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

    /**
     * Streams {@code body} to a temporary file (at most the upload limit), detects and decodes it, computes the
     * waveform, stores it under a fresh key and attaches it to the project in one transaction as the caller, which
     * also charges the object to the uploader (refused past the plan's storage). On any failure nothing stays
     * behind: no file, no row, no charge.
     */
    public Uploaded upload(Identity who, UUID id, InputStream body) throws IOException {
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
            long megabytes = Math.max(1, (size + MIB - 1) / MIB);
            String newKey = StorageKeys.projectAudio(id, "original", StorageKeys.audioExtension(info.formatName()));
            storage.putFile(newKey, temp);
            key = newKey;
            // the peak file goes before the take is attached, so an attached take always has one
            peaksKey = StorageKeys.peaksOf(newKey);
            storage.putFile(peaksKey, peaksTemp);
            long usedMb = refusalAware(() -> db.as(who, handle -> {
                TakeSql sql = new TakeSql(handle);
                TakeSql.ProjectTake project = sql.find(id, true).orElseThrow(() -> Failure.notFound("Project"));
                if ("processing".equals(project.status())) {
                    throw Failure.conflict("render_in_progress",
                            "A render of this project is running; upload again when it has finished");
                }
                Usage.chargeStorage(handle, newKey, withPeaks(storage, newKey, size), me, id, true,
                        new Usage.AudioFacts(duration, info.sampleRate(), info.channels(), null));
                if (!sql.attachOriginal(id, newKey, duration, info.sampleRate(), info.channels())) {
                    throw Failure.forbidden("Only the project's owner and editors change its audio");
                }
                return sql.storageUsedMb(me);
            }));
            key = null; // attached: it belongs to the project now
            peaksKey = null;
            boolean truncated = info.truncated() || info.lengthFrames() > frames; // it promised more than decoded
            return new Uploaded(id, info.formatName(), duration, info.sampleRate(), info.channels(),
                    info.bitsPerSample(), size, megabytes, truncated, usedMb);
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
