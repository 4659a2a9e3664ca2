package studio.nexus.audio.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads what audio decoding needs from an MP4/M4A file (ISO base media, as iPhones and iTunes write):
 * the first sound track's codec and its configuration, the sample table (sizes, chunk offsets,
 * samples per chunk) and the edit list. Hand-written and small: a general MP4 library would bring a
 * video stack and size its buffers from the boxes. Here {@code moov} is read into memory only up to
 * {@value #MAX_MOOV} bytes and never past the file; every count is checked against the bytes that hold
 * it, so a lying box can only make us refuse. Immutable after {@link #read}.
 */
final class Mp4Audio {
    static final int MAX_MOOV = 16 << 20; // an hour of AAC indexes in under 2 MiB
    private static final int MAX_DEPTH = 8;

    String codec; // "mp4a", "alac", ...
    byte[] config; // AAC AudioSpecificConfig, or the ALAC magic cookie
    int objectType; // MPEG-4 objectTypeIndication of mp4a (0x40 = AAC)
    int channels;
    int entryRate;
    long mediaTimescale;
    long movieTimescale;
    long mediaDuration;
    int constantSampleSize;
    int[] sampleSizes; // null when constant
    int sampleCount;
    long[] chunkOffsets;
    int[] stscFirstChunk;
    int[] stscSamplesPerChunk;
    long editStart = -1; // media time where the edit begins (encoder priming), -1: no edit list
    long editDuration = -1; // in the movie timescale
    int[] sttsCounts; // time-to-sample runs: so many samples of so many ticks each; null when absent or unusable
    long[] sttsDeltas;
    boolean fragmented; // moov says more samples follow in movie fragments (moof), which we do not read
    int samplesPresent; // samples of the table the file holds whole, in reading order up to the first it does not
    boolean truncated; // the table places samples past the end of the file: a file cut short
    long presentTime = -1; // media time of the samples present, from stts; -1 when stts does not tell
    private boolean brokenSample; // the count stopped at a sample reading refuses (of no bytes, or too large)
    private boolean inSoundTrack;
    private boolean haveSoundTrack;

    private Mp4Audio() {}

    static Mp4Audio read(FileChannel file) throws IOException {
        long size = file.size();
        long pos = 0;
        for (int box = 0; box < Limits.MAX_CHUNKS && pos + 8 <= size; box++) {
            ByteBuffer h = ByteBuffer.allocate(16);
            file.read(h, pos);
            long boxSize = h.getInt(0) & 0xffffffffL;
            String type = new String(h.array(), 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (boxSize == 1) {
                boxSize = h.getLong(8);
                header = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (boxSize < header || boxSize > size - pos) {
                throw new CorruptAudioException("MP4: box '" + printable(type) + "' at byte " + pos + " claims "
                        + boxSize + " bytes of a " + size + "-byte file");
            }
            if (type.equals("moov")) {
                if (boxSize - header > MAX_MOOV) {
                    throw new CorruptAudioException("MP4: a " + boxSize + "-byte moov box");
                }
                ByteBuffer moov = ByteBuffer.allocate((int) (boxSize - header));
                while (moov.hasRemaining()) {
                    if (file.read(moov, pos + header + moov.position()) < 0) {
                        throw new CorruptAudioException("MP4: file ends inside moov");
                    }
                }
                Mp4Audio a = new Mp4Audio();
                a.walk(moov.array(), 0, moov.capacity(), "moov", 0);
                a.check();
                return a;
            }
            pos += boxSize;
        }
        throw new CorruptAudioException("MP4: no moov box (the file's index): not a finished recording");
    }

    private void walk(byte[] b, int from, int to, String parent, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new CorruptAudioException("MP4: boxes nested deeper than " + MAX_DEPTH);
        }
        int p = from;
        while (p + 8 <= to) {
            long boxSize = u32(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (boxSize == 1 && p + 16 <= to) {
                boxSize = ((long) u32(b, p + 8) << 32) | u32(b, p + 12);
                header = 16;
            } else if (boxSize == 0) {
                boxSize = to - p;
            }
            if (boxSize < header || boxSize > to - p) {
                throw new CorruptAudioException("MP4: box '" + printable(type) + "' in " + parent + " claims "
                        + boxSize + " bytes of " + (to - p));
            }
            int start = p + header;
            int end = (int) (p + boxSize);
            switch (type) {
                case "trak" -> {
                    if (!haveSoundTrack) {
                        Mp4Audio probe = new Mp4Audio();
                        probe.movieTimescale = movieTimescale;
                        probe.inSoundTrack = true;
                        if (probe.isSoundTrack(b, start, end, 0)) {
                            probe.walk(b, start, end, "trak", depth + 1);
                            copyFrom(probe);
                            haveSoundTrack = true;
                        }
                    }
                }
                case "mdia", "minf", "stbl", "edts" -> walk(b, start, end, type, depth + 1);
                case "mvex" -> fragmented = true;
                case "mvhd" -> {
                    need(end - start >= 32, "mvhd");
                    movieTimescale = u32(b, start + (b[start] == 1 ? 20 : 12));
                }
                case "mdhd" -> {
                    need(end - start >= 24, "mdhd");
                    boolean v1 = b[start] == 1;
                    need(!v1 || end - start >= 36, "mdhd");
                    mediaTimescale = u32(b, start + (v1 ? 20 : 12));
                    mediaDuration = v1 ? ((long) u32(b, start + 24) << 32) | u32(b, start + 28) : u32(b, start + 16);
                }
                case "elst" -> readEditList(b, start, end);
                case "stsd" -> readSampleDescription(b, start, end);
                case "stsz" -> readSampleSizes(b, start, end);
                case "stco", "co64" -> readChunkOffsets(b, start, end, type.equals("co64"));
                case "stsc" -> readSampleToChunk(b, start, end);
                case "stts" -> readTimeToSample(b, start, end);
                default -> { } // udta, hdlr, smhd...: not needed to decode
            }
            p = end;
        }
    }

    private boolean isSoundTrack(byte[] b, int from, int to, int depth) {
        int p = from;
        while (p + 8 <= to && depth < MAX_DEPTH) {
            long boxSize = u32(b, p);
            if (boxSize < 8 || boxSize > to - p) {
                return false;
            }
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("mdia") && isSoundTrack(b, p + 8, (int) (p + boxSize), depth + 1)) {
                return true;
            }
            if (type.equals("hdlr") && boxSize >= 20) {
                return new String(b, p + 16, 4, StandardCharsets.ISO_8859_1).equals("soun");
            }
            p += (int) boxSize;
        }
        return false;
    }

    private void copyFrom(Mp4Audio t) {
        codec = t.codec;
        config = t.config;
        objectType = t.objectType;
        channels = t.channels;
        entryRate = t.entryRate;
        mediaTimescale = t.mediaTimescale;
        mediaDuration = t.mediaDuration;
        constantSampleSize = t.constantSampleSize;
        sampleSizes = t.sampleSizes;
        sampleCount = t.sampleCount;
        chunkOffsets = t.chunkOffsets;
        stscFirstChunk = t.stscFirstChunk;
        stscSamplesPerChunk = t.stscSamplesPerChunk;
        editStart = t.editStart;
        editDuration = t.editDuration;
        sttsCounts = t.sttsCounts;
        sttsDeltas = t.sttsDeltas;
    }

    private void readEditList(byte[] b, int start, int end) throws CorruptAudioException {
        need(end - start >= 8, "elst");
        boolean v1 = b[start] == 1;
        long count = u32(b, start + 4);
        int entry = v1 ? 20 : 12;
        need(count <= (end - start - 8) / entry, "elst");
        for (int i = 0; i < count; i++) {
            int e = start + 8 + i * entry;
            long duration = v1 ? ((long) u32(b, e) << 32) | u32(b, e + 4) : u32(b, e);
            long mediaTime = v1 ? ((long) u32(b, e + 8) << 32) | u32(b, e + 12) : (int) u32(b, e + 4);
            if (mediaTime >= 0) { // -1 is an empty edit (a silence before the track): not ours to add
                editStart = mediaTime;
                editDuration = duration;
                return; // the first edit with media says where the audio starts and how long it lasts
            }
        }
    }

    private void readSampleDescription(byte[] b, int start, int end) throws IOException {
        need(end - start >= 16 + 28, "stsd");
        int e = start + 8; // version/flags, entry count
        long entrySize = u32(b, e);
        need(entrySize >= 36 && entrySize <= end - e, "stsd");
        codec = new String(b, e + 4, 4, StandardCharsets.ISO_8859_1);
        int version = u16(b, e + 16);
        channels = u16(b, e + 24);
        entryRate = (int) (u32(b, e + 32) >>> 16);
        int children = e + 36 + (version == 1 ? 16 : version == 2 ? 36 : 0);
        int entryEnd = (int) (e + entrySize);
        int p = children;
        while (p + 8 <= entryEnd) {
            long boxSize = u32(b, p);
            need(boxSize >= 8 && boxSize <= entryEnd - p, "stsd entry");
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("esds")) {
                readEsds(b, p + 12, (int) (p + boxSize));
            } else if (type.equals("alac") && boxSize >= 12) {
                config = java.util.Arrays.copyOfRange(b, p + 12, (int) (p + boxSize));
            }
            p += (int) boxSize;
        }
    }

    /** ES_Descriptor (tag 3) → DecoderConfigDescriptor (tag 4) → DecoderSpecificInfo (tag 5). */
    private void readEsds(byte[] b, int p, int end) throws CorruptAudioException {
        int[] cursor = {p, 0};
        if (tag(b, cursor, end) != 3) {
            throw new CorruptAudioException("MP4: esds without an ES descriptor");
        }
        need(cursor[0] + 3 <= end, "esds");
        int flags = b[cursor[0] + 2] & 0xff;
        cursor[0] += 3;
        if ((flags & 0x80) != 0) {
            cursor[0] += 2;
        }
        if ((flags & 0x40) != 0) {
            need(cursor[0] < end, "esds");
            cursor[0] += 1 + (b[cursor[0]] & 0xff);
        }
        if ((flags & 0x20) != 0) {
            cursor[0] += 2;
        }
        if (tag(b, cursor, end) != 4) {
            throw new CorruptAudioException("MP4: esds without a decoder configuration");
        }
        need(cursor[0] + 13 <= end, "esds");
        objectType = b[cursor[0]] & 0xff;
        cursor[0] += 13;
        if (tag(b, cursor, end) == 5) {
            int length = cursor[1];
            config = java.util.Arrays.copyOfRange(b, cursor[0], cursor[0] + length);
        }
    }

    /** Reads a descriptor tag and its length; leaves cursor[0] at the body and its length in cursor[1]. */
    private static int tag(byte[] b, int[] cursor, int end) throws CorruptAudioException {
        int p = cursor[0];
        need(p < end, "esds");
        int tag = b[p++] & 0xff;
        int length = 0;
        for (int i = 0; i < 4; i++) {
            need(p < end, "esds");
            int v = b[p++] & 0xff;
            length = length << 7 | (v & 0x7f);
            if ((v & 0x80) == 0) {
                break;
            }
        }
        need(length <= end - p, "esds");
        cursor[0] = p;
        if (cursor.length > 1) {
            cursor[1] = length;
        }
        return tag;
    }

    private void readSampleSizes(byte[] b, int start, int end) throws CorruptAudioException {
        need(end - start >= 12, "stsz");
        constantSampleSize = (int) Math.min(Integer.MAX_VALUE, u32(b, start + 4));
        long count = u32(b, start + 8);
        if (constantSampleSize == 0) {
            need(count <= (end - start - 12) / 4, "stsz");
            sampleSizes = new int[(int) count];
            for (int i = 0; i < count; i++) {
                sampleSizes[i] = (int) Math.min(Integer.MAX_VALUE, u32(b, start + 12 + 4 * i));
            }
        }
        need(count <= Integer.MAX_VALUE, "stsz");
        sampleCount = (int) count;
    }

    private void readChunkOffsets(byte[] b, int start, int end, boolean wide) throws CorruptAudioException {
        need(end - start >= 8, "stco");
        long count = u32(b, start + 4);
        int width = wide ? 8 : 4;
        need(count <= (end - start - 8) / width, "stco");
        chunkOffsets = new long[(int) count];
        for (int i = 0; i < count; i++) {
            int e = start + 8 + width * i;
            chunkOffsets[i] = wide ? ((long) u32(b, e) << 32) | u32(b, e + 4) : u32(b, e);
        }
    }

    private void readSampleToChunk(byte[] b, int start, int end) throws CorruptAudioException {
        need(end - start >= 8, "stsc");
        long count = u32(b, start + 4);
        need(count <= (end - start - 8) / 12, "stsc");
        stscFirstChunk = new int[(int) count];
        stscSamplesPerChunk = new int[(int) count];
        for (int i = 0; i < count; i++) {
            int e = start + 8 + 12 * i;
            stscFirstChunk[i] = (int) Math.min(Integer.MAX_VALUE, u32(b, e));
            stscSamplesPerChunk[i] = (int) Math.min(Integer.MAX_VALUE, u32(b, e + 4));
        }
    }

    /**
     * Time-to-sample runs (how long each sample lasts). Only a measure of what the samples present hold: a run
     * table that claims more entries than its box holds is ignored, not refused, as it is not needed to decode.
     */
    private void readTimeToSample(byte[] b, int start, int end) {
        if (end - start < 8) {
            return;
        }
        long count = u32(b, start + 4);
        if (count > (end - start - 8) / 8) {
            return;
        }
        sttsCounts = new int[(int) count];
        sttsDeltas = new long[(int) count];
        for (int i = 0; i < count; i++) {
            int e = start + 8 + 8 * i;
            sttsCounts[i] = (int) Math.min(Integer.MAX_VALUE, u32(b, e));
            sttsDeltas[i] = u32(b, e + 4);
        }
    }

    /**
     * What of the table the file holds: the samples in reading order (chunk by chunk, as {@link AacSource.Mp4Frames}
     * reads them) up to the first that is not whole inside the file, and the media time they last. A sample placed
     * past the end of the file makes the file truncated: its index promised more than it holds. A sample of no
     * bytes or of more than {@code maxSampleBytes} (the codec's largest frame) ends the count too, but is a broken
     * table, not a promise: reading it refuses the file.
     */
    void measure(long fileSize, int maxSampleBytes) {
        int sample = 0;
        int stsc = 0;
        boolean beyondTheEnd = false;
        chunks:
        for (int chunk = 0; chunk < chunkOffsets.length && sample < sampleCount; chunk++) {
            while (stsc + 1 < stscFirstChunk.length && stscFirstChunk[stsc + 1] <= chunk + 1) {
                stsc++;
            }
            long offset = chunkOffsets[chunk];
            int inChunk = (int) Math.min(stscSamplesPerChunk[stsc], sampleCount - sample);
            if (sampleSizes == null) { // all of one size: how many fit is arithmetic (a table may count billions)
                if (constantSampleSize > maxSampleBytes) {
                    brokenSample = true;
                    break;
                }
                long fit = offset < 0 || offset > fileSize ? 0 : (fileSize - offset) / constantSampleSize;
                if (fit < inChunk) {
                    sample += (int) fit;
                    beyondTheEnd = true;
                    break;
                }
                sample += inChunk;
                continue;
            }
            for (int k = 0; k < inChunk; k++) {
                int size = sampleSizes[sample];
                if (size <= 0 || size > maxSampleBytes) {
                    brokenSample = true; // a broken table, which reading refuses: not a promise past the end
                    break chunks;
                }
                if (offset < 0 || offset + size > fileSize) {
                    beyondTheEnd = true;
                    break chunks;
                }
                offset += size;
                sample++;
            }
        }
        samplesPresent = sample;
        truncated = beyondTheEnd;
        presentTime = brokenSample ? -1 : timeOf(sample); // reading goes on to the broken sample and refuses it
    }

    /** Media time the first {@code samples} samples last, by the stts runs; -1 when the runs do not cover them. */
    private long timeOf(int samples) {
        if (sttsCounts == null) {
            return -1;
        }
        long time = 0;
        long left = samples;
        for (int i = 0; i < sttsCounts.length && left > 0; i++) {
            long n = Math.min(left, sttsCounts[i]);
            time += n * sttsDeltas[i]; // at most 2^31 samples of 2^32 ticks: no overflow
            left -= n;
        }
        return left > 0 ? -1 : time;
    }

    /**
     * After {@link #measure}: refuses a track that holds no audio at all: an empty table, or a file cut short
     * before its first sample or within the encoder's priming.
     */
    void requireAudio() throws AudioDecodeException {
        if (sampleCount == 0) {
            throw new NoAudioException("M4A: the sound track holds no samples");
        }
        if (!truncated) {
            return; // all there, or a broken table that reading refuses in its own words
        }
        if (samplesPresent == 0) {
            throw new NoAudioException("M4A: the file ends before the first of the " + sampleCount
                    + " samples its index promises, so it holds no audio");
        }
        if (length() == 0) {
            throw new NoAudioException("M4A: the file holds no audio past the encoder's priming");
        }
    }

    private void check() throws AudioDecodeException {
        if (!haveSoundTrack || codec == null) {
            throw new UnsupportedAudioFormatException("MP4 without a sound track (a video or an empty file)");
        }
        if (fragmented && sampleCount == 0) { // the samples are in moof boxes, after an empty index
            throw new UnsupportedAudioFormatException("M4A in fragments (as some browsers record it) is not"
                    + " supported yet");
        }
        if (chunkOffsets == null || stscFirstChunk == null || (sampleSizes == null && constantSampleSize == 0)) {
            throw new CorruptAudioException("MP4: sound track without a complete sample table");
        }
        if (stscFirstChunk.length == 0 || stscFirstChunk[0] != 1) {
            throw new CorruptAudioException("MP4: sample-to-chunk table does not start at chunk 1");
        }
        for (int i = 0; i < stscFirstChunk.length; i++) {
            if (stscSamplesPerChunk[i] <= 0 || (i > 0 && stscFirstChunk[i] <= stscFirstChunk[i - 1])) {
                throw new CorruptAudioException("MP4: sample-to-chunk entry " + i + " is out of order or empty");
            }
        }
        if (mediaTimescale <= 0) {
            throw new CorruptAudioException("MP4: sound track with a time scale of " + mediaTimescale);
        }
    }

    /** Media time (in the media time scale) where the audio starts: the encoder's priming is before it. */
    long start() {
        return Math.max(0, editStart);
    }

    /**
     * Media time the audio lasts from {@link #start()}, or -1 when the track does not say: the media's
     * duration, or the edit's when that is shorter (the rest is the last frame's padding), and never more than
     * the samples the file holds last (stts). A file cut short whose stts does not tell says -1: what decodes
     * is its length.
     */
    long length() {
        long length = mediaDuration > 0 ? Math.max(0, mediaDuration - start()) : -1;
        if (editDuration >= 0 && movieTimescale > 0 && length >= 0) {
            long edited = Math.round(editDuration * (double) mediaTimescale / movieTimescale);
            double rounding = (double) mediaTimescale / movieTimescale + 1;
            if (Math.abs(edited - length) > rounding) {
                length = Math.min(length, edited);
            }
        }
        if (presentTime >= 0) {
            long held = Math.max(0, presentTime - start());
            length = length >= 0 ? Math.min(length, held) : held;
        } else if (truncated) {
            length = -1;
        }
        return length;
    }

    /** The largest sample in the table, in bytes. */
    int largestSample() {
        if (sampleSizes == null) {
            return constantSampleSize;
        }
        int max = 0;
        for (int size : sampleSizes) {
            max = Math.max(max, size);
        }
        return max;
    }

    int sampleSize(int i) {
        return sampleSizes != null ? sampleSizes[i] : constantSampleSize;
    }

    private static void need(boolean ok, String box) throws CorruptAudioException {
        if (!ok) {
            throw new CorruptAudioException("MP4: " + box + " box cut short or lying about its size");
        }
    }

    private static long u32(byte[] b, int p) {
        return HeaderReader.u32be(b, p);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    private static String printable(String type) {
        return type.replaceAll("[^ -~]", "?");
    }
}
