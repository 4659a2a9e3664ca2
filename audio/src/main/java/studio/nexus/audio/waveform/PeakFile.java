package studio.nexus.audio.waveform;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import studio.nexus.audio.AudioSource;

/**
 * Peaks of a take at several resolutions, made in one streaming pass and read back by ranges, so a waveform at any
 * supported zoom costs a fixed amount of memory however long the take is.
 *
 * <p>Layout (big-endian): a header — magic {@code SNPK}, version, sample rate, channels, frames, level count, then
 * per level its samples per pixel, pixel count and the offsets of its two blocks — followed by the blocks. Each
 * level has a mix block (per pixel: min, max of the mean of the channels) and, for more than one channel, a split
 * block (per pixel, per channel: min, max); a mono take's split block is its mix block. Values are 16-bit as
 * {@link WaveformGenerator} maps them, so an 8-bit answer is each value shifted right by 8 and every answer equals
 * what {@link WaveformGenerator} computes from the audio. Level {@code i} has {@code base × factor^i} samples per
 * pixel; a level's pixel {@code p} covers frames {@code [p × spp, (p + 1) × spp)}, the last one partial.
 *
 * <p>Stateless; thread-safe.
 */
public final class PeakFile {
    static final int MAGIC = 0x534E504B; // "SNPK"
    static final int VERSION = 1;
    private static final int BLOCK = 8192;
    private static final int MAX_LEVELS = 16;
    private static final int MAX_CHANNELS = 64;

    private PeakFile() {}

    /** One resolution: {@code splitOffset} equals {@code mixOffset} for a mono take. */
    public record Level(int samplesPerPixel, long pixels, long mixOffset, long splitOffset) {}

    /** What the header says; {@code frames} is what decoded, not what the container declared. */
    public record Header(int sampleRate, int channels, long frames, List<Level> levels) {
        /** The coarsest level whose resolution divides {@code samplesPerPixel}, or null when none does. */
        public Level levelFor(int samplesPerPixel) {
            Level best = null;
            for (Level level : levels) {
                if (samplesPerPixel % level.samplesPerPixel() == 0) {
                    best = level;
                }
            }
            return best;
        }

        /**
         * The level to serve {@code samplesPerPixel} from: the coarsest one that divides it (exact), else the finest
         * level when the zoom is at least as coarse as it (see {@link #writeJson} for the widening), else null: a
         * zoom finer than every level must decode the audio.
         */
        public Level levelToServe(int samplesPerPixel) {
            Level exact = levelFor(samplesPerPixel);
            if (exact != null || levels.isEmpty()) {
                return exact;
            }
            Level finest = levels.get(0);
            for (Level level : levels) {
                if (level.samplesPerPixel() < finest.samplesPerPixel()) {
                    finest = level;
                }
            }
            return samplesPerPixel >= finest.samplesPerPixel() ? finest : null;
        }
    }

    /**
     * Reads {@code source} to its end (does not close it) and writes its peak file to {@code target}, with
     * {@code levels} levels from {@code baseSamplesPerPixel}, each {@code factor} times coarser. Memory: one read
     * block and one small buffer per level; the blocks go through temporary files beside {@code target}.
     */
    public static Header build(AudioSource source, int baseSamplesPerPixel, int factor, int levels, Path target)
            throws IOException {
        if (baseSamplesPerPixel < 2 || factor < 2 || levels < 1 || levels > MAX_LEVELS
                || (long) baseSamplesPerPixel * Math.pow(factor, levels - 1) > 1 << 30) {
            throw new IllegalArgumentException("unsupported peak levels");
        }
        int channels = source.channels();
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be 1.." + MAX_CHANNELS);
        }
        boolean split = channels > 1;
        Path dir = target.toAbsolutePath().getParent();
        List<Path> temps = new ArrayList<>();
        List<DataOutputStream> outs = new ArrayList<>();
        try {
            for (int i = 0; i < levels * (split ? 2 : 1); i++) {
                Path temp = Files.createTempFile(dir, "peaks", ".part");
                temps.add(temp);
                outs.add(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 16 * 1024)));
            }
            Cascade cascade = new Cascade(channels, split, levels, factor, outs);
            float[][] buf = new float[channels][BLOCK];
            int[] values = new int[channels + 1];
            float mixScale = 1f / channels;
            long frames = 0;
            int inPixel = 0;
            int n;
            while ((n = source.read(buf, BLOCK)) >= 0) {
                for (int i = 0; i < n; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += buf[c][i];
                        if (split) {
                            values[c + 1] = WaveformGenerator.toInt(buf[c][i]);
                        }
                    }
                    values[0] = WaveformGenerator.toInt(sum * mixScale);
                    cascade.sample(values);
                    if (++inPixel == baseSamplesPerPixel) {
                        cascade.endPixel(0);
                        inPixel = 0;
                    }
                }
                frames += n;
            }
            cascade.finish(inPixel > 0);
            for (DataOutputStream out : outs) {
                out.close();
            }
            outs.clear();
            List<Level> list = new ArrayList<>();
            int headerSize = 4 * 4 + 8 + 4 + levels * (4 + 8 + 8 + 8);
            long offset = headerSize;
            for (int level = 0; level < levels; level++) {
                long pixels = cascade.pixels[level];
                long mix = offset;
                offset += pixels * 4;
                long splitOffset = mix;
                if (split) {
                    splitOffset = offset;
                    offset += pixels * 4 * channels;
                }
                list.add(new Level(baseSamplesPerPixel * (int) Math.pow(factor, level), pixels, mix, splitOffset));
            }
            Header header = new Header((int) Math.round(source.sampleRate()), channels, frames, List.copyOf(list));
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(target)))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(header.sampleRate());
                out.writeInt(channels);
                out.writeLong(frames);
                out.writeInt(levels);
                for (Level level : list) {
                    out.writeInt(level.samplesPerPixel());
                    out.writeLong(level.pixels());
                    out.writeLong(level.mixOffset());
                    out.writeLong(level.splitOffset());
                }
                for (Path temp : temps) {
                    Files.copy(temp, out);
                }
            }
            return header;
        } finally {
            for (DataOutputStream out : outs) {
                out.close();
            }
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Reads the header from the start of a peak file; a file that is not one is an {@link IOException}. */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            if (data.readInt() != MAGIC || data.readInt() != VERSION) {
                throw new IOException("not a peak file");
            }
            int sampleRate = data.readInt();
            int channels = data.readInt();
            long frames = data.readLong();
            int count = data.readInt();
            if (channels < 1 || channels > MAX_CHANNELS || count < 1 || count > MAX_LEVELS || frames < 0) {
                throw new IOException("not a peak file");
            }
            List<Level> levels = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Level level = new Level(data.readInt(), data.readLong(), data.readLong(), data.readLong());
                if (level.samplesPerPixel() < 1 || level.pixels() < 0 || level.mixOffset() < 0 || level.splitOffset() < 0) {
                    throw new IOException("not a peak file");
                }
                levels.add(level);
            }
            return new Header(sampleRate, channels, frames, List.copyOf(levels));
        } catch (EOFException e) {
            throw new IOException("not a peak file", e);
        }
    }

    /** Pixels of {@code level} merged {@code factor} at a time; the last group may be partial. */
    public static long pixelsAt(Level level, int factor) {
        return (level.pixels() + factor - 1) / factor;
    }

    /**
     * Writes the audiowaveform JSON (version 2) at {@code samplesPerPixel} (at least the level's) from
     * {@code blockStream}, positioned at the level's mix block (mono) or split block; reads that block once, in
     * order, and keeps nothing but a small buffer. Does not close either stream.
     *
     * <p>Output pixel {@code p} covers frames {@code [p × spp, (p + 1) × spp)} and is the min/max of the level's
     * pixels that overlap that span. When {@code samplesPerPixel} is a multiple of the level's, those pixels tile the
     * span exactly and the answer equals the peaks computed from the audio. Otherwise a level pixel that straddles a
     * boundary counts in both output pixels, so a pixel's min/max may reach up to one level pixel (less than the
     * level's samples per pixel, 128 frames at the finest stored level) beyond its span on each edge: never narrower
     * than the truth, and at a zoom of 128 or more frames per pixel a widening of under one pixel is invisible.
     */
    public static void writeJson(Header header, Level level, boolean split, int samplesPerPixel, int bits,
                                 InputStream blockStream, OutputStream out) throws IOException {
        if (samplesPerPixel < level.samplesPerPixel() || (bits != 8 && bits != 16)) {
            throw new IllegalArgumentException("samples per pixel must be at least the level's; bits 8 or 16");
        }
        int tracks = split ? header.channels() : 1;
        int cell = level.samplesPerPixel();
        long length = samplesPerPixel % cell == 0 ? pixelsAt(level, samplesPerPixel / cell)
                : (header.frames() + samplesPerPixel - 1) / samplesPerPixel;
        DataInputStream in = new DataInputStream(blockStream instanceof BufferedInputStream
                ? blockStream : new BufferedInputStream(blockStream, 16 * 1024));
        JsonOut json = new JsonOut(out);
        json.ascii("{\"version\":2,\"channels\":" + tracks + ",\"sample_rate\":" + header.sampleRate()
                + ",\"samples_per_pixel\":" + samplesPerPixel + ",\"bits\":" + bits + ",\"length\":" + length
                + ",\"data\":[");
        int[] lo = new int[tracks];
        int[] hi = new int[tracks];
        // the level pixel read last, which the next output pixel shares when it straddles their boundary
        int[] lastLo = new int[tracks];
        int[] lastHi = new int[tracks];
        int shift = bits == 8 ? 8 : 0;
        boolean first = true;
        long read = 0;
        for (long p = 0; p < length; p++) {
            Arrays.fill(lo, Integer.MAX_VALUE);
            Arrays.fill(hi, Integer.MIN_VALUE);
            long from = p * samplesPerPixel / cell;
            long to = Math.min(level.pixels(), ((p + 1) * samplesPerPixel + cell - 1) / cell);
            if (from < read) {
                for (int t = 0; t < tracks; t++) {
                    lo[t] = lastLo[t];
                    hi[t] = lastHi[t];
                }
            }
            for (; read < to; read++) {
                for (int t = 0; t < tracks; t++) {
                    lastLo[t] = in.readShort();
                    lastHi[t] = in.readShort();
                    lo[t] = Math.min(lo[t], lastLo[t]);
                    hi[t] = Math.max(hi[t], lastHi[t]);
                }
            }
            for (int t = 0; t < tracks; t++) {
                if (!first) {
                    json.comma();
                }
                first = false;
                json.number(lo[t] >> shift);
                json.comma();
                json.number(hi[t] >> shift);
            }
        }
        json.ascii("]}");
        json.flush();
    }

    /** The per-level accumulators: level 0 gathers samples, level i + 1 gathers {@code factor} pixels of level i. */
    private static final class Cascade {
        final int tracks;
        final int levels;
        final int factor;
        final List<DataOutputStream> outs;
        final boolean split;
        final int[][] lo;
        final int[][] hi;
        final int[] count;
        final long[] pixels;

        Cascade(int channels, boolean split, int levels, int factor, List<DataOutputStream> outs) {
            this.split = split;
            this.tracks = split ? channels + 1 : 1;
            this.levels = levels;
            this.factor = factor;
            this.outs = outs;
            this.lo = new int[levels][tracks];
            this.hi = new int[levels][tracks];
            this.count = new int[levels];
            this.pixels = new long[levels];
            for (int l = 0; l < levels; l++) {
                reset(l);
            }
        }

        void reset(int level) {
            Arrays.fill(lo[level], Integer.MAX_VALUE);
            Arrays.fill(hi[level], Integer.MIN_VALUE);
        }

        void sample(int[] values) {
            int[] l0 = lo[0];
            int[] h0 = hi[0];
            for (int t = 0; t < tracks; t++) {
                int v = values[t];
                if (v < l0[t]) {
                    l0[t] = v;
                }
                if (v > h0[t]) {
                    h0[t] = v;
                }
            }
        }

        /** Level {@code level}'s current pixel is complete: write it and pass it to the next level. */
        void endPixel(int level) throws IOException {
            DataOutputStream mix = outs.get(split ? level * 2 : level);
            mix.writeShort(lo[level][0]);
            mix.writeShort(hi[level][0]);
            if (split) {
                DataOutputStream channels = outs.get(level * 2 + 1);
                for (int t = 1; t < tracks; t++) {
                    channels.writeShort(lo[level][t]);
                    channels.writeShort(hi[level][t]);
                }
            }
            pixels[level]++;
            if (level + 1 < levels) {
                int next = level + 1;
                for (int t = 0; t < tracks; t++) {
                    lo[next][t] = Math.min(lo[next][t], lo[level][t]);
                    hi[next][t] = Math.max(hi[next][t], hi[level][t]);
                }
                if (++count[next] == factor) {
                    endPixel(next);
                    count[next] = 0;
                }
            }
            reset(level);
        }

        /** Writes the partial last pixel of each level that has one. */
        void finish(boolean partialBase) throws IOException {
            if (partialBase) {
                endPixel(0);
            }
            for (int level = 1; level < levels; level++) {
                if (count[level] > 0) {
                    count[level] = 0;
                    endPixel(level);
                }
            }
        }
    }

    /** Writes ASCII JSON through a fixed buffer. */
    private static final class JsonOut {
        private final OutputStream out;
        private final byte[] buffer = new byte[32 * 1024];
        private int size;

        JsonOut(OutputStream out) {
            this.out = out;
        }

        void ascii(String s) throws IOException {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            for (byte b : bytes) {
                put(b);
            }
        }

        void comma() throws IOException {
            put((byte) ',');
        }

        void number(int value) throws IOException {
            if (size + 12 > buffer.length) {
                drain();
            }
            if (value < 0) {
                buffer[size++] = '-';
                value = -value; // values are at least -32768, so this never overflows
            }
            int start = size;
            do {
                buffer[size++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            for (int i = start, j = size - 1; i < j; i++, j--) {
                byte t = buffer[i];
                buffer[i] = buffer[j];
                buffer[j] = t;
            }
        }

        private void put(byte b) throws IOException {
            if (size == buffer.length) {
                drain();
            }
            buffer[size++] = b;
        }

        private void drain() throws IOException {
            out.write(buffer, 0, size);
            size = 0;
        }

        void flush() throws IOException {
            drain();
            out.flush();
        }
    }
}
