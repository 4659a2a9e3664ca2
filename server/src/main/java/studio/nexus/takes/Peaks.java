package studio.nexus.takes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.nexus.core.Failure;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.decode.AudioDecodeException;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.waveform.PeakFile;
import studio.nexus.storage.Storage;
import studio.nexus.storage.StorageKeys;

/**
 * A take's peaks, kept as a {@link PeakFile} at {@link StorageKeys#peaksOf the take's key + ".peaks"}: written from
 * the same decoding pass that checks the audio at upload (and when an AI result is kept), or on the first waveform
 * request of a take that has none (one stored before peak files). A take's key is never reused, so its peak file is
 * never stale. A waveform at any zoom of at least {@link #BASE_SAMPLES_PER_PIXEL} is streamed from the stored levels
 * by one range read: from the coarsest level that divides the zoom (exactly the peaks of the audio), else from the
 * finest level, each pixel the min/max of the stored pixels its span overlaps (edges may widen by under 128 frames,
 * less than a pixel at that zoom; see {@link PeakFile#writeJson}). Only a finer zoom decodes the take, into a
 * temporary peak file at exactly that zoom, and streams it. Either way a request holds a fixed amount of memory,
 * whatever the take's length and zoom.
 *
 * <p>Concurrency is capped: at most {@link #READS} waveforms are served at once (a short wait, then 503 with
 * Retry-After) and at most {@link #DECODES} of them decode audio (503 at once when none is free), so a burst of fine
 * zooms waits or is told to retry, never exhausts the heap. Thread-safe.
 */
public final class Peaks {
    private static final Logger log = LoggerFactory.getLogger(Peaks.class);
    /** Finest stored level; finer zooms decode. 128 frames is 2.9 ms at 44.1 kHz, finer than any screen shows a take. */
    static final int BASE_SAMPLES_PER_PIXEL = 128;
    /** Each stored level is this many times coarser than the one before: 128, 512, 2048, … 131072. */
    static final int LEVEL_FACTOR = 4;
    static final int LEVELS = 6;
    static final long MAX_PIXELS = 4_000_000;
    public static final int READS = 8;
    public static final int DECODES = 2;
    private static final long READ_WAIT_MILLIS = 1000;

    private final Storage storage;
    private final Semaphore reads = new Semaphore(READS);
    private final Semaphore decodes = new Semaphore(DECODES);

    Peaks(Storage storage) {
        this.storage = storage;
    }

    /** Reads {@code audio} to its end into the peak file {@code target}; the header says how many frames decoded. */
    static PeakFile.Header build(AudioSource audio, Path target) throws IOException {
        return PeakFile.build(audio, BASE_SAMPLES_PER_PIXEL, LEVEL_FACTOR, LEVELS, target);
    }

    /**
     * Writes the waveform JSON of the take at {@code audioKey} to the stream {@code out} gives (asked for only once the
     * answer is sure, so every refusal before it is still a problem+json answer).
     */
    void write(String audioKey, int samplesPerPixel, int bits, boolean split, Supplier<OutputStream> out)
            throws IOException {
        if (!acquire(reads, READ_WAIT_MILLIS)) {
            throw busy();
        }
        try {
            String key = StorageKeys.peaksOf(audioKey);
            PeakFile.Header header = header(key);
            if (header == null) {
                header = buildMissing(audioKey, key);
            }
            long pixels = (header.frames() + samplesPerPixel - 1) / samplesPerPixel;
            if (pixels > MAX_PIXELS) {
                throw Failure.badRequest("too_many_pixels", "samples_per_pixel must be at least "
                        + (header.frames() / MAX_PIXELS + 1) + " for this audio (at most " + MAX_PIXELS + " pixels)");
            }
            PeakFile.Level level = header.levelToServe(samplesPerPixel);
            if (level != null) {
                try (InputStream in = storage.open(key, split ? level.splitOffset() : level.mixOffset())) {
                    PeakFile.writeJson(header, level, split, samplesPerPixel, bits, in, out.get());
                }
            } else {
                writeDecoded(audioKey, samplesPerPixel, bits, split, out);
            }
        } finally {
            reads.release();
        }
    }

    /** A zoom finer than every stored level: decode the take into a one-level peak file at that zoom, then stream it. */
    private void writeDecoded(String audioKey, int samplesPerPixel, int bits, boolean split, Supplier<OutputStream> out)
            throws IOException {
        Path temp = storage.newTempFile(".peaks");
        try {
            if (!decodes.tryAcquire()) {
                throw busy();
            }
            PeakFile.Header header;
            try (Storage.LocalFile file = storage.localFile(audioKey);
                 DecodedAudio audio = Decoders.open(file.path())) {
                header = PeakFile.build(audio, samplesPerPixel, 2, 1, temp);
            } catch (AudioDecodeException e) {
                throw new IOException("a stored take no longer decodes: " + e.getMessage(), e);
            } finally {
                decodes.release();
            }
            PeakFile.Level level = header.levels().get(0);
            try (InputStream in = Files.newInputStream(temp)) {
                in.skipNBytes(split ? level.splitOffset() : level.mixOffset());
                PeakFile.writeJson(header, level, split, samplesPerPixel, bits, in, out.get());
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The stored header, or null when the take has no (readable) peak file yet. */
    private PeakFile.Header header(String key) throws IOException {
        if (storage.stat(key).isEmpty()) {
            return null;
        }
        try (InputStream in = new BufferedInputStream(storage.open(key, 0), 4096)) {
            return PeakFile.readHeader(in);
        } catch (IOException e) {
            log.warn("peak file {} is unreadable; building it again", key, e);
            return null;
        }
    }

    /**
     * Builds and stores the peak file of a take that has none. Two requests may both build it; each write is atomic
     * and the contents are the same. A file made for a take replaced meanwhile is swept with that take.
     */
    private PeakFile.Header buildMissing(String audioKey, String key) throws IOException {
        if (!decodes.tryAcquire()) {
            throw busy();
        }
        Path temp = null;
        try {
            temp = storage.newTempFile(".peaks");
            PeakFile.Header header;
            try (Storage.LocalFile file = storage.localFile(audioKey);
                 DecodedAudio audio = Decoders.open(file.path())) {
                header = build(audio, temp);
            } catch (AudioDecodeException e) {
                throw new IOException("a stored take no longer decodes: " + e.getMessage(), e);
            }
            storage.putFile(key, temp);
            return header;
        } finally {
            decodes.release();
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static boolean acquire(Semaphore semaphore, long millis) {
        try {
            return semaphore.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Failure busy() {
        return Failure.busy("busy", "Busy", "The server is drawing as many waveforms as it can; try again", 1)
                .with(Map.of("retry_after_seconds", 1));
    }
}
