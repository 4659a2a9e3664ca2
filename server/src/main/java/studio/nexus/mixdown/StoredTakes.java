package studio.nexus.mixdown;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.decode.AudioFormatInfo;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.mix.TakeFormat;
import studio.nexus.audio.mix.TakeOpener;
import studio.nexus.bounce.Bounce;
import studio.nexus.jobs.JobFailure;
import studio.nexus.storage.Storage;

/**
 * The takes of an arrangement as the mixer opens them: each stored take is fetched as a local file through the job's
 * {@link Bounce} (held until it closes) and its format read from its header before mixing begins, so a missing or
 * undecodable take fails the job in words before any work; the mixer then decodes a take ({@link Decoders}) only
 * while one of its clips plays. A request that mixes (a track's preview) has no job: {@link #open} fetches the files
 * itself and holds them until {@link #close}. Not thread-safe (the job's or the request's own thread).
 */
final class StoredTakes implements TakeOpener, AutoCloseable {
    private final Map<String, Path> files = new HashMap<>();
    private final Map<String, TakeFormat> formats = new HashMap<>();
    /** The local files this opener holds itself (a request's); a job's are held by its {@link Bounce}. */
    private final List<Storage.LocalFile> held = new ArrayList<>();

    private StoredTakes() {}

    /** @param takeKeys the stored key of every take, by the id the arrangement's clips name it with */
    static StoredTakes fetch(Bounce bounce, Map<String, String> takeKeys) throws IOException, JobFailure {
        StoredTakes takes = new StoredTakes();
        for (Map.Entry<String, String> take : takeKeys.entrySet()) {
            Path file = bounce.source(take.getValue());
            AudioFormatInfo info = bounce.probe(file);
            takes.files.put(take.getKey(), file);
            takes.formats.put(take.getKey(), new TakeFormat(info.sampleRate(), info.channels(), info.lengthFrames()));
        }
        return takes;
    }

    /**
     * On a request's thread: every take fetched from {@code storage} as a local file and its format read from its
     * header, held until {@link #close}. A take missing from storage throws {@link java.nio.file.NoSuchFileException},
     * one that no longer decodes an {@link studio.nexus.audio.decode.AudioDecodeException}; whatever was fetched
     * before is released again.
     */
    static StoredTakes open(Storage storage, Map<String, String> takeKeys) throws IOException {
        StoredTakes takes = new StoredTakes();
        try {
            for (Map.Entry<String, String> take : takeKeys.entrySet()) {
                Storage.LocalFile file = storage.localFile(take.getValue());
                takes.held.add(file);
                AudioFormatInfo info;
                try (var probe = Decoders.open(file.path())) {
                    info = probe.info();
                }
                takes.files.put(take.getKey(), file.path());
                takes.formats.put(take.getKey(), new TakeFormat(info.sampleRate(), info.channels(),
                        info.lengthFrames()));
            }
            return takes;
        } catch (IOException | RuntimeException e) {
            try {
                takes.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Releases the local files this opener fetched itself (none for a job's). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Storage.LocalFile file : held) {
            try {
                file.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        held.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public TakeFormat format(String takeId) {
        return formats.get(takeId);
    }

    @Override
    public AudioSource open(String takeId) throws IOException {
        Path file = files.get(takeId);
        if (file == null) {
            throw new NoSuchFileException(takeId);
        }
        return Decoders.open(file);
    }
}
