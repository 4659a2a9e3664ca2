package studio.nexus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where audio files live. Keys are made by {@link StorageKeys}, never taken from user input. A write is atomic: the
 * object exists whole afterwards, or not at all. Implementations: {@link LocalStorage}; an S3-compatible store
 * implements the same interface, so callers never change. Implementations are thread-safe.
 */
public interface Storage {

    /** An object's size, last change and an entity tag for HTTP caching. */
    record StoredObject(String key, long size, java.time.Instant modified, String etag) {}

    /** The stream was longer than the caller allowed; nothing was stored. */
    final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("larger than " + limit + " bytes");
        }
    }

    /** Streams {@code data} into a new object at {@code key} (at most {@code maxBytes}), atomically. */
    StoredObject put(String key, InputStream data, long maxBytes) throws IOException;

    /** Stores a file made locally (a render, an export), atomically; the file is moved (when it can be) or copied, so the caller must not expect it to remain. */
    StoredObject putFile(String key, Path file) throws IOException;

    Optional<StoredObject> stat(String key) throws IOException;

    /** Reads an object from {@code offset}; the caller closes the stream. */
    InputStream open(String key, long offset) throws IOException;

    /**
     * A local file with the object's bytes, for decoders that seek. For the local store it is the object itself
     * (read-only by convention); a remote store downloads a temporary copy, deleted by {@link LocalFile#close()}.
     */
    LocalFile localFile(String key) throws IOException;

    /** A local file for reading, released when closed. */
    interface LocalFile extends AutoCloseable {
        Path path();

        @Override
        void close() throws IOException;
    }

    /** Deletes an object; false when there was none. */
    boolean delete(String key) throws IOException;

    /** Keys under a prefix (e.g. {@code projects/<id>/}), for sweepers. */
    List<String> list(String prefix) throws IOException;

    /** A new local temporary file for work in progress (renders, exports), on the same volume when possible. */
    Path newTempFile(String suffix) throws IOException;
}
