package studio.nexus.audio.mix;

import java.io.IOException;
import studio.nexus.audio.AudioSource;

/**
 * Where the mixer gets its takes. It asks every take's format once before rendering (so a take it cannot play is
 * refused before any work), and opens a take only while one of its clips plays, closing it after. Frames here are the
 * take's own: for a take at another rate than the song's, the mixer converts the song's frames into the take's
 * before it opens it.
 */
public interface TakeOpener {

    TakeFormat format(String takeId) throws IOException;

    /**
     * Opens the take at frame {@code fromFrame}. The default opens it at its start and reads {@code fromFrame}
     * frames away (our decoders stream and do not seek); an opener that can seek does better by overriding it.
     */
    default AudioSource open(String takeId, long fromFrame) throws IOException {
        AudioSource source = open(takeId);
        try {
            skip(source, fromFrame);
            return source;
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Opens the take at its first frame. */
    AudioSource open(String takeId) throws IOException;

    /** Reads and drops up to {@code frames} frames (fewer if the source ends first). */
    static void skip(AudioSource source, long frames) throws IOException {
        if (frames <= 0) {
            return;
        }
        int block = (int) Math.min(4096, frames);
        float[][] scratch = new float[source.channels()][block];
        long left = frames;
        while (left > 0) {
            int n = source.read(scratch, (int) Math.min(block, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }
}
