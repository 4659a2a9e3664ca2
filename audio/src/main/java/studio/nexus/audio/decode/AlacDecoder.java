package studio.nexus.audio.decode;

/**
 * Apple Lossless (ALAC) frames to integer samples, written from Apple's published format description.
 * A frame is a run of elements (one channel, a channel pair, LFE, fill, data) closed by an end tag.
 * Each channel is either stored verbatim (the "escape" frames an encoder writes when compression does not
 * pay) or as prediction residuals coded with an adaptive Golomb-Rice code; an adaptive FIR predictor turns
 * residuals back into samples, and a pair is un-mixed from (mid-ish, side) into left and right. At 24 and
 * 32 bits the encoder may strip the low bytes ("shifted bytes") and store them verbatim beside the coded
 * part.
 *
 * <p>Buffers are sized once from the configuration (the "magic cookie"); decoding a frame allocates
 * nothing. Every read is checked against the frame's bytes, so a broken or hostile frame ends in a
 * {@link CorruptAudioException}, never in an index error or a loop. Not thread-safe.
 */
final class AlacDecoder {
    /** The longest frame we accept; Apple's encoder writes 4096 samples, ffmpeg's at most 4096 too. */
    static final int MAX_FRAME_LENGTH = 1 << 16;

    private static final int SCE = 0;
    private static final int CPE = 1;
    private static final int LFE = 3;
    private static final int DSE = 4;
    private static final int FIL = 6;
    private static final int END = 7;

    // The adaptive Golomb coder's constants: means are kept in fixed point with 9 fraction bits.
    private static final int QBSHIFT = 9;
    private static final int QB = 1 << QBSHIFT;
    private static final int MMULSHIFT = 2;
    private static final int MDENSHIFT = QBSHIFT - MMULSHIFT - 1;
    private static final int MOFF = 1 << (MDENSHIFT - 2);
    private static final int BITOFF = 24;
    private static final int MAX_PREFIX = 9;
    private static final int RUN_RAW_BITS = 16;
    private static final long MEAN_CLAMP = 0xffff;

    /** Where each decoded channel (in element order: centre first) goes in WAV order, by channel count. */
    private static final int[][] WAV_ORDER = {
        {0},
        {0, 1},
        {2, 0, 1},
        {2, 0, 1, 3},
        {2, 0, 1, 3, 4},
        {2, 0, 1, 4, 5, 3},
        {2, 0, 1, 4, 5, 6, 3},
        {2, 6, 7, 0, 1, 4, 5, 3},
    };

    final int frameLength;
    final int bitDepth;
    final int channels;
    final int sampleRate;
    private final int pb;
    private final int mb;
    private final int kb;

    /** Decoded samples of the last frame, per output channel (WAV order), right-aligned at {@link #bitDepth}. */
    final int[][] samples;
    private final int[] residualU;
    private final int[] residualV;
    private final int[] mixU;
    private final int[] mixV;
    private final int[] shifted;
    private final short[] coefsU = new short[32];
    private final short[] coefsV = new short[32];

    private byte[] in = new byte[0];
    private long pos; // bit position in {@link #in}
    private long limit; // bits of the frame

    private AlacDecoder(int frameLength, int bitDepth, int pb, int mb, int kb, int channels, int sampleRate) {
        this.frameLength = frameLength;
        this.bitDepth = bitDepth;
        this.pb = pb;
        this.mb = mb;
        this.kb = kb;
        this.channels = channels;
        this.sampleRate = sampleRate;
        samples = new int[channels][frameLength];
        residualU = new int[frameLength];
        residualV = new int[frameLength];
        mixU = new int[frameLength];
        mixV = new int[frameLength];
        shifted = new int[2 * frameLength];
    }

    /**
     * Reads the 24-byte ALACSpecificConfig (the "magic cookie"); {@code fallbackRate} when it gives none.
     * Older QuickTime files wrap it after a 'frma' box and a 12-byte header; that form is found too.
     */
    static AlacDecoder configure(byte[] cookie, long fallbackRate) throws AudioDecodeException {
        if (cookie == null) {
            throw new CorruptAudioException("ALAC: no decoder configuration (magic cookie)");
        }
        int p = 0;
        if (cookie.length >= 24 + 24 && cookie[4] == 'f' && cookie[5] == 'r' && cookie[6] == 'm' && cookie[7] == 'a') {
            p = 24; // 'frma' box (12) + 'alac' box header (12)
        }
        if (cookie.length - p < 24) {
            throw new CorruptAudioException("ALAC: decoder configuration of " + cookie.length + " bytes");
        }
        long frameLength = HeaderReader.u32be(cookie, p);
        int version = cookie[p + 4] & 0xff;
        int bitDepth = cookie[p + 5] & 0xff;
        int pb = cookie[p + 6] & 0xff;
        int mb = cookie[p + 7] & 0xff;
        int kb = cookie[p + 8] & 0xff;
        int channels = cookie[p + 9] & 0xff;
        long rate = HeaderReader.u32be(cookie, p + 20);
        if (version != 0) {
            throw new UnsupportedAudioFormatException("ALAC: format version " + version);
        }
        if (frameLength <= 0 || frameLength > MAX_FRAME_LENGTH) {
            throw new CorruptAudioException("ALAC: frames of " + frameLength + " samples");
        }
        if (bitDepth != 16 && bitDepth != 20 && bitDepth != 24 && bitDepth != 32) {
            throw new CorruptAudioException("ALAC: " + bitDepth + "-bit samples");
        }
        if (kb == 0 || kb > 31 || pb == 0) {
            throw new CorruptAudioException("ALAC: unusable coder parameters (pb " + pb + ", kb " + kb + ")");
        }
        Limits.checkChannels("ALAC", channels);
        if (rate == 0) {
            rate = fallbackRate;
        }
        Limits.checkRate("ALAC", rate);
        return new AlacDecoder((int) frameLength, bitDepth, pb, mb, kb, channels, (int) rate);
    }

    /** The largest frame in bytes that a valid stream can hold: every sample verbatim plus headers. */
    int maxFrameBytes() {
        return (int) Math.min(Integer.MAX_VALUE, (long) frameLength * channels * (bitDepth / 8 + 1) + 64L * channels + 64);
    }

    /**
     * Decodes one frame of {@code length} bytes from {@code frame} (which must have 8 readable bytes past
     * it, zero or not: reads look ahead) into {@link #samples}. Returns the frame's sample count.
     */
    int decode(byte[] frame, int length) throws CorruptAudioException {
        if (frame.length < length + 8) {
            throw new IllegalArgumentException("frame buffer needs 8 bytes of look-ahead");
        }
        in = frame;
        pos = 0;
        limit = 8L * length;
        int channel = 0;
        int frameSamples = -1;
        for (int element = 0; ; element++) {
            if (element > 64 + channels) {
                throw corrupt("too many elements in a frame");
            }
            int tag = bits(3);
            if (tag == END) {
                break;
            }
            switch (tag) {
                case SCE, LFE, CPE -> {
                    int count = tag == CPE ? 2 : 1;
                    if (channel + count > channels) {
                        throw corrupt("more channels in a frame than the configuration declares");
                    }
                    int n = tag == CPE ? pair(channel) : single(channel);
                    if (frameSamples >= 0 && n != frameSamples) {
                        throw corrupt("channels of one frame with different lengths");
                    }
                    frameSamples = n;
                    channel += count;
                }
                case DSE -> {
                    bits(4); // element instance
                    boolean align = bits(1) == 1;
                    int count = bits(8);
                    if (count == 255) {
                        count += bits(8);
                    }
                    if (align) {
                        pos = (pos + 7) & ~7L;
                    }
                    skip(8L * count);
                }
                case FIL -> {
                    int count = bits(4);
                    if (count == 15) {
                        count += bits(8) - 1;
                    }
                    skip(8L * count);
                }
                default -> throw corrupt("element type " + tag + " (not written by ALAC encoders)");
            }
        }
        if (channel != channels) {
            throw corrupt("a frame with " + channel + " of " + channels + " channels");
        }
        return frameSamples;
    }

    /** Common element header; returns {partial flag, bytes shifted, escape flag} packed, and the sample count. */
    private int header() throws CorruptAudioException {
        bits(4); // element instance tag
        if (bits(12) != 0) {
            throw corrupt("element header with reserved bits set");
        }
        return bits(4);
    }

    private int sampleCount(int flags) throws CorruptAudioException {
        if ((flags & 8) == 0) {
            return frameLength;
        }
        long n = bits(16) << 16 | bits(16);
        if (n <= 0 || n > frameLength) {
            throw corrupt("a frame of " + n + " samples, at most " + frameLength + " declared");
        }
        return (int) n;
    }

    private int single(int channel) throws CorruptAudioException {
        int flags = header();
        int n = sampleCount(flags);
        int bytesShifted = (flags >> 1) & 3;
        int[] out = samples[WAV_ORDER[channels - 1][channel]];
        if ((flags & 1) != 0) { // verbatim
            for (int i = 0; i < n; i++) {
                out[i] = signed(bitDepth);
            }
            return n;
        }
        int shift = 8 * bytesShifted;
        int chanBits = bitDepth - shift;
        if (bytesShifted == 3 || chanBits <= 0) {
            throw corrupt("shifted bytes beyond the sample size");
        }
        bits(16); // mixing parameters: meaningless for one channel
        int modeU = bits(4);
        int denShiftU = bits(4);
        int pbFactorU = bits(3);
        int orderU = bits(5);
        for (int k = 0; k < orderU; k++) {
            coefsU[k] = (short) bits(16);
        }
        long shiftedAt = pos;
        skip((long) shift * n);
        residuals(residualU, n, pbFactorU, chanBits);
        predict(residualU, mixU, n, modeU, coefsU, orderU, chanBits, denShiftU);
        if (shift > 0) {
            long end = pos;
            pos = shiftedAt;
            for (int i = 0; i < n; i++) {
                out[i] = mixU[i] << shift | bits(shift);
            }
            pos = end;
        } else {
            System.arraycopy(mixU, 0, out, 0, n);
        }
        return n;
    }

    private int pair(int channel) throws CorruptAudioException {
        int flags = header();
        int n = sampleCount(flags);
        int bytesShifted = (flags >> 1) & 3;
        int[] left = samples[WAV_ORDER[channels - 1][channel]];
        int[] right = samples[WAV_ORDER[channels - 1][channel + 1]];
        if ((flags & 1) != 0) { // verbatim, interleaved
            for (int i = 0; i < n; i++) {
                left[i] = signed(bitDepth);
                right[i] = signed(bitDepth);
            }
            return n;
        }
        int shift = 8 * bytesShifted;
        int chanBits = bitDepth - shift + 1; // the side channel needs one more bit
        if (bytesShifted == 3 || chanBits > 32 || chanBits <= 1) {
            throw corrupt("a channel pair of " + chanBits + " bits");
        }
        int mixBits = bits(8);
        int mixRes = (byte) bits(8);
        int modeU = bits(4);
        int denShiftU = bits(4);
        int pbFactorU = bits(3);
        int orderU = bits(5);
        for (int k = 0; k < orderU; k++) {
            coefsU[k] = (short) bits(16);
        }
        int modeV = bits(4);
        int denShiftV = bits(4);
        int pbFactorV = bits(3);
        int orderV = bits(5);
        for (int k = 0; k < orderV; k++) {
            coefsV[k] = (short) bits(16);
        }
        long shiftedAt = pos;
        skip(2L * shift * n);
        residuals(residualU, n, pbFactorU, chanBits);
        predict(residualU, mixU, n, modeU, coefsU, orderU, chanBits, denShiftU);
        residuals(residualV, n, pbFactorV, chanBits);
        predict(residualV, mixV, n, modeV, coefsV, orderV, chanBits, denShiftV);
        if (mixRes != 0) {
            if (mixBits > 31) {
                throw corrupt("stereo mixing shift of " + mixBits);
            }
            for (int i = 0; i < n; i++) {
                int u = mixU[i];
                int v = mixV[i];
                int l = u + v - ((mixRes * v) >> mixBits);
                left[i] = l;
                right[i] = l - v;
            }
        } else {
            System.arraycopy(mixU, 0, left, 0, n);
            System.arraycopy(mixV, 0, right, 0, n);
        }
        if (shift > 0) {
            long end = pos;
            pos = shiftedAt;
            for (int i = 0; i < n; i++) {
                left[i] = left[i] << shift | bits(shift);
                right[i] = right[i] << shift | bits(shift);
            }
            pos = end;
        }
        return n;
    }

    /**
     * Adaptive Golomb-Rice residuals: the code parameter follows a running mean of the magnitudes; when the
     * mean falls low, a run length of zeros follows instead of single values.
     */
    private void residuals(int[] out, int n, int pbFactor, int maxBits) throws CorruptAudioException {
        long mean = mb;
        long adapt = (long) pb * pbFactor >> 2;
        long wb = (1L << kb) - 1;
        int zmode = 0;
        int c = 0;
        while (c < n) {
            int k = Math.min(31 - Integer.numberOfLeadingZeros((int) (mean >>> QBSHIFT) + 3), kb);
            long value = value(k, maxBits);
            long folded = value + zmode;
            out[c++] = (int) ((folded & 1) == 0 ? (folded + 1) >>> 1 : -((folded + 1) >>> 1));
            // unsigned 32-bit arithmetic, as the format's reference defines it
            mean = (adapt * folded + mean - (((adapt * mean) & 0xffffffffL) >> QBSHIFT)) & 0xffffffffL;
            if (value > MEAN_CLAMP) {
                mean = MEAN_CLAMP;
            }
            zmode = 0;
            if ((mean << MMULSHIFT) < QB && c < n) {
                zmode = 1;
                int rk = Integer.numberOfLeadingZeros((int) mean) - BITOFF + (int) ((mean + MOFF) >> MDENSHIFT);
                long run = runLength(rk, ((1L << rk) - 1) & wb);
                if (run > n - c) {
                    throw corrupt("a run of zeros past the end of the frame");
                }
                for (int j = 0; j < run; j++) {
                    out[c++] = 0;
                }
                if (run >= 65535) {
                    zmode = 0;
                }
                mean = 0;
            }
        }
    }

    /** A residual: a unary prefix then k bits, or (prefix of 9 ones) the value verbatim in maxBits. */
    private long value(int k, int maxBits) throws CorruptAudioException {
        int prefix = ones();
        if (prefix >= MAX_PREFIX) {
            pos += MAX_PREFIX;
            return maxBits == 32 ? (long) bits(16) << 16 | bits(16) : bits(maxBits);
        }
        pos += prefix + 1;
        if (k == 1) {
            check();
            return prefix;
        }
        long m = (1L << k) - 1;
        long v = peek() >>> (32 - k);
        if (v >= 2) {
            pos += k;
            check();
            return prefix * m + v - 1;
        }
        pos += k - 1;
        check();
        return prefix * m;
    }

    /** A run length: like {@link #value} with a 16-bit verbatim escape. */
    private long runLength(int k, long m) throws CorruptAudioException {
        int prefix = ones();
        if (prefix >= MAX_PREFIX) {
            pos += MAX_PREFIX;
            return bits(RUN_RAW_BITS);
        }
        pos += prefix + 1;
        if (k <= 0) {
            throw corrupt("a run coded with no bits");
        }
        long v = peek() >>> (32 - k);
        if (v >= 2) {
            pos += k;
            check();
            return prefix * m + v - 1;
        }
        pos += k - 1;
        check();
        return prefix * m;
    }

    /**
     * The adaptive FIR predictor: each sample is predicted from the previous ones relative to the oldest in
     * the window, and the coefficients nudge towards reducing the residual (sign-sign adaptation).
     */
    private static void predict(int[] residual, int[] out, int n, int mode, short[] coefs, int order, int chanBits,
            int denShift) {
        if (mode != 0) {
            // A second stage: the residuals were first differenced once more.
            integrate(residual, n, chanBits);
        }
        int shift = 32 - chanBits;
        out[0] = residual[0];
        if (order == 0) {
            System.arraycopy(residual, 1, out, 1, n - 1);
            return;
        }
        if (order == 31) {
            System.arraycopy(residual, 0, out, 0, n);
            integrate(out, n, chanBits);
            return;
        }
        int warm = Math.min(order, n - 1);
        for (int j = 1; j <= warm; j++) {
            out[j] = (residual[j] + out[j - 1]) << shift >> shift;
        }
        int half = denShift > 0 ? 1 << (denShift - 1) : 0;
        for (int j = order + 1; j < n; j++) {
            int top = out[j - order - 1];
            int sum = 0;
            for (int k = 0; k < order; k++) {
                sum += coefs[k] * (out[j - 1 - k] - top);
            }
            int error = residual[j];
            out[j] = (error + top + ((sum + half) >> denShift)) << shift >> shift;
            if (error > 0) {
                for (int k = order - 1; k >= 0; k--) {
                    int d = top - out[j - 1 - k];
                    int sign = Integer.signum(d);
                    coefs[k] -= sign;
                    error -= (order - k) * ((sign * d) >> denShift);
                    if (error <= 0) {
                        break;
                    }
                }
            } else if (error < 0) {
                for (int k = order - 1; k >= 0; k--) {
                    int d = top - out[j - 1 - k];
                    int sign = Integer.signum(d);
                    coefs[k] += sign;
                    error -= (order - k) * ((-sign * d) >> denShift);
                    if (error >= 0) {
                        break;
                    }
                }
            }
        }
    }

    /** First-order integration in place, wrapping at chanBits. */
    private static void integrate(int[] x, int n, int chanBits) {
        int shift = 32 - chanBits;
        int prev = x[0];
        for (int j = 1; j < n; j++) {
            prev = (x[j] + prev) << shift >> shift;
            x[j] = prev;
        }
    }

    // Bit reading. The frame buffer has look-ahead bytes past the frame; every read checks the frame's end.

    /** 32 bits starting at {@link #pos}. */
    private int peek() {
        int p = (int) (pos >>> 3);
        long word = (in[p] & 0xffL) << 32 | (in[p + 1] & 0xffL) << 24 | (in[p + 2] & 0xffL) << 16
                | (in[p + 3] & 0xffL) << 8 | (in[p + 4] & 0xffL);
        return (int) (word >>> (8 - (pos & 7)));
    }

    /** Counts leading one bits at {@link #pos} (up to 32), without consuming them. */
    private int ones() throws CorruptAudioException {
        check();
        return Integer.numberOfLeadingZeros(~peek());
    }

    private int bits(int n) throws CorruptAudioException {
        if (n == 0) {
            return 0;
        }
        check();
        int v = peek() >>> (32 - n);
        pos += n;
        check();
        return v;
    }

    /** A verbatim sample of n bits, sign-extended. */
    private int signed(int n) throws CorruptAudioException {
        int v = n > 16 ? bits(16) << (n - 16) | bits(n - 16) : bits(n);
        return v << (32 - n) >> (32 - n);
    }

    private void skip(long n) throws CorruptAudioException {
        pos += n;
        check();
    }

    private void check() throws CorruptAudioException {
        if (pos > limit) {
            throw corrupt("frame ends inside its data");
        }
    }

    private static CorruptAudioException corrupt(String what) {
        return new CorruptAudioException("ALAC: " + what);
    }
}
