package studio.nexus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalStorageTest {
    @TempDir Path dir;

    @Test
    void aStoredObjectReadsBackWholeFromAnyOffset() throws IOException {
        LocalStorage storage = new LocalStorage(dir);
        String key = StorageKeys.projectAudio(UUID.randomUUID(), "original", "wav");
        Storage.StoredObject stored = storage.put(key, new ByteArrayInputStream("0123456789".getBytes()), 100);
        assertThat(stored.size()).isEqualTo(10);
        assertThat(stored.etag()).startsWith("\"");
        try (InputStream in = storage.open(key, 4)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("456789");
        }
        assertThat(storage.list("projects/")).containsExactly(key);
        assertThat(storage.delete(key)).isTrue();
        assertThat(storage.stat(key)).isEmpty();
    }

    @Test
    void aTooLargeUploadLeavesNoFileBehind() throws IOException {
        LocalStorage storage = new LocalStorage(dir);
        String key = StorageKeys.projectAudio(UUID.randomUUID(), "original", "wav");
        assertThatThrownBy(() -> storage.put(key, new ByteArrayInputStream(new byte[1000]), 999))
                .isInstanceOf(Storage.TooLarge.class);
        assertThat(storage.stat(key)).isEmpty();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aFailingStreamLeavesNoFileBehind() throws IOException {
        LocalStorage storage = new LocalStorage(dir);
        String key = StorageKeys.projectAudio(UUID.randomUUID(), "original", "wav");
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 5000) {
                    throw new IOException("client went away");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> storage.put(key, broken, 1 << 20)).hasMessageContaining("went away");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "/etc/passwd", "projects/../../x", "projects/a/../../../b", ".tmp/x",
            "Projects/X", "projects//x", "", "projects/a b"})
    void keysThatCouldEscapeTheRootAreRefused(String key) throws IOException {
        LocalStorage storage = new LocalStorage(dir);
        assertThatThrownBy(() -> storage.stat(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.put(key, new ByteArrayInputStream(new byte[1]), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysNeverContainUserInput() {
        assertThatThrownBy(() -> StorageKeys.projectAudio(UUID.randomUUID(), "../x", "wav"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageKeys.projectAudio(UUID.randomUUID(), "original", "w/av"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StorageKeys.projectAudio(UUID.fromString("00000000-0000-0000-0000-000000000001"), "original", "WAV"))
                .matches("projects/00000000-0000-0000-0000-000000000001/original-[0-9a-f-]{36}\\.wav");
    }
}
