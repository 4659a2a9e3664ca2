package studio.nexus.mixdown;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.bounce.Bounce;
import studio.nexus.jobs.JobContext;

/**
 * The files of a stems download: their names in the zip ({@code 01-Lead_vocal.wav}: the track's place from the top
 * and its name made safe, then {@code mix.wav}), the zip itself, written entry by entry from the files on disk with
 * nothing held in memory, and the sum of the stems as one source (what the stems job runs through the master bus to
 * make {@code mix.wav}). Stateless.
 */
final class StemFiles {
    /** The mix's name in the zip; no stem can have it, every stem's name starts with its number. */
    static final String MIX = "mix.wav";
    static final int MAX_NAME_CHARACTERS = 60;
    private static final int COPY_BUFFER = 1 << 16;

    private StemFiles() {}

    /** A file of the zip: its name there and where its bytes are. */
    record Entry(String name, Path file) {}

    /**
     * The file name of the stem of the track at {@code position} (1-based from the top) of {@code tracks}: the
     * position, zero-padded to the same width for all (at least two digits, so the files sort as the tracks do), a
     * dash, and the track's name with every run of characters other than letters, digits and dashes replaced by one
     * underscore (no separators, dots, spaces or control characters; at most {@value #MAX_NAME_CHARACTERS}
     * characters), then {@code .wav}.
     */
    static String stemName(int position, int tracks, String trackName) {
        int width = Math.max(2, Integer.toString(tracks).length());
        String number = String.format("%0" + width + "d", position);
        return number + "-" + safe(trackName) + ".wav";
    }

    static String safe(String name) {
        String text = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder();
        boolean gap = false;
        int kept = 0;
        for (int i = 0; i < text.length() && kept < MAX_NAME_CHARACTERS; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c) || c == '-') {
                if (gap && !out.isEmpty()) {
                    out.append('_');
                    kept++;
                }
                gap = false;
                out.appendCodePoint(c);
                kept++;
            } else {
                gap = true;
            }
        }
        return out.isEmpty() ? "Track" : out.toString();
    }

    /**
     * Writes {@code entries} into a new zip at {@code zip}, each stored as it is (PCM does not deflate enough to be
     * worth the time): a first read of each file takes its CRC, a second copies it in blocks. Stops as soon as the
     * job must; reports the bytes done through {@code progress}.
     */
    static void zip(Path zip, List<Entry> entries, Bounce.Progress progress) throws IOException, JobContext.JobStopped {
        long total = 0;
        for (Entry entry : entries) {
            total += Files.size(entry.file());
        }
        long[] done = {0};
        long all = Math.max(1, 2 * total);
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(zip), COPY_BUFFER);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (Entry entry : entries) {
                long size = Files.size(entry.file());
                CRC32 crc = new CRC32();
                try (InputStream in = Files.newInputStream(entry.file())) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        crc.update(buffer, 0, n);
                        step(progress, done, n, all);
                    }
                }
                ZipEntry zipped = new ZipEntry(entry.name());
                zipped.setMethod(ZipEntry.STORED);
                zipped.setSize(size);
                zipped.setCompressedSize(size);
                zipped.setCrc(crc.getValue());
                out.putNextEntry(zipped);
                try (InputStream in = Files.newInputStream(entry.file())) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        step(progress, done, n, all);
                    }
                }
                out.closeEntry();
            }
        }
    }

    private static void step(Bounce.Progress progress, long[] done, int bytes, long all) throws JobContext.JobStopped {
        done[0] += bytes;
        progress.report((double) done[0] / all);
        if (progress.mustStop()) {
            throw progress.stopped();
        }
    }

    /** The stems summed sample by sample: the master bus before the master chain (they are all of one length). */
    static AudioSource sum(List<Path> stems) throws IOException {
        List<DecodedAudio> opened = new ArrayList<>();
        try {
            for (Path stem : stems) {
                opened.add(Decoders.open(stem));
            }
            return new Sum(opened);
        } catch (IOException | RuntimeException e) {
            for (DecodedAudio source : opened) {
                try {
                    source.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static final class Sum implements AudioSource {
        private final List<DecodedAudio> stems;
        private final double sampleRate;
        private final int channels;
        private final long length;
        /** What each stem reads into, and where a short read's remainder lands before it is moved in place. */
        private float[][] scratch = new float[0][0];
        private float[][] rest = new float[0][0];

        Sum(List<DecodedAudio> stems) {
            if (stems.isEmpty()) {
                throw new IllegalArgumentException("no stems to sum");
            }
            this.stems = stems;
            DecodedAudio first = stems.get(0);
            this.sampleRate = first.sampleRate();
            this.channels = first.channels();
            long frames = first.lengthFrames();
            for (DecodedAudio stem : stems) {
                if (stem.sampleRate() != sampleRate || stem.channels() != channels) {
                    throw new IllegalArgumentException("stems differ in rate or channels");
                }
                frames = stem.lengthFrames() < 0 || frames < 0 ? UNKNOWN_LENGTH : Math.max(frames, stem.lengthFrames());
            }
            this.length = frames;
        }

        @Override
        public double sampleRate() {
            return sampleRate;
        }

        @Override
        public int channels() {
            return channels;
        }

        @Override
        public long lengthFrames() {
            return length;
        }

        @Override
        public int read(float[][] buffer, int frames) throws IOException {
            if (scratch.length != channels || scratch[0].length < frames) {
                scratch = new float[channels][frames];
                rest = new float[channels][frames];
            }
            for (int c = 0; c < channels; c++) {
                java.util.Arrays.fill(buffer[c], 0, frames, 0f);
            }
            int longest = -1;
            for (DecodedAudio stem : stems) {
                int got = readFully(stem, frames);
                for (int c = 0; c < channels; c++) {
                    float[] in = scratch[c];
                    float[] out = buffer[c];
                    for (int i = 0; i < got; i++) {
                        out[i] += in[i];
                    }
                }
                longest = Math.max(longest, got);
            }
            return longest > 0 ? longest : -1;
        }

        /** Reads up to {@code frames} into the scratch buffer, fewer only at the stem's end. */
        private int readFully(DecodedAudio stem, int frames) throws IOException {
            int filled = 0;
            int idle = 0;
            while (filled < frames) {
                int got = stem.read(filled == 0 ? scratch : rest, frames - filled);
                if (got < 0) {
                    break;
                }
                if (got == 0) {
                    if (++idle > 1000) {
                        throw new IOException("a stem returned no data 1000 times in a row");
                    }
                    continue;
                }
                if (filled > 0) {
                    for (int c = 0; c < channels; c++) {
                        System.arraycopy(rest[c], 0, scratch[c], filled, got);
                    }
                }
                filled += got;
            }
            return filled;
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (DecodedAudio stem : stems) {
                try {
                    stem.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
