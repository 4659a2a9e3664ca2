package studio.nexus.audio.decode;

/**
 * Residue types 0, 1 and 2 (Vorbis I, section 8): the fine spectral detail, vector-quantised in partitions whose
 * class picks up to eight cascaded codebooks. Type 2 codes all channels interleaved as one vector (what libvorbis
 * uses for stereo); it is decoded straight into the channels, without an interleaved copy.
 */
final class VorbisResidue {
    final int type;
    private final int begin;
    private final int end;
    private final int partitionSize;
    private final int classifications;
    private final int classBook;
    /** [class][pass] codebook, -1: none. */
    private final int[][] books;
    /** Per channel (one for type 2), the class of each partition in this packet. */
    private byte[][] classes;
    /** The classes each class-book entry spells, entry-major, when the book is small enough to tabulate. */
    private byte[] classTable;

    VorbisResidue(VorbisBits in, int type, VorbisCodebook[] codebooks) throws CorruptAudioException {
        this.type = type;
        begin = in.read(24);
        end = in.read(24);
        partitionSize = in.read(24) + 1;
        classifications = in.read(6) + 1;
        classBook = in.read(8);
        if (classBook >= codebooks.length || codebooks[classBook].dimensions == 0) {
            throw new CorruptAudioException("Ogg Vorbis: residue classes from codebook " + classBook);
        }
        int[] cascade = new int[classifications];
        for (int c = 0; c < classifications; c++) {
            int lowBits = in.read(3);
            int highBits = in.flag() ? in.read(5) : 0;
            cascade[c] = highBits << 3 | lowBits;
        }
        books = new int[classifications][8];
        for (int c = 0; c < classifications; c++) {
            for (int pass = 0; pass < 8; pass++) {
                int book = -1;
                if ((cascade[c] & (1 << pass)) != 0) {
                    book = in.read(8);
                    if (book >= codebooks.length || codebooks[book].values == null
                            || partitionSize % codebooks[book].dimensions != 0) {
                        throw new CorruptAudioException("Ogg Vorbis: residue uses codebook " + book
                                + " that cannot code its partitions");
                    }
                }
                books[c][pass] = book;
            }
        }
        if (in.ended) {
            throw new CorruptAudioException("Ogg Vorbis: setup header ends inside a residue");
        }
    }

    /** Sizes the per-packet class memory for the longest block and the stream's channels. */
    void prepare(int longHalf, int channels, VorbisCodebook[] codebooks) {
        int vector = type == 2 ? longHalf * channels : longHalf;
        int partitions = Math.max(0, Math.min(end, vector) - Math.min(begin, vector)) / partitionSize;
        VorbisCodebook book = codebooks[classBook];
        classes = new byte[type == 2 ? 1 : channels][partitions + book.dimensions];
        if ((long) book.entries * book.dimensions <= 1 << 16) {
            classTable = new byte[book.entries * book.dimensions];
            for (int e = 0; e < book.entries; e++) {
                int word = e;
                for (int i = book.dimensions - 1; i >= 0; i--) {
                    classTable[e * book.dimensions + i] = (byte) (word % classifications);
                    word /= classifications;
                }
            }
        }
    }

    /**
     * Adds this residue for the channels {@code channel[0, count)} of {@code vectors}, each {@code half} long; a
     * channel with {@code silent} set is not in the packet. Stops quietly where the packet ends.
     */
    void decode(VorbisBits in, VorbisCodebook[] codebooks, float[][] vectors, int[] channel, int count,
            boolean[] silent, int half) {
        if (type == 2) {
            boolean any = false;
            for (int i = 0; i < count; i++) {
                any |= !silent[channel[i]];
            }
            if (any) {
                decodeInterleaved(in, codebooks, vectors, channel, count, half);
            }
            return;
        }
        int from = Math.min(begin, half);
        int partitions = (Math.min(end, half) - from) / partitionSize;
        VorbisCodebook classBook = codebooks[this.classBook];
        int perWord = classBook.dimensions;
        for (int pass = 0; pass < 8; pass++) {
            int p = 0;
            while (p < partitions) {
                if (pass == 0) {
                    for (int i = 0; i < count; i++) {
                        if (!silent[channel[i]] && !readClasses(in, classBook, classes[i], p, perWord)) {
                            return;
                        }
                    }
                }
                for (int w = 0; w < perWord && p < partitions; w++, p++) {
                    for (int i = 0; i < count; i++) {
                        if (silent[channel[i]]) {
                            continue;
                        }
                        int book = books[classes[i][p]][pass];
                        if (book < 0) {
                            continue;
                        }
                        VorbisCodebook b = codebooks[book];
                        float[] v = vectors[channel[i]];
                        int offset = from + p * partitionSize;
                        boolean ok = type == 0 ? addInterleaved(in, b, v, offset) : addSequential(in, b, v, offset);
                        if (!ok) {
                            return;
                        }
                    }
                }
            }
        }
    }

    private boolean readClasses(VorbisBits in, VorbisCodebook classBook, byte[] into, int p, int perWord) {
        int word = classBook.decode(in);
        if (word < 0) {
            return false;
        }
        if (classTable != null) {
            System.arraycopy(classTable, word * perWord, into, p, perWord);
            return true;
        }
        for (int i = perWord - 1; i >= 0; i--) {
            into[p + i] = (byte) (word % classifications);
            word /= classifications;
        }
        return true;
    }

    /** Type 0: a partition's vectors interleave, value k of vector i landing at i + k·step. */
    private boolean addInterleaved(VorbisBits in, VorbisCodebook b, float[] v, int offset) {
        int dims = b.dimensions;
        int step = partitionSize / dims;
        float[] values = b.values;
        for (int i = 0; i < step; i++) {
            int e = b.decode(in);
            if (e < 0) {
                return false;
            }
            int base = e * dims;
            for (int k = 0; k < dims; k++) {
                v[offset + i + k * step] += values[base + k];
            }
        }
        return true;
    }

    /** Type 1: a partition's vectors follow each other. */
    private boolean addSequential(VorbisBits in, VorbisCodebook b, float[] v, int offset) {
        int dims = b.dimensions;
        float[] values = b.values;
        for (int i = 0; i < partitionSize; i += dims) {
            int e = b.decode(in);
            if (e < 0) {
                return false;
            }
            int base = e * dims;
            for (int k = 0; k < dims; k++) {
                v[offset + i + k] += values[base + k];
            }
        }
        return true;
    }

    /** Type 2: one vector of all channels interleaved (sample j of channel c at j·channels + c). */
    private void decodeInterleaved(VorbisBits in, VorbisCodebook[] codebooks, float[][] vectors, int[] channel,
            int count, int half) {
        int total = half * count;
        int from = Math.min(begin, total);
        int partitions = (Math.min(end, total) - from) / partitionSize;
        VorbisCodebook classBook = codebooks[this.classBook];
        int perWord = classBook.dimensions;
        byte[] cls = classes[0];
        for (int pass = 0; pass < 8; pass++) {
            int p = 0;
            while (p < partitions) {
                if (pass == 0 && !readClasses(in, classBook, cls, p, perWord)) {
                    return;
                }
                for (int w = 0; w < perWord && p < partitions; w++, p++) {
                    int book = books[cls[p]][pass];
                    if (book < 0) {
                        continue;
                    }
                    VorbisCodebook b = codebooks[book];
                    int dims = b.dimensions;
                    float[] values = b.values;
                    int position = from + p * partitionSize;
                    int c = position % count;
                    int j = position / count;
                    if (count == 2 && c == 0 && (dims & 1) == 0) { // stereo pairs: left, right, left, ...
                        float[] left = vectors[channel[0]];
                        float[] right = vectors[channel[1]];
                        for (int i = 0; i < partitionSize; i += dims) {
                            int e = b.decode(in);
                            if (e < 0) {
                                return;
                            }
                            int base = e * dims;
                            for (int k = 0; k < dims; k += 2) {
                                left[j] += values[base + k];
                                right[j++] += values[base + k + 1];
                            }
                        }
                    } else if (count == 2) {
                        float[] left = vectors[channel[0]];
                        float[] right = vectors[channel[1]];
                        for (int i = 0; i < partitionSize; i += dims) {
                            int e = b.decode(in);
                            if (e < 0) {
                                return;
                            }
                            int base = e * dims;
                            for (int k = 0; k < dims; k++) {
                                if (c == 0) {
                                    left[j] += values[base + k];
                                    c = 1;
                                } else {
                                    right[j++] += values[base + k];
                                    c = 0;
                                }
                            }
                        }
                    } else {
                        for (int i = 0; i < partitionSize; i += dims) {
                            int e = b.decode(in);
                            if (e < 0) {
                                return;
                            }
                            int base = e * dims;
                            for (int k = 0; k < dims; k++) {
                                vectors[channel[c]][j] += values[base + k];
                                if (++c == count) {
                                    c = 0;
                                    j++;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
