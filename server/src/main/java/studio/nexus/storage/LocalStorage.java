package studio.nexus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Objects as files under one root directory ({@code STUDIO_STORAGE_DIR}, default {@code <data>/storage}). Writes go to
 * a temporary file in the target's directory and are renamed into place, so readers never see half a file and a
 * failed write leaves nothing behind. Every key is validated and resolved inside the root. Thread-safe.
 */
public final class LocalStorage implements Storage {
    private static final int BUFFER = 64 * 1024;
    private final Path root;
    private final Path temp;

    public LocalStorage(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
        this.temp = Files.createDirectories(this.root.resolve(".tmp"));
    }

    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        Path path = root.resolve(StorageKeys.requireValid(key)).normalize();
        if (!path.startsWith(root) || path.startsWith(temp)) {
            throw new IllegalArgumentException("key outside storage: " + key);
        }
        return path;
    }

    @Override
    public StoredObject put(String key, InputStream data, long maxBytes) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try {
            long written = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(partial)) {
                int read;
                while ((read = data.read(buffer)) != -1) {
                    written += read;
                    if (written > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    out.write(buffer, 0, read);
                }
            }
            moveIntoPlace(partial, target);
            return stat(key).orElseThrow();
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public StoredObject putFile(String key, Path file) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".import-", ".part");
        try {
            try {
                // same volume as the temporary files (newTempFile): a rename, not a copy of a large render
                Files.move(file, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            moveIntoPlace(partial, target);
            return stat(key).orElseThrow();
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public Optional<StoredObject> stat(String key) throws IOException {
        Path path = resolve(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            String etag = "\"" + Long.toHexString(attributes.size()) + "-"
                    + Long.toHexString(attributes.lastModifiedTime().toMillis()) + "-"
                    + Integer.toHexString(key.hashCode()) + "\"";
            return Optional.of(new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant(), etag));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        InputStream in = Files.newInputStream(resolve(key));
        in.skipNBytes(offset);
        return in;
    }

    @Override
    public LocalFile localFile(String key) throws IOException {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(key);
        }
        return new LocalFile() {
            public Path path() {
                return path;
            }

            public void close() {
                // the object itself: nothing to release
            }
        };
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(resolve(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = resolve(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().startsWith("."))
                    .forEach(path -> keys.add(root.relativize(path).toString().replace('\\', '/')));
        }
        return keys;
    }

    @Override
    public Path newTempFile(String suffix) throws IOException {
        return Files.createTempFile(temp, "work-", suffix);
    }
}
