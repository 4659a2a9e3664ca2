package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class VorbisSetupGuardTest {

    /** LSB-first bit writer, as Vorbis packs its headers. */
    static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int current;
        int used;

        Bits put(long value, int bits) {
            for (int i = 0; i < bits; i++) {
                current |= (int) ((value >>> i) & 1) << used;
                if (++used == 8) {
                    out.write(current);
                    current = 0;
                    used = 0;
                }
            }
            return this;
        }

        byte[] bytes() {
            if (used > 0) {
                out.write(current);
            }
            return out.toByteArray();
        }
    }

    static Bits setupHeader() {
        Bits b = new Bits().put(5, 8);
        for (char ch : "vorbis".toCharArray()) {
            b.put(ch, 8);
        }
        return b;
    }

    @Test
    void orderedCodebookDeclaringMillionsOfEntriesInAFewBytesIsRefused() {
        int entries = (1 << 24) - 1;
        byte[] packet = setupHeader().put(0, 8).put(0x564342, 24).put(1, 16).put(entries, 24)
                .put(1, 1).put(0, 5).put(entries, 24).put(0, 4).bytes();
        assertTrue(packet.length < 30);
        CorruptAudioException e = assertThrows(CorruptAudioException.class,
                () -> VorbisSetupGuard.check(packet, 0, packet.length));
        assertTrue(e.getMessage().contains("entries"), e.getMessage());
    }

    @Test
    void aReasonableCodebookPassesAndATruncatedOneIsCorrupt() throws Exception {
        Bits b = setupHeader().put(0, 8).put(0x564342, 24).put(2, 16).put(4, 24).put(0, 1).put(0, 1);
        for (int i = 0; i < 4; i++) {
            b.put(1, 5);
        }
        byte[] packet = b.put(0, 4).bytes();
        VorbisSetupGuard.check(packet, 0, packet.length);
        assertThrows(CorruptAudioException.class, () -> VorbisSetupGuard.check(packet, 0, 12));
    }
}
