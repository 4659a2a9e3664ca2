package studio.nexus.audio.decode;

import java.util.Arrays;

/**
 * Our own AAC-LC decoder (ISO/IEC 14496-3 subpart 4, the same syntax as 13818-7 LC): one raw_data_block in,
 * 1024 float samples per channel out, in the stream's element order (SCE/CPE/LFE as they come). Covers what
 * phones and ffmpeg write: long and short windows with sine/KBD shapes and window groups, all eleven spectral
 * codebooks with escapes up to 8191, pulses, TNS, mid/side and intensity stereo, and perceptual noise
 * substitution (PNS). Streams it does not cover (SBR/PS, Main/LTP prediction, coupling channels, 960-sample
 * frames) are told apart by {@link #open} returning null or {@link #decode} throwing {@link NotPlainLc}, so the
 * caller can hand them to another decoder.
 *
 * <p>Memory: a few arrays per channel, made on the first frames; decoding a frame allocates nothing.
 * Not thread-safe.
 */
final class AacLcDecoder {
    static final int FRAME = 1024;
    static final int MAX_CHANNELS = 8;

    /** The stream uses a tool this decoder leaves to another (SBR in a fill element, coupling channels). */
    static final class NotPlainLc extends Exception {
        NotPlainLc(String what) {
            super(what, null, false, false);
        }
    }

    private static final int ONLY_LONG = 0;
    private static final int LONG_START = 1;
    private static final int EIGHT_SHORT = 2;
    private static final int LONG_STOP = 3;
    private static final int ZERO_BOOK = 0;
    private static final int ESCAPE_BOOK = 11;
    private static final int NOISE_BOOK = 13;
    private static final int INTENSITY_OUT_OF_PHASE = 14;
    private static final int INTENSITY_IN_PHASE = 15;
    /** Band-indexed arrays hold groups at this stride (a long window has at most 51 bands, a short one 15). */
    private static final int BANDS = 64;

    // ---- constant tables built once from AacTables ----
    private static final int[][] BOOK_TABLES = new int[12][];
    private static final int[] BOOK_BITS = new int[12];
    /** Per codebook and index: the values (signed books) or magnitudes (unsigned books), dims per index. */
    private static final int[][] BOOK_VALUES = new int[12][];
    /** The same values to the power 4/3, sign kept. */
    private static final float[][] BOOK_POWERS = new float[12][];
    /** Per codebook and index: how many of its values are nonzero (the sign bits that follow, unsigned books). */
    private static final int[][] BOOK_NONZERO = new int[12][];
    /** Per codebook, index and value: how many sign bits follow this value's (unsigned quads). */
    private static final int[][] BOOK_SIGN_SHIFTS = new int[12][];
    private static final int[] SF_TABLE;
    private static final int SF_BITS = 11;
    /** |q|^(4/3) for every quantised magnitude AAC allows (0..8191). */
    private static final float[] POW43 = new float[8192];
    /** 2^(0.25 · (sf − 100)) for scale factors 0..255. */
    private static final float[] GAIN = new float[256];
    /** TNS reflection coefficients by resolution (3 or 4 bits) and signed index + 8. */
    private static final float[][] TNS_COEFFICIENTS = new float[2][16];
    /** Rising halves of the windows: [shape: 0 sine, 1 KBD][n]. */
    private static final float[][] LONG_WINDOW = {sine(2048), kbd(2048, 4)};
    private static final float[][] SHORT_WINDOW = {sine(256), kbd(256, 6)};

    static {
        int[][] codes = {null, AacTables.CODES_1, AacTables.CODES_2, AacTables.CODES_3, AacTables.CODES_4,
            AacTables.CODES_5, AacTables.CODES_6, AacTables.CODES_7, AacTables.CODES_8, AacTables.CODES_9,
            AacTables.CODES_10, AacTables.CODES_11};
        int[][] lengths = {null, AacTables.LENGTHS_1, AacTables.LENGTHS_2, AacTables.LENGTHS_3,
            AacTables.LENGTHS_4, AacTables.LENGTHS_5, AacTables.LENGTHS_6, AacTables.LENGTHS_7, AacTables.LENGTHS_8,
            AacTables.LENGTHS_9, AacTables.LENGTHS_10, AacTables.LENGTHS_11};
        for (int b = 1; b <= 11; b++) {
            int longest = Arrays.stream(lengths[b]).max().orElse(1);
            BOOK_BITS[b] = Math.min(longest, 10);
            BOOK_TABLES[b] = AacBits.table(codes[b], lengths[b], BOOK_BITS[b]);
            int dims = dimensions(b);
            int modulo = modulo(b);
            int offset = signed(b) ? modulo / 2 : 0;
            int count = codes[b].length;
            BOOK_VALUES[b] = new int[count * dims];
            BOOK_POWERS[b] = new float[count * dims];
            BOOK_NONZERO[b] = new int[count];
            for (int index = 0; index < count; index++) {
                for (int d = dims - 1, rest = index; d >= 0; d--, rest /= modulo) {
                    int v = rest % modulo - offset;
                    BOOK_VALUES[b][index * dims + d] = v;
                    BOOK_POWERS[b][index * dims + d] = (float) (Math.signum(v) * Math.pow(Math.abs(v), 4.0 / 3));
                    BOOK_NONZERO[b][index] += v != 0 ? 1 : 0;
                }
            }
            BOOK_SIGN_SHIFTS[b] = new int[count * dims];
            for (int index = 0; index < count; index++) {
                for (int d = dims - 1, after = 0; d >= 0; d--) {
                    BOOK_SIGN_SHIFTS[b][index * dims + d] = after;
                    after += BOOK_VALUES[b][index * dims + d] != 0 ? 1 : 0;
                }
            }
            if (!signed(b)) {
                // unsigned books: a codeword's entry also says how many sign bits follow, and its length
                // counts them, so the bit position advances once per codeword
                int[] t = BOOK_TABLES[b];
                for (int i = 0; i < t.length; i++) {
                    if (t[i] >= 0) {
                        int symbol = t[i] >>> 5;
                        int signs = BOOK_NONZERO[b][symbol];
                        t[i] = (symbol << 8) | (signs << 5) | ((t[i] & 31) + signs);
                    }
                }
            }
        }
        SF_TABLE = AacBits.table(AacTables.SCALEFACTOR_CODES, AacTables.SCALEFACTOR_LENGTHS, SF_BITS);
        for (int q = 0; q < POW43.length; q++) {
            POW43[q] = (float) Math.pow(q, 4.0 / 3);
        }
        for (int sf = 0; sf < GAIN.length; sf++) {
            GAIN[sf] = (float) Math.pow(2, 0.25 * (sf - 100));
        }
        for (int res = 0; res < 2; res++) {
            int bits = res + 3;
            double positive = ((1 << (bits - 1)) - 0.5) / (Math.PI / 2);
            double negative = ((1 << (bits - 1)) + 0.5) / (Math.PI / 2);
            for (int v = -8; v < 8; v++) {
                TNS_COEFFICIENTS[res][v + 8] = (float) Math.sin(v / (v >= 0 ? positive : negative));
            }
        }
    }

    static int dimensions(int book) {
        return book <= 4 ? 4 : 2;
    }

    static boolean signed(int book) {
        return book == 1 || book == 2 || book == 5 || book == 6;
    }

    /** Values per dimension: signed books span −lav..lav, unsigned 0..lav (book 11: 16 is the escape). */
    static int modulo(int book) {
        return switch (book) {
            case 1, 2, 3, 4 -> 3;
            case 5, 6 -> 9;
            case 7, 8 -> 8;
            case 9, 10 -> 13;
            default -> 17;
        };
    }

    private static float[] sine(int n) {
        float[] w = new float[n / 2];
        for (int i = 0; i < n / 2; i++) {
            w[i] = (float) Math.sin(Math.PI / n * (i + 0.5));
        }
        return w;
    }

    /** Kaiser-Bessel-derived window (rising half) with the given alpha. */
    private static float[] kbd(int n, double alpha) {
        int half = n / 2;
        double[] kernel = new double[half + 1];
        double total = 0;
        for (int j = 0; j <= half; j++) {
            double x = (j - half / 2.0) / (half / 2.0);
            kernel[j] = besselI0(Math.PI * alpha * Math.sqrt(Math.max(0, 1 - x * x)));
            total += kernel[j];
        }
        float[] w = new float[half];
        double sum = 0;
        for (int i = 0; i < half; i++) {
            sum += kernel[i];
            w[i] = (float) Math.sqrt(sum / total);
        }
        return w;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 60; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    /** One output channel's state and its current frame's side information. */
    private static final class Channel {
        final float[] spectrum = new float[FRAME];
        final float[] overlap = new float[FRAME];
        final float[] pcm = new float[FRAME];
        final int[] bandBook = new int[8 * BANDS];
        final int[] bandScale = new int[8 * BANDS]; // intensity position or noise energy
        final float[] bandGain = new float[8 * BANDS];
        final int[] groupLength = new int[8];
        int windowSequence;
        int windowShape;
        int previousShape;
        int maxBands;
        int windows;
        int groups;
        int[] bandEdges;
        int bandCount;
        // pulses (long windows only)
        int pulses;
        final int[] pulseOffset = new int[4];
        final int[] pulseAmplitude = new int[4];
        int pulseStartBand;
        // TNS: per window up to 3 filters (short windows: 1)
        final int[] tnsFilters = new int[8];
        final int[] tnsLength = new int[8 * 4];
        final int[] tnsOrder = new int[8 * 4];
        final boolean[] tnsDownward = new boolean[8 * 4];
        final float[] tnsCoefficients = new float[8 * 4 * 16];
        boolean tns;

        void copyWindowing(Channel from) {
            windowSequence = from.windowSequence;
            windowShape = from.windowShape;
            maxBands = from.maxBands;
            windows = from.windows;
            groups = from.groups;
            System.arraycopy(from.groupLength, 0, groupLength, 0, 8);
            bandEdges = from.bandEdges;
            bandCount = from.bandCount;
        }
    }

    final int sampleRate;
    private final int rateIndex;
    private final AacBits bits = new AacBits();
    private final Channel[] channels = new Channel[MAX_CHANNELS];
    private final float[][] output = new float[MAX_CHANNELS][];
    private final boolean[] midSide = new boolean[8 * BANDS];
    private int midSideMode;
    private final AacImdct longImdct = new AacImdct(2048, 1.0 / 32768);
    private final AacImdct shortImdct = new AacImdct(256, 1.0 / 32768);
    private final float[] transformed = new float[2048];
    private final float[] shortFrame = new float[2048];
    private final float[] lpc = new float[16];
    private final float[] lpcNext = new float[16];
    private int random = 0x1f2e3d4c;
    private long fullScale;
    private boolean started; // a frame with audio has been decoded

    private AacLcDecoder(int sampleRate, int rateIndex) {
        this.sampleRate = sampleRate;
        this.rateIndex = rateIndex;
    }

    /**
     * A decoder for an AudioSpecificConfig, or null when the stream is not plain AAC-LC with 1024-sample frames
     * (HE-AAC signalled explicitly, Main, LTP, other object types): those go to another decoder.
     */
    static AacLcDecoder open(byte[] config) throws CorruptAudioException {
        AacBits in = new AacBits();
        in.set(Arrays.copyOf(config, config.length + AacBits.PADDING), config.length);
        int objectType = in.read(5);
        if (objectType == 31) {
            objectType = 32 + in.read(6);
        }
        int rateIndex = in.read(4);
        int rate;
        if (rateIndex == 15) {
            rate = in.read(24);
            rateIndex = nearestRateIndex(rate);
        } else if (rateIndex < AacTables.SAMPLE_RATES.length) {
            rate = AacTables.SAMPLE_RATES[rateIndex];
        } else {
            throw new CorruptAudioException("AAC: reserved sampling-rate index " + rateIndex);
        }
        int channelConfig = in.read(4);
        if (channelConfig >= 8 && channelConfig <= 10 || channelConfig == 15) {
            throw new CorruptAudioException("AAC: reserved channel configuration " + channelConfig);
        }
        if (objectType != 2 || rate <= 0) {
            return null;
        }
        if (in.bit()) { // frameLengthFlag: 960-sample frames
            return null;
        }
        if (in.bit()) { // dependsOnCoreCoder
            in.read(14);
        }
        in.bit(); // extensionFlag: none defined for LC
        if (channelConfig == 0) {
            skipProgramConfig(in);
        }
        in.checkInside();
        // an explicit, backward-compatible SBR signal after the LC config (HE-AAC with hierarchical signalling)
        if (in.left() >= 16 && in.read(11) == 0x2b7 && in.read(5) == 5 && in.left() >= 1 && in.bit()) {
            return null;
        }
        return new AacLcDecoder(rate, rateIndex);
    }

    private static int nearestRateIndex(int rate) {
        int[] lowest = {92017, 75132, 55426, 46009, 37566, 27713, 23004, 18783, 13856, 11502, 9391};
        for (int i = 0; i < lowest.length; i++) {
            if (rate >= lowest[i]) {
                return i;
            }
        }
        return 11;
    }

    private static void skipProgramConfig(AacBits in) throws CorruptAudioException {
        in.read(4 + 2 + 4); // tag, object type, rate index
        int front = in.read(4);
        int side = in.read(4);
        int back = in.read(4);
        int lfe = in.read(2);
        int data = in.read(3);
        int coupling = in.read(4);
        for (int i = 0; i < 3; i++) { // mono, stereo, matrix mix-down
            if (in.bit()) {
                in.read(i == 2 ? 3 : 4);
            }
        }
        in.skip(5 * (front + side + back) + 4 * (lfe + data) + 5 * coupling);
        in.byteAlign();
        in.skip(8 * in.read(8));
        in.checkInside();
    }

    /** Escape-coded coefficients at AAC's full scale (8191) decoded so far. */
    long fullScaleCoefficients() {
        return fullScale;
    }

    /** The coding tools a stream uses, counted as frames (windows) or bands decode (tests check their coverage). */
    enum Tool { SHORT_WINDOWS, TNS_FILTERS, MID_SIDE_BANDS, INTENSITY_BANDS, NOISE_BANDS, PULSES, KBD_WINDOWS }

    private final long[] used = new long[Tool.values().length];

    /** How often {@code tool} was used so far. */
    long used(Tool tool) {
        return used[tool.ordinal()];
    }

    /** Decoded samples, by channel in element order; {@code [c][0..1024)} after {@link #decode}. */
    float[][] output() {
        return output;
    }

    /**
     * Decodes one raw_data_block from {@code frame[0..length)}; the array must have {@link AacBits#PADDING}
     * spare bytes behind. Returns the channels decoded.
     */
    int decode(byte[] frame, int length) throws CorruptAudioException, NotPlainLc {
        AacBits in = bits;
        in.set(frame, length);
        int count = 0;
        while (true) {
            if (in.left() < 3) {
                throw new CorruptAudioException("AAC: frame ends without its end element");
            }
            int id = in.read(3);
            switch (id) {
                case 0, 3 -> { // single channel, low-frequency effects
                    in.read(4);
                    Channel c = channel(count++);
                    readChannelStream(c, false);
                    noise(c, null);
                    finish(c);
                }
                case 1 -> {
                    in.read(4);
                    Channel left = channel(count++);
                    Channel right = channel(count++);
                    boolean common = in.bit();
                    midSideMode = 0;
                    if (common) {
                        readWindowing(left);
                        right.copyWindowing(left);
                        midSideMode = in.read(2);
                        if (midSideMode == 3) {
                            throw new CorruptAudioException("AAC: reserved mid/side mode");
                        }
                        for (int g = 0; g < left.groups; g++) {
                            for (int b = 0; b < left.maxBands; b++) {
                                midSide[g * BANDS + b] = midSideMode == 2 || (midSideMode == 1 && in.bit());
                            }
                        }
                    }
                    readChannelStream(left, common);
                    readChannelStream(right, common);
                    noise(left, null);
                    noise(right, common ? left : null);
                    if (common) {
                        stereo(left, right);
                    }
                    finish(left);
                    finish(right);
                }
                case 2 -> throw new NotPlainLc("coupling channel element");
                case 4 -> { // data stream: skipped
                    in.read(4);
                    boolean align = in.bit();
                    int bytes = in.read(8);
                    if (bytes == 255) {
                        bytes += in.read(8);
                    }
                    if (align) {
                        in.byteAlign();
                    }
                    in.skip(8 * bytes);
                }
                case 5 -> skipProgramConfig(in);
                case 6 -> { // fill: padding, or an extension such as SBR
                    int bytes = in.read(4);
                    if (bytes == 15) {
                        bytes += in.read(8) - 1;
                    }
                    if (bytes > 0) {
                        int type = in.peek() >>> 28;
                        // SBR from the first frame on: HE-AAC, for the caller to hand over. Appearing later, the
                        // output rate is settled; the LC core still decodes (at the lower rate), as a player would.
                        if ((type == 13 || type == 14) && !started) {
                            throw new NotPlainLc("spectral band replication (HE-AAC)");
                        }
                    }
                    in.skip(8 * bytes);
                }
                default -> {
                    in.checkInside();
                    started |= count > 0;
                    return count;
                }
            }
            in.checkInside();
        }
    }

    private Channel channel(int index) throws CorruptAudioException {
        if (index >= MAX_CHANNELS) {
            throw new CorruptAudioException("AAC: more than " + MAX_CHANNELS + " channels");
        }
        if (channels[index] == null) {
            channels[index] = new Channel();
            output[index] = channels[index].pcm;
        }
        return channels[index];
    }

    private void readWindowing(Channel c) throws CorruptAudioException {
        AacBits in = bits;
        if (in.bit()) {
            throw new CorruptAudioException("AAC: reserved bit set in the window information");
        }
        c.windowSequence = in.read(2);
        c.windowShape = in.read(1);
        if (c.windowSequence == EIGHT_SHORT) {
            c.maxBands = in.read(4);
            int grouping = in.read(7);
            c.windows = 8;
            c.groups = 1;
            c.groupLength[0] = 1;
            for (int i = 6; i >= 0; i--) {
                if ((grouping >>> i & 1) != 0) {
                    c.groupLength[c.groups - 1]++;
                } else {
                    c.groupLength[c.groups++] = 1;
                }
            }
            c.bandEdges = AacTables.SHORT_BANDS[rateIndex];
        } else {
            c.maxBands = in.read(6);
            c.windows = 1;
            c.groups = 1;
            c.groupLength[0] = 1;
            c.bandEdges = AacTables.LONG_BANDS[rateIndex];
            if (in.bit()) {
                throw new CorruptAudioException("AAC: prediction data in an LC stream");
            }
        }
        c.bandCount = c.bandEdges.length - 1;
        if (c.maxBands > c.bandCount) {
            throw new CorruptAudioException("AAC: " + c.maxBands + " bands of " + c.bandCount);
        }
    }

    private void readChannelStream(Channel c, boolean common) throws CorruptAudioException {
        AacBits in = bits;
        int globalGain = in.read(8);
        if (!common) {
            readWindowing(c);
        }
        readSections(c);
        readScaleFactors(c, globalGain);
        c.pulses = 0;
        if (in.bit()) {
            if (c.windowSequence == EIGHT_SHORT) {
                throw new CorruptAudioException("AAC: pulses in a short window");
            }
            c.pulses = in.read(2) + 1;
            c.pulseStartBand = in.read(6);
            if (c.pulseStartBand >= c.bandCount) {
                throw new CorruptAudioException("AAC: pulses start beyond the bands");
            }
            for (int i = 0; i < c.pulses; i++) {
                c.pulseOffset[i] = in.read(5);
                c.pulseAmplitude[i] = in.read(4);
            }
        }
        c.tns = in.bit();
        if (c.tns) {
            readTns(c);
        }
        if (in.bit()) {
            throw new CorruptAudioException("AAC: gain control data in an LC stream");
        }
        in.checkInside();
        readSpectrum(c);
        if (c.pulses > 0) {
            used[Tool.PULSES.ordinal()] += c.pulses;
            addPulses(c);
        }
    }

    private void readSections(Channel c) throws CorruptAudioException {
        AacBits in = bits;
        int lengthBits = c.windowSequence == EIGHT_SHORT ? 3 : 5;
        int escape = (1 << lengthBits) - 1;
        for (int g = 0; g < c.groups; g++) {
            int band = 0;
            while (band < c.maxBands) {
                int book = in.read(4);
                if (book == 12) {
                    throw new CorruptAudioException("AAC: reserved codebook 12");
                }
                int length = 0;
                int increment;
                do {
                    increment = in.read(lengthBits);
                    length += increment;
                    in.checkInside();
                } while (increment == escape);
                if (band + length > c.maxBands) {
                    throw new CorruptAudioException("AAC: a section runs past the last band");
                }
                Arrays.fill(c.bandBook, g * BANDS + band, g * BANDS + band + length, book);
                band += length;
            }
        }
    }

    private void readScaleFactors(Channel c, int globalGain) throws CorruptAudioException {
        AacBits in = bits;
        int scale = globalGain;
        int intensity = 0;
        int noise = globalGain - 90;
        boolean firstNoise = true;
        for (int g = 0; g < c.groups; g++) {
            for (int b = 0; b < c.maxBands; b++) {
                int i = g * BANDS + b;
                switch (c.bandBook[i]) {
                    case ZERO_BOOK -> c.bandGain[i] = 0;
                    case INTENSITY_OUT_OF_PHASE, INTENSITY_IN_PHASE -> {
                        intensity += in.decode(SF_TABLE, SF_BITS) - 60;
                        c.bandScale[i] = intensity;
                    }
                    case NOISE_BOOK -> {
                        if (firstNoise) {
                            noise += in.read(9) - 256;
                            firstNoise = false;
                        } else {
                            noise += in.decode(SF_TABLE, SF_BITS) - 60;
                        }
                        c.bandScale[i] = noise;
                    }
                    default -> {
                        scale += in.decode(SF_TABLE, SF_BITS) - 60;
                        if (scale < 0 || scale > 255) {
                            throw new CorruptAudioException("AAC: scale factor " + scale + " out of range");
                        }
                        c.bandGain[i] = GAIN[scale];
                    }
                }
            }
            in.checkInside();
        }
    }

    private void readTns(Channel c) throws CorruptAudioException {
        AacBits in = bits;
        boolean isShort = c.windowSequence == EIGHT_SHORT;
        int maxOrder = isShort ? 7 : 12;
        for (int w = 0; w < c.windows; w++) {
            int filters = in.read(isShort ? 1 : 2);
            c.tnsFilters[w] = filters;
            if (filters == 0) {
                continue;
            }
            int resolution = in.read(1);
            for (int f = 0; f < filters; f++) {
                int slot = w * 4 + f;
                c.tnsLength[slot] = in.read(isShort ? 4 : 6);
                int order = in.read(isShort ? 3 : 5);
                if (order > maxOrder) {
                    throw new CorruptAudioException("AAC: TNS order " + order + " above " + maxOrder);
                }
                c.tnsOrder[slot] = order;
                if (order == 0) {
                    continue;
                }
                c.tnsDownward[slot] = in.bit();
                int coefficientBits = 3 + resolution - in.read(1);
                for (int i = 0; i < order; i++) {
                    int raw = in.read(coefficientBits);
                    int value = (raw << (32 - coefficientBits)) >> (32 - coefficientBits);
                    c.tnsCoefficients[slot * 16 + i] = TNS_COEFFICIENTS[resolution][value + 8];
                }
            }
        }
        in.checkInside();
    }

    private void readSpectrum(Channel c) throws CorruptAudioException {
        AacBits in = bits;
        float[] x = c.spectrum;
        int[] edges = c.bandEdges;
        int coded = edges[c.maxBands];
        if (coded < edges[c.bandCount]) { // above the last coded band: silence, in every window
            for (int w = 0; w < c.windows; w++) {
                Arrays.fill(x, w * 128 + coded, w * 128 + edges[c.bandCount], 0f);
            }
        }
        for (int g = 0, window = 0; g < c.groups; window += c.groupLength[g], g++) {
            for (int b = 0; b < c.maxBands; b++) {
                int i = g * BANDS + b;
                int book = c.bandBook[i];
                int width = edges[b + 1] - edges[b];
                for (int w = 0; w < c.groupLength[g]; w++) {
                    int at = (window + w) * 128 + edges[b];
                    if (book == ZERO_BOOK || book >= NOISE_BOOK) {
                        Arrays.fill(x, at, at + width, 0f);
                    } else if (book == ESCAPE_BOOK) {
                        readEscapePairs(in, x, at, width, c.bandGain[i]);
                    } else if (signed(book)) {
                        readSigned(in, book, x, at, width, c.bandGain[i]);
                    } else {
                        readUnsigned(in, book, x, at, width, c.bandGain[i]);
                    }
                }
                in.checkInside();
            }
        }
    }

    private static void readSigned(AacBits in, int book, float[] x, int at, int width, float gain) {
        int[] table = BOOK_TABLES[book];
        int tableBits = BOOK_BITS[book];
        float[] powers = BOOK_POWERS[book];
        byte[] data = in.data();
        int pos = in.position();
        int step = book <= 4 ? 4 : 2;
        for (int k = at, end = at + width; k < end; k += step) {
            int w = AacBits.peek(data, pos);
            int e = table[w >>> (32 - tableBits)];
            if (e < 0) {
                int sub = -1 - e;
                e = table[(sub >>> 5) + ((w << tableBits) >>> (32 - (sub & 31)))];
            }
            pos += e & 31;
            int v = (e >>> 5) * step;
            x[k] = powers[v] * gain;
            x[k + 1] = powers[v + 1] * gain;
            if (step == 4) {
                x[k + 2] = powers[v + 2] * gain;
                x[k + 3] = powers[v + 3] * gain;
            }
        }
        in.position(pos);
    }

    /**
     * Unsigned codebooks: the codeword, then one sign bit per nonzero value. Both come from one 32-bit look
     * (a codeword is at most 16 bits, at most 4 sign bits follow).
     */
    private static void readUnsigned(AacBits in, int book, float[] x, int at, int width, float gain) {
        int[] table = BOOK_TABLES[book];
        int tableBits = BOOK_BITS[book];
        float[] powers = BOOK_POWERS[book];
        int[] shifts = BOOK_SIGN_SHIFTS[book];
        byte[] data = in.data();
        int pos = in.position(); // in a local: the loop's one carried value stays in a register
        if (book <= 4) {
            for (int k = at, end = at + width; k < end; k += 4) {
                int w = AacBits.peek(data, pos);
                int e = table[w >>> (32 - tableBits)];
                if (e < 0) {
                    int sub = -1 - e;
                    e = table[(sub >>> 5) + ((w << tableBits) >>> (32 - (sub & 31)))];
                }
                int advance = e & 31;
                int signs = (e >>> 5) & 7;
                int bits = (w << (advance - signs)) >>> (32 - signs);
                pos += advance;
                int v = (e >>> 8) << 2;
                // signs are random: flipping the float's sign bit instead of branching (a zero becomes −0)
                x[k] = flip(powers[v], bits >>> shifts[v]) * gain;
                x[k + 1] = flip(powers[v + 1], bits >>> shifts[v + 1]) * gain;
                x[k + 2] = flip(powers[v + 2], bits >>> shifts[v + 2]) * gain;
                x[k + 3] = flip(powers[v + 3], bits >>> shifts[v + 3]) * gain;
            }
        } else {
            for (int k = at, end = at + width; k < end; k += 2) {
                int w = AacBits.peek(data, pos);
                int e = table[w >>> (32 - tableBits)];
                if (e < 0) {
                    int sub = -1 - e;
                    e = table[(sub >>> 5) + ((w << tableBits) >>> (32 - (sub & 31)))];
                }
                int advance = e & 31;
                int signs = (e >>> 5) & 7;
                int bits = (w << (advance - signs)) >>> (32 - signs);
                pos += advance;
                int v = e >>> 8;
                // the second value's sign is the last bit, the first's the first (when both are nonzero)
                x[k] = flip(powers[2 * v], bits >>> (signs - 1)) * gain;
                x[k + 1] = flip(powers[2 * v + 1], bits) * gain;
            }
        }
        in.position(pos);
    }

    private void readEscapePairs(AacBits in, float[] x, int at, int width, float gain)
            throws CorruptAudioException {
        int[] table = BOOK_TABLES[ESCAPE_BOOK];
        int tableBits = BOOK_BITS[ESCAPE_BOOK];
        int[] values = BOOK_VALUES[ESCAPE_BOOK];
        byte[] data = in.data();
        int pos = in.position();
        for (int k = at, end = at + width; k < end; k += 2) {
            int w = AacBits.peek(data, pos);
            int e = table[w >>> (32 - tableBits)];
            if (e < 0) {
                int sub = -1 - e;
                e = table[(sub >>> 5) + ((w << tableBits) >>> (32 - (sub & 31)))];
            }
            int advance = e & 31;
            int signs = (e >>> 5) & 7;
            int bits = (w << (advance - signs)) >>> (32 - signs); // unused when no sign follows
            pos += advance;
            int v = e >>> 8;
            int a = values[2 * v];
            int b = values[2 * v + 1];
            if (a == 16 || b == 16) { // rare: through the reader
                in.position(pos);
                if (a == 16) {
                    a = escape(in);
                }
                if (b == 16) {
                    b = escape(in);
                }
                pos = in.position();
            }
            x[k] = flip(POW43[a], bits >>> (signs - 1)) * gain;
            x[k + 1] = flip(POW43[b], bits) * gain;
        }
        in.position(pos);
    }

    /** {@code value} with its sign bit flipped when the lowest bit of {@code sign} is set. */
    private static float flip(float value, int sign) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(value) ^ (sign << 31));
    }

    /** An escape sequence: N ones, a zero, then N + 4 bits; the value is 2^(N+4) plus those bits (N ≤ 8). */
    private int escape(AacBits in) throws CorruptAudioException {
        int n = 4;
        while (in.bit()) {
            if (++n > 12) {
                throw new CorruptAudioException("AAC: escape value above 8191");
            }
        }
        int value = (1 << n) + in.read(n);
        if (value == 8191) {
            fullScale++;
        }
        return value;
    }

    /** Pulses raise single quantised values by a small amount (long windows only). */
    private static void addPulses(Channel c) throws CorruptAudioException {
        int k = c.bandEdges[c.pulseStartBand];
        int band = c.pulseStartBand;
        for (int p = 0; p < c.pulses; p++) {
            k += c.pulseOffset[p];
            if (k >= FRAME) {
                throw new CorruptAudioException("AAC: pulse beyond the spectrum");
            }
            while (c.bandEdges[band + 1] <= k) {
                band++;
            }
            int book = c.bandBook[band];
            if (band >= c.maxBands || book == ZERO_BOOK || book >= NOISE_BOOK) {
                continue;
            }
            float gain = c.bandGain[band];
            float value = c.spectrum[k] / gain;
            int q = (int) Math.round(Math.pow(Math.abs(value), 0.75));
            int signed = value > 0 ? q + c.pulseAmplitude[p] : -q - c.pulseAmplitude[p];
            int magnitude = Math.min(Math.abs(signed), POW43.length - 1);
            c.spectrum[k] = (signed < 0 ? -POW43[magnitude] : POW43[magnitude]) * gain;
        }
    }

    /**
     * Noise-substituted bands: random values scaled to the band's energy 2^(sf/2). In a pair with mid/side on,
     * both channels' noise in a band shares one random vector ({@code left}: that pair's first channel).
     */
    private void noise(Channel c, Channel left) {
        int[] edges = c.bandEdges;
        float[] x = c.spectrum;
        for (int g = 0, window = 0; g < c.groups; window += c.groupLength[g], g++) {
            for (int b = 0; b < c.maxBands; b++) {
                int i = g * BANDS + b;
                if (c.bandBook[i] != NOISE_BOOK) {
                    continue;
                }
                used[Tool.NOISE_BANDS.ordinal()]++;
                float target = (float) Math.pow(2, 0.25 * c.bandScale[i]);
                boolean shared = left != null && midSide[i] && left.bandBook[i] == NOISE_BOOK;
                float leftTarget = shared ? (float) Math.pow(2, 0.25 * left.bandScale[i]) : 0;
                for (int w = 0; w < c.groupLength[g]; w++) {
                    int at = (window + w) * 128 + edges[b];
                    int end = at + edges[b + 1] - edges[b];
                    if (shared) {
                        float ratio = target / leftTarget;
                        for (int k = at; k < end; k++) {
                            x[k] = left.spectrum[k] * ratio;
                        }
                        continue;
                    }
                    float energy = 0;
                    for (int k = at; k < end; k++) {
                        random = random * 1664525 + 1013904223;
                        x[k] = random;
                        energy += x[k] * x[k];
                    }
                    float scale = energy > 0 ? target / (float) Math.sqrt(energy) : 0;
                    for (int k = at; k < end; k++) {
                        x[k] *= scale;
                    }
                }
            }
        }
    }

    /** Mid/side, then intensity stereo, over a pair with a common window. */
    private void stereo(Channel left, Channel right) {
        int[] edges = left.bandEdges;
        float[] l = left.spectrum;
        float[] r = right.spectrum;
        for (int g = 0, window = 0; g < left.groups; window += left.groupLength[g], g++) {
            for (int b = 0; b < left.maxBands; b++) {
                int i = g * BANDS + b;
                int book = right.bandBook[i];
                if (book == INTENSITY_IN_PHASE || book == INTENSITY_OUT_OF_PHASE) {
                    used[Tool.INTENSITY_BANDS.ordinal()]++;
                    float scale = (float) Math.pow(0.5, 0.25 * right.bandScale[i]);
                    if ((book == INTENSITY_OUT_OF_PHASE) != (midSideMode == 1 && midSide[i])) {
                        scale = -scale;
                    }
                    for (int w = 0; w < left.groupLength[g]; w++) {
                        int at = (window + w) * 128 + edges[b];
                        for (int k = at, end = at + edges[b + 1] - edges[b]; k < end; k++) {
                            r[k] = l[k] * scale;
                        }
                    }
                } else if (midSide[i] && book != NOISE_BOOK && left.bandBook[i] != NOISE_BOOK) {
                    used[Tool.MID_SIDE_BANDS.ordinal()]++;
                    for (int w = 0; w < left.groupLength[g]; w++) {
                        int at = (window + w) * 128 + edges[b];
                        for (int k = at, end = at + edges[b + 1] - edges[b]; k < end; k++) {
                            float m = l[k];
                            float s = r[k];
                            l[k] = m + s;
                            r[k] = m - s;
                        }
                    }
                }
            }
        }
    }

    /** TNS, the inverse transform, windowing and overlap-add: the channel's 1024 output samples. */
    private void finish(Channel c) {
        if (c.tns) {
            applyTns(c);
        }
        float[] out = c.pcm;
        float[] overlap = c.overlap;
        float[] previousShort = SHORT_WINDOW[c.previousShape];
        float[] currentShort = SHORT_WINDOW[c.windowShape];
        used[Tool.KBD_WINDOWS.ordinal()] += c.windowShape;
        if (c.windowSequence == EIGHT_SHORT) {
            used[Tool.SHORT_WINDOWS.ordinal()]++;
            float[] frame = shortFrame;
            float[] t = transformed;
            Arrays.fill(frame, 448, 1600, 0f);
            for (int w = 0; w < 8; w++) {
                shortImdct.transform(c.spectrum, w * 128, t, 0);
                float[] rising = w == 0 ? previousShort : currentShort;
                int at = 448 + 128 * w;
                for (int j = 0; j < 128; j++) {
                    frame[at + j] += t[j] * rising[j];
                    frame[at + 128 + j] += t[128 + j] * currentShort[127 - j];
                }
            }
            for (int i = 0; i < 448; i++) {
                out[i] = overlap[i];
            }
            for (int i = 448; i < FRAME; i++) {
                out[i] = overlap[i] + frame[i];
            }
            for (int i = 0; i < 576; i++) {
                overlap[i] = frame[FRAME + i];
            }
            Arrays.fill(overlap, 576, FRAME, 0f);
        } else {
            // the long transform's 2048 outputs t[i] follow from its 1024 distinct values z:
            // t[i] = z[511 - i] (i < 512), −z[i − 512] (i < 1536), −z[2559 − i] (the rest)
            float[] z = longImdct.half(c.spectrum, 0);
            if (c.windowSequence == LONG_STOP) {
                System.arraycopy(overlap, 0, out, 0, 448);
                for (int i = 448; i < 512; i++) {
                    out[i] = overlap[i] + z[511 - i] * previousShort[i - 448];
                }
                for (int i = 512; i < 576; i++) {
                    out[i] = overlap[i] - z[i - 512] * previousShort[i - 448];
                }
                for (int i = 576; i < FRAME; i++) {
                    out[i] = overlap[i] - z[i - 512];
                }
            } else {
                float[] rising = LONG_WINDOW[c.previousShape];
                for (int i = 0; i < 512; i++) {
                    out[i] = overlap[i] + z[511 - i] * rising[i];
                }
                for (int i = 512; i < FRAME; i++) {
                    out[i] = overlap[i] - z[i - 512] * rising[i];
                }
            }
            if (c.windowSequence == LONG_START) {
                for (int j = 0; j < 448; j++) {
                    overlap[j] = -z[512 + j];
                }
                for (int j = 448; j < 512; j++) {
                    overlap[j] = -z[512 + j] * currentShort[127 - (j - 448)];
                }
                for (int j = 512; j < 576; j++) {
                    overlap[j] = -z[1535 - j] * currentShort[127 - (j - 448)];
                }
                Arrays.fill(overlap, 576, FRAME, 0f);
            } else {
                float[] falling = LONG_WINDOW[c.windowShape];
                for (int j = 0; j < 512; j++) {
                    overlap[j] = -z[512 + j] * falling[FRAME - 1 - j];
                }
                for (int j = 512; j < FRAME; j++) {
                    overlap[j] = -z[1535 - j] * falling[FRAME - 1 - j];
                }
            }
        }
        c.previousShape = c.windowShape;
    }

    /** Temporal noise shaping: an all-pole filter run along the spectrum over each filter's bands. */
    private void applyTns(Channel c) {
        boolean isShort = c.windowSequence == EIGHT_SHORT;
        int maxBands = Math.min(isShort ? AacTables.TNS_MAX_BANDS_SHORT[rateIndex]
                : AacTables.TNS_MAX_BANDS_LONG[rateIndex], c.maxBands);
        int[] edges = c.bandEdges;
        float[] x = c.spectrum;
        float[] a = lpc;
        float[] next = lpcNext;
        for (int w = 0; w < c.windows; w++) {
            int bottom = c.bandCount;
            for (int f = 0; f < c.tnsFilters[w]; f++) {
                int slot = w * 4 + f;
                int top = bottom;
                bottom = Math.max(0, top - c.tnsLength[slot]);
                int order = c.tnsOrder[slot];
                if (order == 0) {
                    continue;
                }
                used[Tool.TNS_FILTERS.ordinal()]++;
                // reflection coefficients to direct-form predictor a[1..order]
                for (int m = 1; m <= order; m++) {
                    float k = c.tnsCoefficients[slot * 16 + m - 1];
                    for (int i = 1; i < m; i++) {
                        next[i] = a[i] + k * a[m - i];
                    }
                    System.arraycopy(next, 1, a, 1, m - 1);
                    a[m] = k;
                }
                int start = edges[Math.min(bottom, maxBands)];
                int end = edges[Math.min(top, maxBands)];
                int size = end - start;
                if (size <= 0) {
                    continue;
                }
                int step = 1;
                if (c.tnsDownward[slot]) {
                    step = -1;
                    start = end - 1;
                }
                start += w * 128;
                for (int m = 0, k = start; m < size; m++, k += step) {
                    float y = x[k];
                    for (int i = 1, stop = Math.min(m, order); i <= stop; i++) {
                        y -= x[k - i * step] * a[i];
                    }
                    x[k] = y;
                }
            }
        }
    }
}
