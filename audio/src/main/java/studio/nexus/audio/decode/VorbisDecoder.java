package studio.nexus.audio.decode;

/**
 * Our own Vorbis I decoder for the audio packets: floor 1, residues 0/1/2, channel coupling, inverse MDCT, windows
 * and overlap-add (Vorbis I specification, sections 4 and 6–8). The three header packets are read here too, with
 * every index and size checked before it is used, so a hostile setup header is refused, never trusted. After set-up
 * a packet decodes without allocating: all memory is sized by the header's block sizes and channel count.
 * Not thread-safe.
 */
final class VorbisDecoder {
    final int channels;
    final int rate;
    private final int shortSize;
    private final int longSize;
    private final VorbisCodebook[] books;
    private final VorbisFloor[] floors;
    private final VorbisResidue[] residues;
    private final Mapping[] mappings;
    private final boolean[] modeLong;
    private final int[] modeMapping;
    private final int modeBits;
    private final VorbisImdct shortImdct;
    private final VorbisImdct longImdct;
    private final float[] shortSlope;
    private final float[] longSlope;
    private final VorbisBits bits = new VorbisBits();
    private final float[][] spectrum;
    private final float[] block;
    private final float[][] overlap;
    private final int[][] floorY;
    private final boolean[][] floorUsed;
    private final boolean[] silent;
    private final boolean[] noFloor;
    private final int[] submapChannels;
    private int previousSize; // 0: no block yet
    /** The samples the last packet completed, per channel in Vorbis order; {@link #decode} returns how many. */
    final float[][] output;

    private record Mapping(int[] magnitude, int[] angle, int[] mux, int[] submapFloor, int[] submapResidue) {}

    /** Reads the identification header (packet 1). The comment and setup headers follow via {@link #setup}. */
    static int[] identification(byte[] data, int offset, int length) throws AudioDecodeException {
        VorbisBits in = new VorbisBits();
        in.reset(data, offset, length);
        checkPacket(in, 1, "identification");
        int version = in.read(32);
        int channels = in.read(8);
        int rate = in.read(32);
        in.read(32);
        in.read(32);
        in.read(32);
        int shortBits = in.read(4);
        int longBits = in.read(4);
        boolean framing = in.flag();
        if (in.ended || version != 0 || !framing) {
            throw new CorruptAudioException("Ogg Vorbis: invalid identification header");
        }
        Limits.checkChannels("Ogg Vorbis", channels);
        Limits.checkRate("Ogg Vorbis", rate & 0xffffffffL);
        if (shortBits < 6 || longBits > 13 || shortBits > longBits) {
            throw new CorruptAudioException("Ogg Vorbis: block sizes 2^" + shortBits + " and 2^" + longBits);
        }
        return new int[] {channels, rate, 1 << shortBits, 1 << longBits};
    }

    static void comment(byte[] data, int offset, int length) throws CorruptAudioException {
        VorbisBits in = new VorbisBits();
        in.reset(data, offset, length);
        checkPacket(in, 3, "comment");
    }

    private static void checkPacket(VorbisBits in, int type, String what) throws CorruptAudioException {
        boolean ok = in.read(8) == type;
        for (char ch : "vorbis".toCharArray()) {
            ok &= in.read(8) == ch;
        }
        if (!ok || in.ended) {
            throw new CorruptAudioException("Ogg Vorbis: header packet is not the " + what + " header");
        }
    }

    /** Reads the setup header (packet 3) for a stream whose identification gave {@code id}. */
    VorbisDecoder(int[] id, byte[] data, int offset, int length) throws AudioDecodeException {
        channels = id[0];
        rate = id[1];
        shortSize = id[2];
        longSize = id[3];
        VorbisSetupGuard.check(data, offset, length);
        VorbisBits in = new VorbisBits();
        in.reset(data, offset, length);
        checkPacket(in, 5, "setup");
        books = new VorbisCodebook[in.read(8) + 1];
        int[] budget = {VorbisCodebook.MAX_VALUES};
        for (int b = 0; b < books.length; b++) {
            books[b] = VorbisCodebook.read(in, budget);
        }
        int transforms = in.read(6) + 1;
        for (int t = 0; t < transforms; t++) {
            if (in.read(16) != 0) {
                throw new CorruptAudioException("Ogg Vorbis: unknown time-domain transform");
            }
        }
        floors = new VorbisFloor[in.read(6) + 1];
        for (int f = 0; f < floors.length; f++) {
            int type = in.read(16);
            if (type == 0) {
                throw new UnsupportedAudioFormatException("Ogg Vorbis with floor type 0 (written by encoders from"
                        + " before Vorbis 1.0) is not supported");
            }
            if (type != 1) {
                throw new CorruptAudioException("Ogg Vorbis: floor type " + type);
            }
            floors[f] = new VorbisFloor(in, books.length);
        }
        residues = new VorbisResidue[in.read(6) + 1];
        for (int r = 0; r < residues.length; r++) {
            int type = in.read(16);
            if (type > 2) {
                throw new CorruptAudioException("Ogg Vorbis: residue type " + type);
            }
            residues[r] = new VorbisResidue(in, type, books);
        }
        mappings = new Mapping[in.read(6) + 1];
        for (int m = 0; m < mappings.length; m++) {
            mappings[m] = readMapping(in);
        }
        int modes = in.read(6) + 1;
        modeLong = new boolean[modes];
        modeMapping = new int[modes];
        for (int m = 0; m < modes; m++) {
            modeLong[m] = in.flag();
            int window = in.read(16);
            int transform = in.read(16);
            modeMapping[m] = in.read(8);
            if (window != 0 || transform != 0 || modeMapping[m] >= mappings.length) {
                throw new CorruptAudioException("Ogg Vorbis: invalid mode " + m);
            }
        }
        if (!in.flag() || in.ended) {
            throw new CorruptAudioException("Ogg Vorbis: setup header cut short");
        }
        modeBits = VorbisCodebook.ilog(modes - 1);
        int longHalf = longSize / 2;
        for (VorbisResidue r : residues) {
            r.prepare(longHalf, channels, books);
        }
        shortImdct = new VorbisImdct(shortSize);
        longImdct = longSize == shortSize ? shortImdct : new VorbisImdct(longSize);
        shortSlope = slope(shortSize / 2);
        longSlope = slope(longHalf);
        spectrum = new float[channels][longHalf];
        block = new float[longSize];
        overlap = new float[channels][longHalf];
        output = new float[channels][longHalf];
        floorY = new int[channels][VorbisFloor.MAX_POINTS];
        floorUsed = new boolean[channels][VorbisFloor.MAX_POINTS];
        silent = new boolean[channels];
        noFloor = new boolean[channels];
        submapChannels = new int[channels];
    }

    private Mapping readMapping(VorbisBits in) throws CorruptAudioException {
        if (in.read(16) != 0) {
            throw new CorruptAudioException("Ogg Vorbis: unknown mapping type");
        }
        int submaps = in.flag() ? in.read(4) + 1 : 1;
        int steps = in.flag() ? in.read(8) + 1 : 0;
        int[] magnitude = new int[steps];
        int[] angle = new int[steps];
        int width = VorbisCodebook.ilog(channels - 1);
        for (int s = 0; s < steps; s++) {
            magnitude[s] = in.read(width);
            angle[s] = in.read(width);
            if (magnitude[s] == angle[s] || magnitude[s] >= channels || angle[s] >= channels) {
                throw new CorruptAudioException("Ogg Vorbis: invalid channel coupling");
            }
        }
        if (in.read(2) != 0) {
            throw new CorruptAudioException("Ogg Vorbis: mapping reserved bits set");
        }
        int[] mux = new int[channels];
        if (submaps > 1) {
            for (int c = 0; c < channels; c++) {
                mux[c] = in.read(4);
                if (mux[c] >= submaps) {
                    throw new CorruptAudioException("Ogg Vorbis: channel mapped to a missing submap");
                }
            }
        }
        int[] submapFloor = new int[submaps];
        int[] submapResidue = new int[submaps];
        for (int s = 0; s < submaps; s++) {
            in.read(8);
            submapFloor[s] = in.read(8);
            submapResidue[s] = in.read(8);
            if (submapFloor[s] >= floors.length || submapResidue[s] >= residues.length) {
                throw new CorruptAudioException("Ogg Vorbis: submap uses a missing floor or residue");
            }
        }
        if (in.ended) {
            throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a mapping");
        }
        return new Mapping(magnitude, angle, mux, submapFloor, submapResidue);
    }

    /** Vorbis' power-complementary window slope (section 4.3.1) over {@code length} samples. */
    private static float[] slope(int length) {
        float[] w = new float[length];
        for (int i = 0; i < length; i++) {
            double s = Math.sin((i + 0.5) / length * Math.PI / 2);
            w[i] = (float) Math.sin(Math.PI / 2 * s * s);
        }
        return w;
    }

    /**
     * Decodes one audio packet; returns how many frames it completed into {@link #output} (0 for the first packet,
     * which only primes the overlap, and for a packet that is not audio or too damaged to place).
     */
    int decode(byte[] data, int offset, int length) {
        VorbisBits in = bits;
        in.reset(data, offset, length);
        if (in.flag()) {
            return 0; // not an audio packet
        }
        int mode = in.read(modeBits);
        if (in.ended || mode >= modeLong.length) {
            return 0;
        }
        boolean isLong = modeLong[mode];
        int n = isLong ? longSize : shortSize;
        boolean previousLong = true;
        boolean nextLong = true;
        if (isLong) {
            previousLong = in.flag();
            nextLong = in.flag();
        }
        if (in.ended) {
            return 0;
        }
        int half = n / 2;
        Mapping mapping = mappings[modeMapping[mode]];
        for (int c = 0; c < channels; c++) {
            int submap = mapping.mux[c];
            silent[c] = !floors[mapping.submapFloor[submap]].decode(in, books, floorY[c], floorUsed[c]);
            java.util.Arrays.fill(spectrum[c], 0, half, 0f);
        }
        System.arraycopy(silent, 0, noFloor, 0, channels); // before coupling marks partners' residue present
        for (int s = 0; s < mapping.magnitude.length; s++) {
            int m = mapping.magnitude[s];
            int a = mapping.angle[s];
            if (!silent[m] || !silent[a]) {
                silent[m] = false;
                silent[a] = false;
            }
        }
        for (int s = 0; s < mapping.submapFloor.length; s++) {
            int count = 0;
            for (int c = 0; c < channels; c++) {
                if (mapping.mux[c] == s) {
                    submapChannels[count++] = c;
                }
            }
            residues[mapping.submapResidue[s]].decode(in, books, spectrum, submapChannels, count, silent, half);
        }
        for (int s = mapping.magnitude.length - 1; s >= 0; s--) {
            uncouple(spectrum[mapping.magnitude[s]], spectrum[mapping.angle[s]], half);
        }
        int previous = previousSize;
        VorbisImdct imdct = isLong ? longImdct : shortImdct;
        int produced = previous == 0 ? 0 : previous / 4 + n / 4;
        for (int c = 0; c < channels; c++) {
            float[] y = block;
            if (noFloor[c]) {
                java.util.Arrays.fill(y, 0, n, 0f);
            } else {
                floors[mapping.submapFloor[mapping.mux[c]]].apply(floorY[c], floorUsed[c], spectrum[c], half);
                imdct.inverse(spectrum[c], y);
                window(y, n, isLong, previousLong, nextLong);
            }
            float[] o = overlap[c];
            float[] out = output[c];
            if (previous != 0) {
                // the previous block's right half (kept from its centre) meets this block's left half
                int shift = previous / 4 - n / 4; // where this block starts, from the previous centre
                int kept = Math.min(previous / 2, produced);
                int i = 0;
                for (; i < shift; i++) {
                    out[i] = o[i];
                }
                for (; i < kept; i++) {
                    out[i] = o[i] + y[i - shift];
                }
                for (; i < produced; i++) {
                    out[i] = y[i - shift];
                }
            }
            System.arraycopy(y, half, o, 0, half);
        }
        previousSize = n;
        return produced;
    }

    /** Square polar mapping back to the two channels (section 4.3.5). */
    private static void uncouple(float[] magnitude, float[] angle, int half) {
        for (int i = 0; i < half; i++) {
            // the signs are close to random, so this is done with sign masks instead of the spec's nested branches:
            // t is the angle with its sign flipped unless the magnitude is above zero; then a positive angle
            // gives (m, m - t) and any other (m + t, m)
            int m = Float.floatToRawIntBits(magnitude[i]);
            int a = Float.floatToRawIntBits(angle[i]);
            int mNotAbove = ((m - 1) | m) >> 31;
            int aNotAbove = ((a - 1) | a) >> 31;
            int t = a ^ (mNotAbove & 0x80000000);
            float mf = magnitude[i];
            magnitude[i] = mf + Float.intBitsToFloat(t & aNotAbove);
            angle[i] = mf - Float.intBitsToFloat(t & ~aNotAbove);
        }
    }

    /** Applies this block's window: slopes sized by its neighbours where a long block meets a short one. */
    private void window(float[] y, int n, boolean isLong, boolean previousLong, boolean nextLong) {
        int leftStart;
        float[] left;
        if (isLong && !previousLong) {
            left = shortSlope;
            leftStart = n / 4 - shortSize / 4;
        } else {
            left = isLong ? longSlope : shortSlope;
            leftStart = 0;
        }
        java.util.Arrays.fill(y, 0, leftStart, 0f);
        for (int i = 0; i < left.length; i++) {
            y[leftStart + i] *= left[i];
        }
        int rightStart;
        float[] right;
        if (isLong && !nextLong) {
            right = shortSlope;
            rightStart = n * 3 / 4 - shortSize / 4;
        } else {
            right = isLong ? longSlope : shortSlope;
            rightStart = n / 2;
        }
        int last = right.length - 1;
        for (int i = 0; i < right.length; i++) {
            y[rightStart + i] *= right[last - i];
        }
        java.util.Arrays.fill(y, rightStart + right.length, n, 0f);
    }
}
