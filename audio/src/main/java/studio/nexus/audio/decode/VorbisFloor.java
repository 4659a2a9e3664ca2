package studio.nexus.audio.decode;

/**
 * Floor type 1 (Vorbis I, section 7): the spectral envelope as a piecewise-linear curve in a dB domain, drawn with
 * integer steps and multiplied straight into the residue. Floor type 0 (pre-1.0 encoders only) is not decoded.
 */
final class VorbisFloor {
    static final int MAX_POINTS = 65;
    private static final int[] RANGES = {256, 128, 86, 64};
    /** Floor 1's inverse dB table: 256 steps of 140/256 dB up to 0 dB (the spec's table, section 10.1). */
    private static final float[] INVERSE_DB = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            INVERSE_DB[i] = (float) Math.pow(10, 7.0 * (i - 255) / 256);
        }
    }

    private final int[] partitionClass;
    private final int[] classDimensions;
    private final int[] classSubclassBits;
    private final int[] classMasterBook;
    private final int[][] subclassBooks;
    private final int multiplier;
    private final int range;
    private final int rangeBits;
    private final int points;
    private final int[] x;
    /** Point indices in ascending x, and each point's neighbours (section 9.2.4 and 9.2.5). */
    private final int[] sorted;
    private final int[] low;
    private final int[] high;

    VorbisFloor(VorbisBits in, int books) throws CorruptAudioException {
        int partitions = in.read(5);
        partitionClass = new int[partitions];
        int classes = 0;
        for (int p = 0; p < partitions; p++) {
            partitionClass[p] = in.read(4);
            classes = Math.max(classes, partitionClass[p] + 1);
        }
        classDimensions = new int[classes];
        classSubclassBits = new int[classes];
        classMasterBook = new int[classes];
        subclassBooks = new int[classes][];
        for (int c = 0; c < classes; c++) {
            classDimensions[c] = in.read(3) + 1;
            classSubclassBits[c] = in.read(2);
            if (classSubclassBits[c] != 0) {
                classMasterBook[c] = in.read(8);
                checkBook(classMasterBook[c], books);
            }
            subclassBooks[c] = new int[1 << classSubclassBits[c]];
            for (int s = 0; s < subclassBooks[c].length; s++) {
                subclassBooks[c][s] = in.read(8) - 1;
                checkBook(subclassBooks[c][s], books);
            }
        }
        multiplier = in.read(2) + 1;
        range = RANGES[multiplier - 1];
        rangeBits = in.read(4);
        int count = 2;
        for (int p = 0; p < partitions; p++) {
            count += classDimensions[partitionClass[p]];
        }
        if (count > MAX_POINTS) {
            throw new CorruptAudioException("Ogg Vorbis: floor with " + count + " points");
        }
        points = count;
        x = new int[points];
        x[1] = 1 << rangeBits;
        int k = 2;
        for (int p = 0; p < partitions; p++) {
            for (int d = 0; d < classDimensions[partitionClass[p]]; d++) {
                x[k++] = in.read(rangeBits);
            }
        }
        if (in.ended) {
            throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a floor");
        }
        Integer[] order = new Integer[points];
        for (int i = 0; i < points; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(x[a], x[b]));
        sorted = new int[points];
        for (int i = 0; i < points; i++) {
            sorted[i] = order[i];
            if (i > 0 && x[order[i]] == x[order[i - 1]]) {
                throw new CorruptAudioException("Ogg Vorbis: floor with two points at " + x[order[i]]);
            }
        }
        low = new int[points];
        high = new int[points];
        for (int i = 2; i < points; i++) {
            int lo = 0;
            int hi = 1;
            int loX = -1;
            int hiX = Integer.MAX_VALUE;
            for (int j = 0; j < i; j++) {
                if (x[j] < x[i] && x[j] > loX) {
                    lo = j;
                    loX = x[j];
                }
                if (x[j] > x[i] && x[j] < hiX) {
                    hi = j;
                    hiX = x[j];
                }
            }
            low[i] = lo;
            high[i] = hi;
        }
    }

    private static void checkBook(int book, int books) throws CorruptAudioException {
        if (book >= books) {
            throw new CorruptAudioException("Ogg Vorbis: floor uses codebook " + book + " of " + books);
        }
    }

    /**
     * Reads this floor's points from the packet into {@code y} (final amplitudes) and {@code used} (which points
     * the curve passes through). False if the channel is silent in this packet, or the packet ends inside it.
     */
    boolean decode(VorbisBits in, VorbisCodebook[] books, int[] y, boolean[] used) {
        if (!in.flag()) {
            return false;
        }
        int bits = VorbisCodebook.ilog(range - 1);
        y[0] = in.read(bits);
        y[1] = in.read(bits);
        int k = 2;
        for (int p = 0; p < partitionClass.length; p++) {
            int c = partitionClass[p];
            int dimensions = classDimensions[c];
            int subBits = classSubclassBits[c];
            int mask = (1 << subBits) - 1;
            int value = 0;
            if (subBits > 0) {
                value = books[classMasterBook[c]].decode(in);
                if (value < 0) {
                    return false;
                }
            }
            int[] sub = subclassBooks[c];
            for (int d = 0; d < dimensions; d++) {
                int book = sub[value & mask];
                value >>>= subBits;
                if (book >= 0) {
                    int v = books[book].decode(in);
                    if (v < 0) {
                        return false;
                    }
                    y[k++] = v;
                } else {
                    y[k++] = 0;
                }
            }
        }
        if (in.ended) {
            return false;
        }
        // amplitude synthesis (section 7.2.4 step 1): each point is coded relative to the line of its neighbours
        used[0] = true;
        used[1] = true;
        for (int i = 2; i < points; i++) {
            int lo = low[i];
            int hi = high[i];
            int predicted = renderPoint(x[lo], y[lo], x[hi], y[hi], x[i]);
            int value = y[i];
            int highRoom = range - predicted;
            int lowRoom = predicted;
            int room = Math.min(highRoom, lowRoom) * 2;
            if (value != 0) {
                used[lo] = true;
                used[hi] = true;
                used[i] = true;
                if (value >= room) {
                    y[i] = highRoom > lowRoom ? value - lowRoom + predicted : predicted - value + highRoom - 1;
                } else {
                    y[i] = (value & 1) != 0 ? predicted - ((value + 1) >> 1) : predicted + (value >> 1);
                }
            } else {
                used[i] = false;
                y[i] = predicted;
            }
        }
        for (int i = 0; i < points; i++) {
            y[i] = Math.max(0, Math.min(range - 1, y[i]));
        }
        return true;
    }

    private static int renderPoint(int x0, int y0, int x1, int y1, int x) {
        int dy = y1 - y0;
        int adx = x1 - x0;
        int err = Math.abs(dy) * (x - x0);
        int off = err / adx;
        return dy < 0 ? y0 - off : y0 + off;
    }

    /** Multiplies {@code spectrum[0, n)} by the curve through the used points (section 7.2.4 step 2). */
    void apply(int[] y, boolean[] used, float[] spectrum, int n) {
        int lx = 0;
        int ly = y[0] * multiplier;
        for (int i = 1; i < points; i++) {
            int p = sorted[i];
            if (used[p]) {
                int hx = x[p];
                int hy = y[p] * multiplier;
                line(lx, ly, hx, hy, spectrum, n);
                lx = hx;
                ly = hy;
            }
        }
        if (lx < n) {
            float f = INVERSE_DB[ly];
            for (int i = lx; i < n; i++) {
                spectrum[i] *= f;
            }
        }
    }

    private static void line(int x0, int y0, int x1, int y1, float[] v, int n) {
        int dy = y1 - y0;
        int adx = x1 - x0;
        if (adx <= 0) {
            return;
        }
        int ady = Math.abs(dy);
        int base = dy / adx;
        int sy = dy < 0 ? base - 1 : base + 1;
        ady -= Math.abs(base) * adx;
        int end = Math.min(x1, n);
        int y = y0;
        int err = 0;
        if (x0 < end) {
            v[x0] *= INVERSE_DB[y];
        }
        for (int x = x0 + 1; x < end; x++) {
            err += ady;
            if (err >= adx) {
                err -= adx;
                y += sy;
            } else {
                y += base;
            }
            v[x] *= INVERSE_DB[y];
        }
    }
}
