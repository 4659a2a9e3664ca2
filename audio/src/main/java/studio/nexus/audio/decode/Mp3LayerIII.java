package studio.nexus.audio.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * MPEG-1, MPEG-2 (LSF) and MPEG-2.5 Layer III, one frame at a time, written from ISO/IEC 11172-3 and 13818-3: side
 * information, bit reservoir, scalefactors, Huffman decoding ({@link Mp3Huffman}), requantisation, mid/side and
 * intensity stereo, short-block reordering, alias reduction, IMDCT with overlap-add, frequency inversion and the
 * synthesis filterbank ({@link Mp3Synthesis}). Float throughout; everything is allocated at construction, so
 * decoding a frame allocates nothing.
 *
 * <p>Broken data never reads outside its buffers: positions are clamped to the bytes present, and what the standard
 * forbids outright (more than 576 lines, a window switch without a block type) is a {@link CorruptAudioException}.
 * A frame whose reservoir reaches back past the data we have (the first frames after a cut or resync) decodes to
 * silence, as other decoders do.
 */
final class Mp3LayerIII {
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** Largest Layer III frame: 320 kb/s at 32 kHz (MPEG-1), 160 kb/s at 8 kHz (MPEG-2.5), with padding. */
    static final int MAX_FRAME_BYTES = 1441 + 4;
    private static final int RESERVOIR_KEEP = 512;
    /** Room for the reservoir, one frame's main data and a Huffman decoder running past the end of hostile data. */
    private static final int MAIN_DATA_CAPACITY = 8192;

    // ---- tables: scalefactor bands per sample rate (ISO 11172-3 B.8, 13818-3 B.2), index 0-2 MPEG-1, 3-5 MPEG-2,
    // 6-8 MPEG-2.5, each in the order 44.1/48/32 kHz (halved, quartered)
    private static final int[][] LONG_WIDTHS = {
        {4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 10, 12, 16, 20, 24, 28, 34, 42, 50, 54, 76, 158},
        {4, 4, 4, 4, 4, 4, 6, 6, 6, 8, 10, 12, 16, 18, 22, 28, 34, 40, 46, 54, 54, 192},
        {4, 4, 4, 4, 4, 4, 6, 6, 8, 10, 12, 16, 20, 24, 30, 38, 46, 56, 68, 84, 102, 26},
        {6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54},
        {6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 38, 46, 54, 62, 70, 76, 36},
        {6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54},
        {6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54},
        {6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54},
        {12, 12, 12, 12, 12, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 76, 90, 2, 2, 2, 2, 2},
    };
    private static final int[][] SHORT_WIDTHS = {
        {4, 4, 4, 4, 6, 8, 10, 12, 14, 18, 22, 30, 56},
        {4, 4, 4, 4, 6, 6, 10, 12, 14, 16, 20, 26, 66},
        {4, 4, 4, 4, 6, 8, 12, 16, 20, 26, 34, 42, 12},
        {4, 4, 4, 6, 6, 8, 10, 14, 18, 26, 32, 42, 18},
        {4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 32, 44, 12},
        {4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18},
        {4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18},
        {4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18},
        {8, 8, 8, 12, 16, 20, 24, 28, 36, 2, 2, 2, 26},
    };
    /** Band starts: LONG[rate][0..22], SHORT[rate][0..13] (per window). */
    private static final int[][] LONG = new int[9][23];
    private static final int[][] SHORT = new int[9][14];
    private static final int[] PRETAB = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0};
    /** The four groups of long bands that MPEG-1's scfsi lets the second granule reuse. */
    private static final int[] SCFSI_BANDS = {0, 6, 11, 16, 21};
    private static final int[] SLEN1 = {0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4};
    private static final int[] SLEN2 = {0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3};
    /** MPEG-2 scalefactor counts per partition [table][long, short, mixed][partition] (ISO 13818-3 2.4.3.2, nr_of_sfb). */
    private static final int[][][] LSF_COUNTS = {
        {{6, 5, 5, 5}, {9, 9, 9, 9}, {6, 9, 9, 9}},
        {{6, 5, 7, 3}, {9, 9, 12, 6}, {6, 9, 12, 6}},
        {{11, 10, 0, 0}, {18, 18, 0, 0}, {15, 18, 0, 0}},
        {{7, 7, 7, 0}, {12, 12, 12, 0}, {6, 15, 12, 0}},
        {{6, 6, 6, 3}, {12, 9, 9, 6}, {6, 12, 9, 6}},
        {{8, 8, 5, 0}, {15, 12, 9, 0}, {6, 18, 9, 0}},
    };
    private static final int[] RATES = {44100, 48000, 32000};
    /** |x|^(4/3) for every value Huffman decoding can give (15 + 13 linbits). */
    private static final float[] POW43 = new float[8207];
    private static final int[] POW43_BITS = new int[16];
    /** 2^(e/4) for e = -POW2_OFFSET..; the requantiser's step sizes. */
    private static final int POW2_OFFSET = 512;
    private static final float[] POW2 = new float[POW2_OFFSET + 128];
    private static final float[] ALIAS_CS = new float[8];
    private static final float[] ALIAS_CA = new float[8];
    /** IMDCT windows by block type (0 normal, 1 start, 3 stop; 2 is the 12-point short window). */
    private static final float[][] WINDOWS = new float[4][36];
    /** cos/sin for the DCT-IV by a 9-point FFT: pre-twiddle pi (4n + 1) / 72, post-twiddle pi p / 18. */
    private static final float[] PRE_COS = new float[9];
    private static final float[] PRE_SIN = new float[9];
    private static final float[] POST_COS = new float[9];
    private static final float[] POST_SIN = new float[9];
    /** exp(-2 pi i n p / 9) for the middle step of the 3 x 3 FFT, n, p in 1..2. */
    private static final float[] TWIDDLE_COS = new float[5];
    private static final float[] TWIDDLE_SIN = new float[5];
    private static final float[] SHORT_COS = new float[36];
    private static final float SQRT3_2 = (float) (Math.sqrt(3) / 2);
    private static final float SQRT1_2 = (float) Math.sqrt(0.5);
    /** Intensity stereo, MPEG-1: left and right shares of position 0-6. */
    private static final float[] IS_LEFT = new float[7];
    private static final float[] IS_RIGHT = new float[7];
    /** Intensity stereo, MPEG-2: [intensity_scale][position] = io^((position + 1) / 2) as in 13818-3. */
    private static final float[][] IS_LSF = new float[2][32];

    static {
        for (int r = 0; r < 9; r++) {
            for (int b = 0; b < 22; b++) {
                LONG[r][b + 1] = LONG[r][b] + LONG_WIDTHS[r][b];
            }
            for (int b = 0; b < 13; b++) {
                SHORT[r][b + 1] = SHORT[r][b] + SHORT_WIDTHS[r][b];
            }
            if (LONG[r][22] != 576 || SHORT[r][13] != 192) {
                throw new IllegalStateException("scalefactor band table " + r);
            }
        }
        for (int i = 0; i < POW43.length; i++) {
            POW43[i] = (float) Math.pow(i, 4.0 / 3.0);
        }
        for (int i = 0; i < 16; i++) {
            POW43_BITS[i] = Float.floatToRawIntBits(POW43[i]);
        }
        for (int i = 0; i < POW2.length; i++) {
            POW2[i] = (float) Math.pow(2, (i - POW2_OFFSET) / 4.0);
        }
        double[] c = {-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037};
        for (int i = 0; i < 8; i++) {
            double root = Math.sqrt(1 + c[i] * c[i]);
            ALIAS_CS[i] = (float) (1 / root);
            ALIAS_CA[i] = (float) (c[i] / root);
        }
        for (int i = 0; i < 36; i++) {
            WINDOWS[0][i] = (float) Math.sin(Math.PI / 36 * (i + 0.5));
        }
        for (int i = 0; i < 36; i++) {
            WINDOWS[1][i] = i < 18 ? WINDOWS[0][i] : i < 24 ? 1f
                    : i < 30 ? (float) Math.sin(Math.PI / 12 * (i - 18 + 0.5)) : 0f;
            WINDOWS[3][i] = i < 6 ? 0f : i < 12 ? (float) Math.sin(Math.PI / 12 * (i - 6 + 0.5))
                    : i < 18 ? 1f : WINDOWS[0][i];
        }
        for (int i = 0; i < 12; i++) {
            WINDOWS[2][i] = (float) Math.sin(Math.PI / 12 * (i + 0.5));
        }
        for (int n = 0; n < 9; n++) {
            PRE_COS[n] = (float) Math.cos(Math.PI * (4 * n + 1) / 72);
            PRE_SIN[n] = (float) Math.sin(Math.PI * (4 * n + 1) / 72);
            POST_COS[n] = (float) Math.cos(Math.PI * n / 18);
            POST_SIN[n] = (float) Math.sin(Math.PI * n / 18);
        }
        for (int k = 1; k <= 4; k++) {
            TWIDDLE_COS[k] = (float) Math.cos(2 * Math.PI * k / 9);
            TWIDDLE_SIN[k] = (float) -Math.sin(2 * Math.PI * k / 9);
        }
        for (int m = 0; m < 6; m++) {
            for (int k = 0; k < 6; k++) {
                SHORT_COS[m * 6 + k] = (float) Math.cos(Math.PI / 6 * (m + 0.5) * (k + 0.5));
            }
        }
        for (int p = 0; p < 7; p++) {
            double t = Math.tan(p * Math.PI / 12);
            IS_LEFT[p] = p == 6 ? 1f : (float) (t / (1 + t));
            IS_RIGHT[p] = p == 6 ? 0f : (float) (1 / (1 + t));
        }
        for (int s = 0; s < 2; s++) {
            double io = s == 0 ? Math.pow(2, -0.25) : Math.sqrt(0.5);
            for (int p = 0; p < 32; p++) {
                IS_LSF[s][p] = (float) Math.pow(io, (p + 1) / 2);
            }
        }
    }

    // ---- the frame being decoded
    private boolean mpeg1;
    private int rate; // 0..8
    private int channels;
    private boolean msStereo;
    private boolean intensityStereo;
    private int granules;

    // ---- side information [granule][channel]
    private int mainDataBegin;
    private final int[] scfsi = new int[2];
    private final int[][] part23 = new int[2][2];
    private final int[][] bigValues = new int[2][2];
    private final int[][] globalGain = new int[2][2];
    private final int[][] scalefacCompress = new int[2][2];
    private final int[][] blockType = new int[2][2];
    private final boolean[][] mixed = new boolean[2][2];
    private final int[][][] tableSelect = new int[2][2][3];
    private final int[][][] subblockGain = new int[2][2][3];
    private final int[][] region1Start = new int[2][2];
    private final int[][] region2Start = new int[2][2];
    private final boolean[][] preflag = new boolean[2][2];
    private final int[][] scalefacScale = new int[2][2];
    private final int[][] count1Table = new int[2][2];

    // ---- per channel working state
    /** Long scalefactors [ch][0..21] and short ones [ch][3 * band + window]; kept for MPEG-1 scfsi reuse. */
    private final int[][] sfLong = new int[2][22];
    private final int[][] sfShort = new int[2][39];
    /** Largest legal intensity position per band of the right channel (MPEG-2: 2^slen - 1 is "not intensity"). */
    private final int[] isLimitLong = new int[22];
    private final int[] isLimitShort = new int[39];
    private final float[][] xr = new float[2][576];
    private final int[] nonZero = new int[2];
    private final float[] reorder = new float[576];
    private final float[][] overlap = new float[2][576];
    private final float[] hybrid = new float[576];
    private final Mp3Synthesis[] synthesis = {new Mp3Synthesis(), new Mp3Synthesis()};
    private final float[] dctIn = new float[18];
    private final float[] dctOut = new float[18];
    private final float[] fftRe = new float[9];
    private final float[] fftIm = new float[9];
    private final float[] shortOut = new float[36];

    // ---- bits
    private final byte[] mainData = new byte[MAIN_DATA_CAPACITY];
    private int reservoir; // bytes of main data kept from earlier frames
    private int bitPos;
    private byte[] bitBuffer;

    /** Decoded PCM, [channel][sample], {@link #samples} per channel. */
    final float[][] pcm = new float[2][1152];
    int samples;

    /** Decodes the frame whose header and body are {@code frame[0..length)}; the result is in {@link #pcm}. */
    void decode(byte[] frame, int length, boolean silent) throws CorruptAudioException {
        int header = (frame[0] & 0xff) << 24 | (frame[1] & 0xff) << 16 | (frame[2] & 0xff) << 8 | (frame[3] & 0xff);
        int version = (header >>> 19) & 3;
        mpeg1 = version == 3;
        rate = ((header >>> 10) & 3) + (mpeg1 ? 0 : version == 2 ? 3 : 6);
        int mode = (header >>> 6) & 3;
        channels = mode == 3 ? 1 : 2;
        msStereo = mode == 1 && (header & 0x20) != 0;
        intensityStereo = mode == 1 && (header & 0x10) != 0;
        granules = mpeg1 ? 2 : 1;
        samples = granules * 576;
        int sideStart = 4 + ((header & 0x10000) == 0 ? 2 : 0);
        int sideLength = mpeg1 ? (channels == 1 ? 17 : 32) : (channels == 1 ? 9 : 17);
        if (length < sideStart + sideLength || length > MAX_FRAME_BYTES) {
            throw new CorruptAudioException("MP3: frame too short for its side information");
        }
        if (silent) { // an Info frame: its side information is the encoder's, not audio's
            mainDataBegin = Integer.MAX_VALUE;
            for (int gr = 0; gr < granules; gr++) {
                for (int ch = 0; ch < channels; ch++) {
                    part23[gr][ch] = 0;
                }
            }
        } else {
            bitBuffer = frame;
            bitPos = sideStart * 8;
            readSideInfo();
        }

        int mainStart = sideStart + sideLength;
        int mainLength = length - mainStart;
        boolean reachable = mainDataBegin <= reservoir;
        int dataStart = reservoir - mainDataBegin;
        System.arraycopy(frame, mainStart, mainData, reservoir, mainLength);
        int available = reservoir + mainLength;

        bitBuffer = mainData;
        int pos = dataStart * 8;
        int end = available * 8;
        for (int gr = 0; gr < granules; gr++) {
            for (int ch = 0; ch < channels; ch++) {
                int from = Math.min(pos, end);
                pos += part23[gr][ch];
                int to = Math.min(pos, end);
                if (reachable) {
                    bitPos = from;
                    int part2 = mpeg1 ? scalefactorsMpeg1(gr, ch) : scalefactorsLsf(gr, ch);
                    nonZero[ch] = huffman(gr, ch, Math.min(from + part2, to), to);
                    requantize(gr, ch);
                } else {
                    Arrays.fill(xr[ch], 0f);
                    nonZero[ch] = 0;
                    blockType[gr][ch] = 0; // nothing to window: decay the overlap as a long block
                    mixed[gr][ch] = false;
                }
            }
            if (channels == 2 && reachable) {
                stereo(gr);
            }
            for (int ch = 0; ch < channels; ch++) {
                hybridSynthesis(gr, ch);
                float[] out = pcm[ch];
                int base = gr * 576;
                for (int t = 0; t < 18; t++) {
                    synthesis[ch].synthesize(hybrid, t * 32, out, base + t * 32);
                }
            }
        }
        // keep the tail as the next frame's reservoir
        int keep = Math.min(available, RESERVOIR_KEEP);
        System.arraycopy(mainData, available - keep, mainData, 0, keep);
        reservoir = keep;
    }

    /** Forget the reservoir (after a gap in the stream): frames reaching back into it decode to silence. */
    void resetReservoir() {
        reservoir = 0;
    }

    private int bits(int n) {
        if (n == 0) {
            return 0;
        }
        int w = peek(bitBuffer, bitPos);
        bitPos += n;
        return w >>> (32 - n);
    }

    private void readSideInfo() throws CorruptAudioException {
        // the side information is at most 32 bytes inside a frame of MAX_FRAME_BYTES, read through bits() which looks
        // 4 bytes ahead: the frame buffer has that slack
        mainDataBegin = bits(mpeg1 ? 9 : 8);
        bits(mpeg1 ? (channels == 1 ? 5 : 3) : (channels == 1 ? 1 : 2));
        if (mpeg1) {
            for (int ch = 0; ch < channels; ch++) {
                scfsi[ch] = bits(4);
            }
        }
        for (int gr = 0; gr < granules; gr++) {
            for (int ch = 0; ch < channels; ch++) {
                part23[gr][ch] = bits(12);
                bigValues[gr][ch] = bits(9);
                if (bigValues[gr][ch] > 288) {
                    throw new CorruptAudioException("MP3: more than 576 spectral lines in a granule");
                }
                globalGain[gr][ch] = bits(8);
                scalefacCompress[gr][ch] = bits(mpeg1 ? 4 : 9);
                int[] tables = tableSelect[gr][ch];
                int r1;
                int r2;
                if (bits(1) == 1) {
                    int type = bits(2);
                    if (type == 0) {
                        throw new CorruptAudioException("MP3: window switching without a block type");
                    }
                    blockType[gr][ch] = type;
                    mixed[gr][ch] = bits(1) == 1;
                    tables[0] = bits(5);
                    tables[1] = bits(5);
                    tables[2] = 0;
                    for (int w = 0; w < 3; w++) {
                        subblockGain[gr][ch][w] = bits(3);
                    }
                    r1 = type == 2 ? 3 * SHORT[rate][3] : LONG[rate][8];
                    r2 = 576;
                } else {
                    blockType[gr][ch] = 0;
                    mixed[gr][ch] = false;
                    for (int i = 0; i < 3; i++) {
                        tables[i] = bits(5);
                    }
                    int region0 = bits(4);
                    int region1 = bits(3);
                    r1 = LONG[rate][Math.min(region0 + 1, 22)];
                    r2 = LONG[rate][Math.min(region0 + region1 + 2, 22)];
                }
                region1Start[gr][ch] = r1;
                region2Start[gr][ch] = r2;
                preflag[gr][ch] = mpeg1 && bits(1) == 1;
                scalefacScale[gr][ch] = bits(1);
                count1Table[gr][ch] = bits(1);
            }
        }
    }

    /** MPEG-1 scalefactors (ISO 11172-3 2.4.2.7); returns the bits they took. */
    private int scalefactorsMpeg1(int gr, int ch) {
        int start = bitPos;
        int compress = scalefacCompress[gr][ch];
        int slen1 = SLEN1[compress];
        int slen2 = SLEN2[compress];
        int[] sl = sfLong[ch];
        int[] ss = sfShort[ch];
        if (blockType[gr][ch] == 2) {
            int firstShort = 0;
            if (mixed[gr][ch]) {
                for (int b = 0; b < 8; b++) {
                    sl[b] = bits(slen1);
                }
                firstShort = 3;
            }
            for (int b = firstShort; b < 12; b++) {
                int slen = b < 6 ? slen1 : slen2;
                for (int w = 0; w < 3; w++) {
                    ss[3 * b + w] = bits(slen);
                }
            }
            ss[36] = ss[37] = ss[38] = 0;
        } else {
            for (int part = 0; part < 4; part++) {
                boolean reuse = gr == 1 && (scfsi[ch] & (8 >> part)) != 0;
                if (!reuse) {
                    int slen = part < 2 ? slen1 : slen2;
                    for (int b = SCFSI_BANDS[part]; b < SCFSI_BANDS[part + 1]; b++) {
                        sl[b] = bits(slen);
                    }
                }
            }
            sl[21] = 0;
        }
        if (ch == 1) {
            Arrays.fill(isLimitLong, 6);
            Arrays.fill(isLimitShort, 6);
        }
        return bitPos - start;
    }

    /** MPEG-2/2.5 scalefactors (ISO 13818-3 2.4.3.2), including the intensity-stereo right channel's own layout. */
    private int scalefactorsLsf(int gr, int ch) {
        int start = bitPos;
        int compress = scalefacCompress[gr][ch];
        int s0;
        int s1;
        int s2;
        int s3;
        int table;
        boolean pre = false;
        if (intensityStereo && ch == 1) {
            int c = compress >> 1;
            if (c < 180) {
                s0 = c / 36;
                s1 = (c % 36) / 6;
                s2 = c % 6;
                s3 = 0;
                table = 3;
            } else if (c < 244) {
                c -= 180;
                s0 = (c & 63) >> 4;
                s1 = (c & 15) >> 2;
                s2 = c & 3;
                s3 = 0;
                table = 4;
            } else {
                c -= 244;
                s0 = c / 3;
                s1 = c % 3;
                s2 = 0;
                s3 = 0;
                table = 5;
            }
        } else if (compress < 400) {
            s0 = (compress >> 4) / 5;
            s1 = (compress >> 4) % 5;
            s2 = (compress & 15) >> 2;
            s3 = compress & 3;
            table = 0;
        } else if (compress < 500) {
            int c = compress - 400;
            s0 = (c >> 2) / 5;
            s1 = (c >> 2) % 5;
            s2 = c & 3;
            s3 = 0;
            table = 1;
        } else {
            int c = compress - 500;
            s0 = c / 3;
            s1 = c % 3;
            s2 = 0;
            s3 = 0;
            table = 2;
            pre = true;
        }
        preflag[gr][ch] = pre;
        int type = blockType[gr][ch];
        int column = type != 2 ? 0 : mixed[gr][ch] ? 2 : 1;
        int[] counts = LSF_COUNTS[table][column];
        int[] sl = sfLong[ch];
        int[] ss = sfShort[ch];
        Arrays.fill(sl, 0);
        Arrays.fill(ss, 0);
        // slots in transmission order: long bands, then (band, window) of short bands
        int longBands = type != 2 ? 21 : mixed[gr][ch] ? 6 : 0;
        int shortSlot = type == 2 && mixed[gr][ch] ? 9 : 0;
        int slot = 0;
        for (int part = 0; part < 4; part++) {
            int len = part == 0 ? s0 : part == 1 ? s1 : part == 2 ? s2 : s3;
            int limit = (1 << len) - 1;
            for (int i = 0; i < counts[part]; i++, slot++) {
                int value = bits(len);
                if (slot < longBands) {
                    sl[slot] = value;
                    if (ch == 1) {
                        isLimitLong[slot] = limit - 1;
                    }
                } else {
                    int s = shortSlot + slot - longBands;
                    if (s < 39) {
                        ss[s] = value;
                        if (ch == 1) {
                            isLimitShort[s] = limit - 1;
                        }
                    }
                }
            }
        }
        if (ch == 1) { // the bands without a scalefactor take their neighbour's intensity position
            isLimitLong[21] = isLimitLong[20];
            isLimitShort[36] = isLimitShort[33];
            isLimitShort[37] = isLimitShort[34];
            isLimitShort[38] = isLimitShort[35];
        }
        return bitPos - start;
    }

    /**
     * Huffman-decodes the granule's spectrum between bit positions {@code from} and {@code to} into {@link #xr} as
     * sign * |value|^(4/3) (the step sizes follow in {@link #requantize}); returns how many lines may be non-zero.
     */
    private int huffman(int gr, int ch, int from, int to) {
        float[] out = xr[ch];
        float[] pow43 = POW43;
        int[] pow43Bits = POW43_BITS;
        byte[] b = bitBuffer;
        int p = from;
        int big = bigValues[gr][ch] * 2;
        int r1 = Math.min(region1Start[gr][ch], big);
        int r2 = Math.min(region2Start[gr][ch], big);
        int i = 0;
        for (int region = 0; region < 3; region++) {
            int regionEnd = region == 0 ? r1 : region == 1 ? r2 : big;
            int select = tableSelect[gr][ch][region];
            int[] table = Mp3Huffman.PAIRS[select];
            if (table == null) {
                for (; i < regionEnd; i++) {
                    out[i] = 0f;
                }
                continue;
            }
            int first = Mp3Huffman.FIRST_BITS[select];
            int linbits = Mp3Huffman.LINBITS[select];
            for (; i < regionEnd; i += 2) {
                int w = peek(b, p); // at least 25 valid bits: a code (up to 19) and both sign bits
                int e = table[w >>> (32 - first)];
                if (e < 0) {
                    int link = -e;
                    int sub = link & 31;
                    e = table[(link >>> 5) + ((w << first) >>> (32 - sub))];
                }
                int length = e >>> 8;
                int x = (e >>> 4) & 15;
                int y = e & 15;
                float fx = 0f;
                float fy = 0f;
                if (linbits == 0 || (x != 15 && y != 15)) {
                    // without branches on the (unpredictable) signs: a sign bit follows each non-zero value
                    int signs = w << length;
                    int hasX = -x >>> 31;
                    int signX = signs & (hasX << 31);
                    signs <<= hasX;
                    int hasY = -y >>> 31;
                    int signY = signs & (hasY << 31);
                    p += length + hasX + hasY;
                    out[i] = Float.intBitsToFloat(pow43Bits[x] | signX);
                    out[i + 1] = Float.intBitsToFloat(pow43Bits[y] | signY);
                    continue;
                }
                p += length;
                if (x != 0) {
                    if (x == 15 && linbits != 0) {
                        x += peek(b, p) >>> (32 - linbits);
                        p += linbits;
                    }
                    fx = peek(b, p) < 0 ? -pow43[x] : pow43[x];
                    p++;
                }
                if (y != 0) {
                    if (y == 15 && linbits != 0) {
                        y += peek(b, p) >>> (32 - linbits);
                        p += linbits;
                    }
                    fy = peek(b, p) < 0 ? -pow43[y] : pow43[y];
                    p++;
                }
                out[i] = fx;
                out[i + 1] = fy;
            }
        }
        // count1: quadruples of -1, 0, 1 until the granule's bits run out; one that overruns them is not data
        boolean tableA = count1Table[gr][ch] == 0;
        while (i <= 572 && p < to) {
            int w = peek(b, p);
            int q;
            int start = p;
            if (tableA) {
                int e = Mp3Huffman.QUADS_A[w >>> 26];
                p += e >>> 4;
                q = e & 15;
            } else {
                p += 4;
                q = ~(w >>> 28) & 15;
            }
            float v0 = (q >> 3) & 1;
            float v1 = (q >> 2) & 1;
            float v2 = (q >> 1) & 1;
            float v3 = q & 1;
            if (v0 != 0 && peek(b, p++) < 0) {
                v0 = -1f;
            }
            if (v1 != 0 && peek(b, p++) < 0) {
                v1 = -1f;
            }
            if (v2 != 0 && peek(b, p++) < 0) {
                v2 = -1f;
            }
            if (v3 != 0 && peek(b, p++) < 0) {
                v3 = -1f;
            }
            if (p > to) {
                p = start;
                break;
            }
            out[i] = v0;
            out[i + 1] = v1;
            out[i + 2] = v2;
            out[i + 3] = v3;
            i += 4;
        }
        return i;
    }

    /** The 32 bits from bit {@code p} on, of which the first 25 at least are the stream's. */
    private static int peek(byte[] b, int p) {
        return (int) BIG_ENDIAN_INT.get(b, p >>> 3) << (p & 7);
    }

    /** Scales lines {@code 0..nonZero} of {@link #xr} band by band with each band's step size; zeroes the rest. */
    private void requantize(int gr, int ch) {
        float[] x = xr[ch];
        int n = nonZero[ch];
        int gain = globalGain[gr][ch] - 210 + POW2_OFFSET;
        int shift = 1 + scalefacScale[gr][ch];
        int[] longStart = LONG[rate];
        int[] sl = sfLong[ch];
        int type = blockType[gr][ch];
        int longBands = type != 2 ? 22 : mixed[gr][ch] ? (mpeg1 ? 8 : 6) : 0;
        boolean pre = preflag[gr][ch];
        int i = 0;
        for (int band = 0; band < longBands && i < n; band++) {
            int e = gain - ((sl[band] + (pre ? PRETAB[band] : 0)) << shift);
            float step = POW2[Math.max(e, 0)];
            int end = Math.min(longStart[band + 1], n);
            for (; i < end; i++) {
                x[i] *= step;
            }
        }
        if (type == 2) {
            int[] shortStart = SHORT[rate];
            int[] ss = sfShort[ch];
            int[] sub = subblockGain[gr][ch];
            for (int band = longBands == 0 ? 0 : 3; band < 13 && i < n; band++) {
                int width = shortStart[band + 1] - shortStart[band];
                for (int w = 0; w < 3 && i < n; w++) {
                    int e = gain - 8 * sub[w] - (ss[3 * band + w] << shift);
                    float step = POW2[Math.max(e, 0)];
                    int end = Math.min(i + width, n);
                    for (; i < end; i++) {
                        x[i] *= step;
                    }
                }
            }
        }
        Arrays.fill(x, i, 576, 0f);
        nonZero[ch] = i;
    }

    // ---- stereo

    private void stereo(int gr) {
        float[] l = xr[0];
        float[] r = xr[1];
        if (!intensityStereo) {
            if (msStereo) {
                int n = Math.max(nonZero[0], nonZero[1]);
                midSide(l, r, 0, n);
                nonZero[0] = nonZero[1] = n;
            }
            return;
        }
        int[] longStart = LONG[rate];
        if (blockType[gr][1] == 2) {
            int[] shortStart = SHORT[rate];
            boolean mix = mixed[gr][1];
            int firstShort = mix ? 3 : 0;
            boolean anyShortNonZero = false;
            for (int w = 0; w < 3; w++) {
                int top = firstShort - 1; // highest band of this window with right-channel signal
                for (int band = 12; band >= firstShort; band--) {
                    int width = shortStart[band + 1] - shortStart[band];
                    int from = 3 * shortStart[band] + w * width;
                    if (anyNonZero(r, from, from + width)) {
                        top = band;
                        break;
                    }
                }
                anyShortNonZero |= top >= firstShort;
                for (int band = firstShort; band < 13; band++) {
                    int width = shortStart[band + 1] - shortStart[band];
                    int from = 3 * shortStart[band] + w * width;
                    int slot = 3 * Math.min(band, 11) + w;
                    if (band > top && sfShort[1][slot] <= isLimitShort[band < 12 ? slot : 36 + w]) {
                        intensity(l, r, from, from + width, sfShort[1][slot]);
                    } else if (msStereo) {
                        midSide(l, r, from, from + width);
                    }
                }
            }
            if (mix) {
                longStereo(l, r, mpeg1 ? 8 : 6, longStart[mpeg1 ? 8 : 6], !anyShortNonZero);
            }
        } else {
            longStereo(l, r, 22, nonZero[1], true);
        }
        nonZero[0] = nonZero[1] = 576;
    }

    /** Long bands below {@code bands}: intensity above the right channel's last signal (before {@code limit}). */
    private void longStereo(float[] l, float[] r, int bands, int limit, boolean intensityAllowed) {
        int[] longStart = LONG[rate];
        int last = limit - 1;
        while (last >= 0 && r[last] == 0f) {
            last--;
        }
        for (int band = 0; band < bands; band++) {
            int from = longStart[band];
            int to = longStart[band + 1];
            int position = sfLong[1][Math.min(band, 20)];
            if (intensityAllowed && from > last && position <= isLimitLong[band]) {
                intensity(l, r, from, to, position);
            } else if (msStereo) {
                midSide(l, r, from, to);
            }
        }
    }

    private static boolean anyNonZero(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (x[i] != 0f) {
                return true;
            }
        }
        return false;
    }

    private static void midSide(float[] l, float[] r, int from, int to) {
        for (int i = from; i < to; i++) {
            float m = l[i];
            float s = r[i];
            l[i] = (m + s) * SQRT1_2;
            r[i] = (m - s) * SQRT1_2;
        }
    }

    private void intensity(float[] l, float[] r, int from, int to, int position) {
        float kl;
        float kr;
        if (mpeg1) {
            kl = IS_LEFT[position];
            kr = IS_RIGHT[position];
        } else {
            float k = IS_LSF[scalefacCompress[0][1] & 1][position];
            boolean odd = (position & 1) != 0;
            kl = odd ? k : 1f;
            kr = odd ? 1f : k;
        }
        for (int i = from; i < to; i++) {
            float v = l[i];
            l[i] = v * kl;
            r[i] = v * kr;
        }
    }

    // ---- to time domain

    /** Reorders short blocks, reduces aliasing, runs the IMDCT with overlap-add into {@link #hybrid} (slot-major). */
    private void hybridSynthesis(int gr, int ch) {
        float[] x = xr[ch];
        int type = blockType[gr][ch];
        boolean mix = mixed[gr][ch];
        int n = nonZero[ch];
        int longSubbands = type != 2 ? 32 : mix ? (rate == 8 ? 4 : 2) : 0;
        if (type == 2) {
            int[] shortStart = SHORT[rate];
            int firstBand = mix ? 3 : 0;
            for (int band = firstBand; band < 13; band++) {
                int width = shortStart[band + 1] - shortStart[band];
                int base = 3 * shortStart[band];
                for (int f = 0; f < width; f++) {
                    for (int w = 0; w < 3; w++) {
                        reorder[base + 3 * f + w] = x[base + w * width + f];
                    }
                }
            }
            int from = 3 * shortStart[firstBand];
            System.arraycopy(reorder, from, x, from, 576 - from);
            n = 576;
        }
        int boundaries = type != 2 ? Math.min(31, (n + 7) / 18) : mix ? 1 : 0;
        for (int sb = 1; sb <= boundaries; sb++) {
            int edge = 18 * sb;
            for (int i = 0; i < 8; i++) {
                float a = x[edge - 1 - i];
                float b = x[edge + i];
                x[edge - 1 - i] = a * ALIAS_CS[i] - b * ALIAS_CA[i];
                x[edge + i] = b * ALIAS_CS[i] + a * ALIAS_CA[i];
            }
        }
        int active = type != 2 ? Math.min(32, (Math.min(576, n + 8) + 17) / 18) : 32;
        float[] prev = overlap[ch];
        float[] out = hybrid;
        for (int sb = 0; sb < 32; sb++) {
            int off = sb * 18;
            if (sb >= active) {
                for (int t = 0; t < 18; t++) {
                    float v = prev[off + t];
                    out[t * 32 + sb] = ((sb & t & 1) != 0) ? -v : v;
                    prev[off + t] = 0f;
                }
            } else if (sb < longSubbands) {
                imdctLong(x, off, WINDOWS[type == 2 ? 0 : type], prev, out, sb);
            } else {
                imdctShort(x, off, prev, out, sb);
            }
        }
    }

    /** 36-point IMDCT of one subband's 18 lines, windowed, overlap-added; output with frequency inversion. */
    private void imdctLong(float[] x, int off, float[] window, float[] prev, float[] out, int sb) {
        float[] in = dctIn;
        System.arraycopy(x, off, in, 0, 18);
        float[] c = dctOut;
        dct4x18(in, c);
        // IMDCT output i from the DCT-IV: i < 9: c[i + 9]; 9..26: -c[26 - i]; 27..35: -c[i - 27]
        for (int t = 0; t < 9; t++) {
            out[t * 32 + sb] = c[t + 9] * window[t] + prev[off + t];
            prev[off + t] = -c[8 - t] * window[t + 18];
        }
        for (int t = 9; t < 18; t++) {
            out[t * 32 + sb] = prev[off + t] - c[26 - t] * window[t];
            prev[off + t] = -c[t - 9] * window[t + 18];
        }
        if ((sb & 1) != 0) { // frequency inversion: odd subbands, odd samples
            for (int t = 1; t < 18; t += 2) {
                out[t * 32 + sb] = -out[t * 32 + sb];
            }
        }
    }

    /** Three 12-point IMDCTs (lines interleaved by window after reordering), overlapped into 36 outputs. */
    private void imdctShort(float[] x, int off, float[] prev, float[] out, int sb) {
        float[] z = shortOut;
        Arrays.fill(z, 0f);
        float[] window = WINDOWS[2];
        for (int w = 0; w < 3; w++) {
            for (int m = 0; m < 6; m++) {
                float s = 0;
                for (int k = 0; k < 6; k++) {
                    s += x[off + 3 * k + w] * SHORT_COS[m * 6 + k];
                }
                dctOut[m] = s;
            }
            float[] c = dctOut;
            for (int i = 0; i < 12; i++) {
                float y = i < 3 ? c[i + 3] : i < 9 ? -c[8 - i] : -c[i - 9];
                z[6 + 6 * w + i] += y * window[i];
            }
        }
        boolean invert = (sb & 1) != 0;
        for (int t = 0; t < 18; t++) {
            float v = z[t] + prev[off + t];
            out[t * 32 + sb] = invert && (t & 1) != 0 ? -v : v;
            prev[off + t] = z[t + 18];
        }
    }

    /**
     * DCT-IV of 18 values, c[m] = sum x[k] cos(pi / 18 (m + 1/2)(k + 1/2)), through a 9-point complex FFT (3 x 3):
     * pairs x[2n] + i x[17 - 2n] are turned by pi (4n + 1) / 72, transformed, turned by pi p / 18; the real parts
     * are the even outputs, the negated imaginary parts the odd ones from the top.
     */
    private void dct4x18(float[] x, float[] c) {
        float[] re = fftRe;
        float[] im = fftIm;
        for (int n = 0; n < 9; n++) {
            float a = x[2 * n];
            float b = x[17 - 2 * n];
            re[n] = a * PRE_COS[n] + b * PRE_SIN[n];
            im[n] = b * PRE_COS[n] - a * PRE_SIN[n];
        }
        // first stage: 3-point DFTs over n1 (n = 3 n1 + n2), then twiddle by exp(-2 pi i n2 p1 / 9)
        for (int n2 = 0; n2 < 3; n2++) {
            float a0r = re[n2];
            float a0i = im[n2];
            float a1r = re[n2 + 3];
            float a1i = im[n2 + 3];
            float a2r = re[n2 + 6];
            float a2i = im[n2 + 6];
            float sr = a1r + a2r;
            float si = a1i + a2i;
            float dr = (a1r - a2r) * SQRT3_2;
            float di = (a1i - a2i) * SQRT3_2;
            float tr = a0r - 0.5f * sr;
            float ti = a0i - 0.5f * si;
            re[n2] = a0r + sr;
            im[n2] = a0i + si;
            float x1r = tr + di;
            float x1i = ti - dr;
            float x2r = tr - di;
            float x2i = ti + dr;
            if (n2 == 0) {
                re[3] = x1r;
                im[3] = x1i;
                re[6] = x2r;
                im[6] = x2i;
            } else {
                float c1 = TWIDDLE_COS[n2];
                float s1 = TWIDDLE_SIN[n2];
                float c2 = TWIDDLE_COS[2 * n2];
                float s2 = TWIDDLE_SIN[2 * n2];
                re[n2 + 3] = x1r * c1 - x1i * s1;
                im[n2 + 3] = x1r * s1 + x1i * c1;
                re[n2 + 6] = x2r * c2 - x2i * s2;
                im[n2 + 6] = x2r * s2 + x2i * c2;
            }
        }
        // second stage: 3-point DFTs over n2 for each p1 (stored at 3 p1 + n2), output p = p1 + 3 p2; then post-twiddle
        for (int p1 = 0; p1 < 3; p1++) {
            int base = 3 * p1;
            float a0r = re[base];
            float a0i = im[base];
            float a1r = re[base + 1];
            float a1i = im[base + 1];
            float a2r = re[base + 2];
            float a2i = im[base + 2];
            float sr = a1r + a2r;
            float si = a1i + a2i;
            float dr = (a1r - a2r) * SQRT3_2;
            float di = (a1i - a2i) * SQRT3_2;
            float tr = a0r - 0.5f * sr;
            float ti = a0i - 0.5f * si;
            post(c, p1, a0r + sr, a0i + si);
            post(c, p1 + 3, tr + di, ti - dr);
            post(c, p1 + 6, tr - di, ti + dr);
        }
    }

    private static void post(float[] c, int p, float zr, float zi) {
        float yr = zr * POST_COS[p] + zi * POST_SIN[p];
        float yi = zi * POST_COS[p] - zr * POST_SIN[p];
        c[2 * p] = yr;
        c[17 - 2 * p] = -yi;
    }

    static int sampleRate(int header) {
        int version = (header >>> 19) & 3;
        return RATES[(header >>> 10) & 3] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    }
}
