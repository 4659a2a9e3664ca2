package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import net.sourceforge.jaad.aac.AACException;
import net.sourceforge.jaad.aac.Decoder;
import net.sourceforge.jaad.aac.SampleBuffer;

/**
 * AAC from an MP4/M4A file or a raw ADTS stream. Plain AAC-LC, what phones and ffmpeg write, is decoded by our
 * own {@link AacLcDecoder} (noise substitution included); HE-AAC (SBR/PS, signalled in the configuration or
 * found in the first frame), Main and LTP streams, and anything else it leaves, go to JAAD (pure Java; the copy
 * that jcodec ships), as before. The first frame is decoded on open: the decoder, not the container, is the
 * authority on the output rate and channels (HE-AAC doubles the rate it is given).
 *
 * <p>Frames: in MP4 the edit list says where the audio starts (the encoder's priming, 1024 or 2112
 * frames) and how long it lasts; both are trimmed, so the length is the source's. An MP4 cut short (its index
 * places samples past the end of the file) is decoded up to its last whole sample, its length is what those
 * samples hold and it says it is truncated; one holding no sample is refused as holding no audio. ADTS says nothing about
 * priming: its frames are all the decoder delivers, priming included, as ffmpeg decodes them.
 * Memory: one frame in, one frame out. Not thread-safe.
 */
final class AacSource implements DecodedAudio {
    /** An AAC frame holds at most 6144 bits per channel; anything near this is a lying size. */
    private static final int MAX_FRAME_BYTES = 1 << 16;

    /**
     * JAAD decodes bands coded with perceptual noise substitution (PNS, codebook 13) to silence, without an
     * error. Our own decoder handles PNS; in the streams JAAD still decodes (HE-AAC, Main, LTP) a frame that
     * uses it is refused rather than stored as quiet audio. JAAD keeps each channel's band codebooks in its
     * syntax elements, read here by reflection (the version is pinned in the pom; if the fields move, decoding
     * still works and this check says so).
     */
    private static final int NOISE_CODEBOOK = 13;
    private static final java.lang.reflect.Field SYNTAX = field(Decoder.class, "syntacticElements");
    private static final java.lang.reflect.Field ELEMENTS = field(
            net.sourceforge.jaad.aac.syntax.SyntacticElements.class, "elements");
    private static final java.lang.reflect.Field SINGLE = field(classNamed(
            "net.sourceforge.jaad.aac.syntax.SCE_LFE"), "ics");

    /**
     * (For the streams JAAD decodes; our own decoder reads 8191 as it is.)
     * The largest quantised spectral value AAC allows is 8191 (an escape-coded value at full scale, which
     * ffmpeg's encoder writes on loud passages), but JAAD's inverse-quantisation table stops at 8190 and the
     * frame fails with an index error: a 3-minute loud song then fails late. We read JAAD's bits ourselves
     * ({@link FullScaleBits}) and hand it 8190 for such a value; after JAAD has parsed the frame and before
     * it transforms it, the coefficient is set to 8191's exact value. So the frame decodes exactly as the
     * standard says. (When a frame also holds a genuine 8190 in the same kind of band, the two cannot be told
     * apart after parsing; the clamped value then stays at 8190, 0.02 % low in one coefficient, far below the
     * codec's own quantisation error.)
     */
    private static final int FULL_SCALE = 8191;
    private static final java.lang.reflect.Field FILTER_BANK = field(Decoder.class, "filterBank");
    private static final java.lang.reflect.Field INPUT = field(Decoder.class, "_in");
    private static final int ESCAPE_CODEBOOK = 11;
    private static final float IQ_BELOW_FULL = jaadInverseQuantised(FULL_SCALE - 1);
    private static final float IQ_FULL = (float) Math.pow(FULL_SCALE, 4.0 / 3.0);

    /** JAAD's own value for a quantised magnitude (its table is package-private); NaN when it cannot be read. */
    private static float jaadInverseQuantised(int q) {
        try {
            java.lang.reflect.Field table = net.sourceforge.jaad.aac.syntax.ICStream.class.getField("IQ_TABLE");
            table.setAccessible(true);
            return ((float[]) table.get(null))[q];
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Float.NaN; // never equal to a coefficient: the clamped value then stays at 8190
        }
    }

    /** JAAD's bit reader, except that the escape-coded 8191 reads as 8190 (counted, put right later). */
    static final class FullScaleBits extends net.sourceforge.jaad.aac.syntax.BitStream {
        private static final StackWalker STACK = StackWalker.getInstance();
        int clamped;

        @Override
        public int readBits(int n) throws AACException {
            int bits = super.readBits(n);
            // 8191 = an escape with 12 bits after its prefix, all ones; checked for the caller only then (rare)
            if (n == 12 && bits == 0xfff && fromEscape()) {
                clamped++;
                return 0xffe;
            }
            return bits;
        }

        private static boolean fromEscape() {
            return STACK.walk(frames -> frames.skip(2).findFirst() // past fromEscape and readBits
                    .map(f -> f.getMethodName().equals("getEscape")
                            && f.getClassName().equals("net.sourceforge.jaad.aac.huffman.Huffman"))
                    .orElse(false));
        }
    }

    private static java.lang.reflect.Field field(Class<?> type, String name) {
        try {
            java.lang.reflect.Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Class<?> classNamed(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private boolean usesNoiseSubstitution() {
        if (SYNTAX == null || ELEMENTS == null || SINGLE == null) {
            throw new IllegalStateException("JAAD's internals moved: the noise-substitution check needs updating");
        }
        try {
            Object[] elements = (Object[]) ELEMENTS.get(SYNTAX.get(decoder));
            for (Object element : elements) {
                if (element instanceof net.sourceforge.jaad.aac.syntax.CPE pair) {
                    if (noise(pair.getLeftChannel()) || noise(pair.getRightChannel())) {
                        return true;
                    }
                } else if (element != null && SINGLE.getDeclaringClass().isInstance(element)
                        && noise((net.sourceforge.jaad.aac.syntax.ICStream) SINGLE.get(element))) {
                    return true;
                }
            }
            return false;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean noise(net.sourceforge.jaad.aac.syntax.ICStream stream) {
        if (stream == null) {
            return false;
        }
        for (int codebook : stream.getSfbCB()) {
            if (codebook == NOISE_CODEBOOK) {
                return true;
            }
        }
        return false;
    }

    /** The coded frames of one track, in order. */
    interface Frames {
        /** The next frame's bytes, or null at the end. */
        byte[] next() throws IOException;

        /**
         * The next frame into {@code into} from its position 0 (its limit set to the frame's size), without
         * allocating; false at the end.
         */
        boolean next(ByteBuffer into) throws IOException;

        void close() throws IOException;
    }

    private final Frames frames;
    // our own decoder, or null when JAAD decodes this stream
    private AacLcDecoder lc;
    private final byte[] frameBytes;
    private final ByteBuffer frameView;
    private float[][] lcPcm;
    private byte[] pending; // a frame read for our decoder that JAAD decodes instead
    // JAAD, when it decodes this stream
    private Decoder decoder;
    private final FullScaleBits bits = new FullScaleBits();
    private net.sourceforge.jaad.aac.syntax.SyntacticElements syntax;
    private net.sourceforge.jaad.aac.filterbank.FilterBank filterBank;
    private final SampleBuffer out = new SampleBuffer();
    private final AudioFormatInfo info;
    private final int channels;
    private final int[] order;
    private byte[] pcm = new byte[0];
    private int pcmFrames;
    private int pcmOffset;
    private long skip;
    private long left; // frames still to deliver; -1: until the frames end
    private boolean ended;
    private long fullScaleCoefficients;

    /**
     * @param lengthAtCodedRate frames to deliver after the skip, or -1 to decode to the end of the frames
     * @param truncated the container promised more frames than the file holds (only those present are decoded)
     */
    private AacSource(String name, Frames frames, byte[] config, long skipAtCodedRate, long lengthAtCodedRate,
            int codedRate, boolean truncated) throws IOException {
        this.frames = frames;
        try {
            lc = AacLcDecoder.open(config);
        } catch (RuntimeException e) {
            throw new CorruptAudioException(name + ": unusable AAC configuration", e);
        }
        frameBytes = lc != null ? new byte[MAX_FRAME_BYTES + AacBits.PADDING] : null;
        frameView = lc != null ? ByteBuffer.wrap(frameBytes, 0, MAX_FRAME_BYTES).slice() : null;
        boolean first = false;
        if (lc != null) {
            try {
                first = decodeNextLc(name);
            } catch (AacLcDecoder.NotPlainLc e) {
                lc = null;
                pending = java.util.Arrays.copyOf(frameBytes, frameView.limit());
            }
        }
        int rate;
        if (lc != null) {
            if (!first) {
                throw new CorruptAudioException(name + ": no decodable AAC frame");
            }
            rate = lc.sampleRate;
            channels = lcChannels;
        } else {
            openJaad(name, config);
            rate = out.getSampleRate();
            channels = out.getChannels();
        }
        Limits.checkChannels(name, channels);
        Limits.checkRate(name, rate);
        order = wavOrder(channels);
        double scale = codedRate > 0 ? (double) rate / codedRate : 1;
        skip = Math.round(skipAtCodedRate * scale);
        left = lengthAtCodedRate >= 0 ? Math.round(lengthAtCodedRate * scale) : -1;
        info = AudioFormatInfo.of(name, rate, channels, 0, left, truncated);
    }

    private int lcChannels;

    /** Our decoder's next frame with audio; false at the end. */
    private boolean decodeNextLc(String name) throws IOException, AacLcDecoder.NotPlainLc {
        for (int attempt = 0; attempt < 8; attempt++) {
            if (!frames.next(frameView)) {
                return false;
            }
            int n;
            try {
                n = lc.decode(frameBytes, frameView.limit());
            } catch (RuntimeException e) {
                throw new CorruptAudioException(name + ": undecodable AAC frame (" + e + ")", e);
            }
            if (n > 0) {
                if (lcChannels != 0 && n != lcChannels) {
                    throw new CorruptAudioException(name + ": channel count changes mid-stream");
                }
                lcChannels = n;
                lcPcm = lc.output();
                pcmFrames = AacLcDecoder.FRAME;
                pcmOffset = 0;
                return true;
            }
        }
        throw new CorruptAudioException(name + ": frames that decode to nothing");
    }

    private void openJaad(String name, byte[] config) throws IOException {
        try {
            decoder = new Decoder(config);
        } catch (AACException | RuntimeException e) {
            throw new CorruptAudioException(name + ": unusable AAC configuration (" + e.getMessage() + ")", e);
        }
        if (SYNTAX == null || FILTER_BANK == null || INPUT == null) {
            throw new IllegalStateException("JAAD's internals moved: the full-scale fix needs updating");
        }
        try {
            INPUT.set(decoder, bits);
            syntax = (net.sourceforge.jaad.aac.syntax.SyntacticElements) SYNTAX.get(decoder);
            filterBank = (net.sourceforge.jaad.aac.filterbank.FilterBank) FILTER_BANK.get(decoder);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        out.setBigEndian(false);
        if (!decodeNext(name)) {
            throw new CorruptAudioException(name + ": no decodable AAC frame");
        }
    }

    /** MP4/M4A from a file (Apple Lossless goes to {@link AlacSource}); the caller closes {@code file} through it. */
    static DecodedAudio openMp4(FileChannel file, InputStream unused) throws IOException {
        Mp4Audio m = Mp4Audio.read(file);
        boolean alac = m.codec.equals("alac");
        if (!alac && (!m.codec.equals("mp4a") || m.objectType != 0x40 || m.config == null || m.config.length < 2)) {
            throw new UnsupportedAudioFormatException("M4A with codec '" + m.codec.replaceAll("[^ -~]", "?")
                    + "' (object type 0x" + Integer.toHexString(m.objectType) + "): only AAC and ALAC are supported");
        }
        if (alac) {
            return AlacSource.open(file, m);
        }
        m.measure(file.size(), MAX_FRAME_BYTES);
        m.requireAudio();
        return new AacSource("M4A", new Mp4Frames(file, m), m.config, m.start(), m.length(), (int) m.mediaTimescale,
                m.truncated);
    }

    /** ADTS from a stream; {@code frameCount} from a scan of the file's headers, or -1. */
    static DecodedAudio openAdts(InputStream in, long frameCount) throws IOException {
        AdtsFrames frames = new AdtsFrames(in);
        byte[] first = frames.next();
        if (first == null) {
            throw new CorruptAudioException("ADTS: no complete frame");
        }
        frames.pushBack(first);
        return new AacSource("AAC", frames, frames.config, 0, frameCount >= 0 ? frameCount * 1024 : -1,
                frames.codedRate, false);
    }

    /** AAC's default layouts put the centre first (C L R ...); WAV's order is L R C LFE ... */
    static int[] wavOrder(int channels) {
        return switch (channels) {
            case 3 -> new int[] {1, 2, 0};
            case 4 -> new int[] {1, 2, 0, 3};
            case 5 -> new int[] {1, 2, 0, 3, 4};
            case 6 -> new int[] {1, 2, 0, 5, 3, 4};
            case 8 -> new int[] {1, 2, 0, 7, 5, 6, 3, 4};
            default -> java.util.stream.IntStream.range(0, channels).toArray();
        };
    }

    private boolean decodeNext(String name) throws IOException {
        for (int attempt = 0; attempt < 8; attempt++) {
            byte[] frame = pending != null ? pending : frames.next();
            pending = null;
            if (frame == null) {
                return false;
            }
            try {
                decodeFrame(frame);
            } catch (AACException | RuntimeException e) {
                throw new CorruptAudioException(name + ": undecodable AAC frame (" + e.getMessage() + ")", e);
            }
            if (usesNoiseSubstitution()) {
                throw new UnsupportedAudioFormatException(name + ": AAC with perceptual noise substitution (PNS),"
                        + " as ffmpeg's encoder writes by default, is not supported yet");
            }
            if (out.getChannels() > 0 && out.getData().length > 0) {
                pcm = out.getData();
                pcmFrames = pcm.length / (2 * out.getChannels());
                pcmOffset = 0;
                return true;
            }
        }
        throw new CorruptAudioException(name + ": frames that decode to nothing");
    }

    /** What JAAD's decodeFrame does, with the full-scale values put right between parsing and synthesis. */
    private void decodeFrame(byte[] frame) throws AACException {
        bits.setData(frame);
        bits.clamped = 0;
        try {
            syntax.startNewFrame();
            syntax.decode(bits);
            if (bits.clamped > 0) {
                restoreFullScale(bits.clamped);
            }
            syntax.process(filterBank);
            syntax.sendToOutput(out);
        } catch (AACException e) {
            out.setData(new byte[0], 0, 0, 0, 0);
            if (!e.isEndOfStream()) { // JAAD's own decodeFrame yields nothing for a frame that ends early
                throw e;
            }
        }
    }

    /** Sets the coefficients read as 8190 in place of 8191 to 8191's value, when they can be told apart. */
    private void restoreFullScale(int clamped) throws AACException {
        List<net.sourceforge.jaad.aac.syntax.ICStream> streams = new java.util.ArrayList<>(8);
        try {
            for (Object element : (Object[]) ELEMENTS.get(syntax)) {
                if (element instanceof net.sourceforge.jaad.aac.syntax.CPE pair) {
                    streams.add(pair.getLeftChannel());
                    streams.add(pair.getRightChannel());
                } else if (element != null && SINGLE.getDeclaringClass().isInstance(element)) {
                    streams.add((net.sourceforge.jaad.aac.syntax.ICStream) SINGLE.get(element));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        if (fullScaleCandidates(streams, false) == clamped) {
            fullScaleCoefficients += fullScaleCandidates(streams, true);
        }
    }

    /** Counts (and with {@code restore}, sets to 8191's value) the coefficients quantised to ±8190. */
    private static int fullScaleCandidates(List<net.sourceforge.jaad.aac.syntax.ICStream> streams, boolean restore)
            throws AACException {
        int found = 0;
        for (net.sourceforge.jaad.aac.syntax.ICStream ics : streams) {
            if (ics == null) {
                continue;
            }
            net.sourceforge.jaad.aac.syntax.ICSInfo info = ics.getInfo();
            int[] codebooks = ics.getSfbCB();
            float[] scales = ics.getScaleFactors();
            float[] data = ics.getInvQuantData();
            int[] offsets = info.getSWBOffsets();
            int bands = info.getMaxSFB();
            for (int g = 0, band = 0, groupStart = 0; g < info.getWindowGroupCount(); g++) {
                int windows = info.getWindowGroupLength(g);
                for (int sfb = 0; sfb < bands; sfb++, band++) {
                    if (codebooks[band] != ESCAPE_CODEBOOK) {
                        continue;
                    }
                    float below = IQ_BELOW_FULL * scales[band];
                    float full = IQ_FULL * scales[band];
                    for (int w = 0, start = groupStart + offsets[sfb]; w < windows; w++, start += 128) {
                        for (int k = start; k < start + offsets[sfb + 1] - offsets[sfb]; k++) {
                            if (data[k] == below || data[k] == -below) {
                                found++;
                                if (restore) {
                                    data[k] = data[k] > 0 ? full : -full;
                                }
                            }
                        }
                    }
                }
                groupStart += windows << 7;
            }
        }
        return found;
    }

    /** Coefficients at AAC's full scale (8191) decoded so far: each one JAAD alone would have failed on. */
    long fullScaleCoefficients() {
        return lc != null ? lc.fullScaleCoefficients() : fullScaleCoefficients;
    }

    /** True when our own decoder decodes this stream, false when JAAD does. */
    boolean ownDecoder() {
        return lc != null;
    }

    /** How often our decoder used a coding tool so far (JAAD's streams say 0). */
    long used(AacLcDecoder.Tool tool) {
        return lc != null ? lc.used(tool) : 0;
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int read(float[][] buffer, int want) throws IOException {
        while (true) {
            if (left == 0 || ended) {
                return -1;
            }
            if (pcmOffset >= pcmFrames) {
                if (lc != null) {
                    if (!nextLc()) {
                        ended = true;
                        return -1;
                    }
                } else if (!decodeNext(info.formatName())) {
                    ended = true;
                    return -1;
                } else if (out.getChannels() != channels) {
                    throw new CorruptAudioException(info.formatName() + ": channel count changes mid-stream");
                }
            }
            if (skip > 0) {
                int dropped = (int) Math.min(skip, pcmFrames - pcmOffset);
                pcmOffset += dropped;
                skip -= dropped;
                continue;
            }
            int n = Math.min(want, pcmFrames - pcmOffset);
            if (left > 0) {
                n = (int) Math.min(n, left);
                left -= n;
            }
            if (lc != null) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(lcPcm[order[c]], pcmOffset, buffer[c], 0, n);
                }
                pcmOffset += n;
                return n;
            }
            for (int c = 0; c < channels; c++) {
                float[] dst = buffer[c];
                int p = 2 * (pcmOffset * channels + order[c]);
                for (int i = 0; i < n; i++) {
                    dst[i] = (short) ((pcm[p] & 0xff) | (pcm[p + 1] << 8)) * (1f / 32768f);
                    p += 2 * channels;
                }
            }
            pcmOffset += n;
            return n;
        }
    }

    private boolean nextLc() throws IOException {
        try {
            return decodeNextLc(info.formatName());
        } catch (AacLcDecoder.NotPlainLc e) {
            throw new UnsupportedAudioFormatException(info.formatName() + ": AAC with " + e.getMessage()
                    + " after the first frame");
        }
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }

    /** Walks the sample table chunk by chunk; reads each sample where the table says it is. */
    static final class Mp4Frames implements Frames {
        private final FileChannel file;
        private final Mp4Audio m;
        private int sample;
        private int chunk; // 0-based
        private int inChunk; // samples left in the current chunk
        private long offset;
        private int stscEntry;
        private long fileSize = -1; // asked once: a per-frame system call costs more than our whole frame parse

        Mp4Frames(FileChannel file, Mp4Audio m) {
            this.file = file;
            this.m = m;
        }

        @Override
        public byte[] next() throws IOException {
            int size = locate(MAX_FRAME_BYTES);
            if (size < 0) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(size);
            return read(b) ? b.array() : null;
        }

        /**
         * The next sample into {@code into} from its position 0 (its limit set to the sample's size), without
         * allocating; false at the end of the table or of the file.
         */
        public boolean next(ByteBuffer into) throws IOException {
            int size = locate(into.capacity());
            if (size < 0) {
                return false;
            }
            into.clear().limit(size);
            return read(into);
        }

        /** Finds the next sample in its chunk; its size, or -1 when the table or the file ends first. */
        private int locate(int maxSize) throws IOException {
            if (sample >= m.sampleCount) {
                return -1;
            }
            while (inChunk == 0) {
                if (chunk >= m.chunkOffsets.length) {
                    return -1;
                }
                while (stscEntry + 1 < m.stscFirstChunk.length && m.stscFirstChunk[stscEntry + 1] <= chunk + 1) {
                    stscEntry++;
                }
                inChunk = m.stscSamplesPerChunk[stscEntry];
                offset = m.chunkOffsets[chunk];
                chunk++;
            }
            int size = m.sampleSize(sample);
            if (size <= 0 || size > maxSize) {
                throw new CorruptAudioException("M4A: sample " + sample + " of " + size + " bytes");
            }
            if (fileSize < 0) {
                fileSize = file.size();
            }
            if (offset < 0 || offset + size > fileSize) {
                return -1; // the file ends before the table does: a cut-short upload, keep what is there
            }
            return size;
        }

        private boolean read(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) { // from position 0
                if (file.read(b, offset + b.position()) < 0) {
                    return false;
                }
            }
            offset += b.limit();
            inChunk--;
            sample++;
            return true;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** ADTS: a 7-byte header (9 with CRC) before each raw AAC frame. */
    static final class AdtsFrames implements Frames {
        private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
            11025, 8000, 7350};
        private final InputStream in;
        private final byte[] header = new byte[9];
        private byte[] pushedBack;
        byte[] config;
        int codedRate;

        AdtsFrames(InputStream in) {
            this.in = in;
        }

        void pushBack(byte[] frame) {
            pushedBack = frame;
        }

        /** Frame length from an ADTS header at {@code p}, or -1 when there is none. */
        static int frameLength(byte[] b, int p) {
            if (p + 7 > b.length || (b[p] & 0xff) != 0xff || (b[p + 1] & 0xf6) != 0xf0) {
                return -1;
            }
            int rateIndex = (b[p + 2] >> 2) & 0x0f;
            int length = ((b[p + 3] & 0x03) << 11) | ((b[p + 4] & 0xff) << 3) | ((b[p + 5] & 0xe0) >> 5);
            int headerLength = (b[p + 1] & 1) == 0 ? 9 : 7;
            return rateIndex > 12 || length <= headerLength ? -1 : length;
        }

        @Override
        public byte[] next() throws IOException {
            if (pushedBack != null) {
                byte[] f = pushedBack;
                pushedBack = null;
                return f;
            }
            int size = header();
            if (size < 0) {
                return null;
            }
            byte[] frame = in.readNBytes(size);
            return frame.length == size ? frame : null; // a cut-short last frame ends the audio
        }

        /** Reads the next header (learning the configuration from the first); the payload's size, or -1. */
        private int header() throws IOException {
            int got = in.readNBytes(header, 0, 7);
            if (got < 7) {
                return -1;
            }
            int length = frameLength(header, 0);
            if (length < 0) {
                throw new CorruptAudioException("ADTS: lost frame sync");
            }
            if (((header[6] & 0x03)) != 0) {
                throw new UnsupportedAudioFormatException("ADTS with several raw blocks per frame");
            }
            int profile = (header[2] >> 6) & 0x03;
            int rateIndex = (header[2] >> 2) & 0x0f;
            int channelConfig = ((header[2] & 0x01) << 2) | ((header[3] >> 6) & 0x03);
            if (channelConfig == 0) {
                throw new UnsupportedAudioFormatException("ADTS with an in-band channel layout");
            }
            if (config == null) {
                int objectType = profile + 1;
                config = new byte[] {(byte) (objectType << 3 | rateIndex >> 1),
                    (byte) ((rateIndex & 1) << 7 | channelConfig << 3)};
                codedRate = RATES[rateIndex];
            }
            int headerLength = (header[1] & 1) == 0 ? 9 : 7;
            if (headerLength == 9 && in.readNBytes(header, 7, 2) < 2) {
                return -1;
            }
            return length - headerLength;
        }

        @Override
        public boolean next(ByteBuffer into) throws IOException {
            if (pushedBack != null) {
                byte[] f = pushedBack;
                pushedBack = null;
                if (f.length > into.capacity()) {
                    throw new CorruptAudioException("ADTS: a frame of " + f.length + " bytes");
                }
                into.clear().put(f).flip();
                return true;
            }
            int size = header();
            if (size < 0) {
                return false;
            }
            if (size > into.capacity()) {
                throw new CorruptAudioException("ADTS: a frame of " + size + " bytes");
            }
            int got = in.readNBytes(into.array(), into.arrayOffset(), size);
            into.clear().limit(size);
            return got == size; // a cut-short last frame ends the audio
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
