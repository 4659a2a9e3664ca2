package studio.nexus.audio.decode;

import com.jcraft.jogg.Page;
import com.jcraft.jogg.PacketBudget;
import com.jcraft.jogg.StreamState;
import com.jcraft.jogg.SyncState;
import java.io.IOException;
import java.io.InputStream;

/**
 * The pages of an Ogg stream, read from the input in chunks, for the Ogg decoders (Vorbis, Opus). Bounded against
 * hostile input: refuses 4 MiB without a page, and a packet that would grow the stream's buffer past
 * {@link PacketBudget#MAX_BUFFERED_BYTES}. Not thread-safe (one per decoder).
 */
final class OggPages {
    private static final int CHUNK = 8192;
    private static final int MAX_BYTES_WITHOUT_PAGE = 4 << 20;

    private final InputStream in;
    private final SyncState sync = new SyncState();
    private boolean inputEnded;

    OggPages(InputStream in) {
        this.in = in;
        sync.init();
    }

    /** Fills {@code page} with the next page of the input; false at end of input. */
    boolean next(Page page) throws IOException {
        long bytesWithoutPage = 0;
        while (true) {
            int r = sync.pageout(page);
            if (r == 1) {
                return true;
            }
            if (inputEnded) {
                return false;
            }
            int offset = sync.buffer(CHUNK);
            int n = in.read(sync.data, offset, CHUNK);
            if (n <= 0) {
                inputEnded = true;
                sync.wrote(0);
                continue;
            }
            sync.wrote(n);
            bytesWithoutPage += n;
            if (bytesWithoutPage > MAX_BYTES_WITHOUT_PAGE) {
                throw new CorruptAudioException("Ogg: no page in " + MAX_BYTES_WITHOUT_PAGE + " bytes");
            }
        }
    }

    /** Hands {@code page} to its logical stream, refusing a packet that never ends. */
    static void pageIn(StreamState stream, Page page) throws CorruptAudioException {
        stream.pagein(page);
        if (PacketBudget.exceeded(stream)) {
            throw new CorruptAudioException("Ogg: a packet longer than " + (PacketBudget.MAX_BUFFERED_BYTES >> 20)
                    + " MiB");
        }
    }

    void close() throws IOException {
        in.close();
    }
}
