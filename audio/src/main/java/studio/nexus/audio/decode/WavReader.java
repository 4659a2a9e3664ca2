package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * RIFF/WAVE, RF64 and big-endian RIFX header parser (hand-written; the format is small). Supports PCM
 * 8/16/24/32-bit, IEEE float 32/64, G.711 µ-law and A-law, IMA and Microsoft ADPCM (4-bit), and
 * WAVE_FORMAT_EXTENSIBLE with any of those as sub-format; 1–8 channels, 8–192 kHz.
 *
 * <p>Every size read from the header is checked: the fmt chunk must be 16..4096 bytes, block align must
 * equal channels × bytes per sample, chunk skipping is capped at {@link Limits#MAX_CHUNKS} chunks and ends
 * at the end of input. Nothing is allocated from the data size. When the file size is known and the data
 * chunk claims more than is there, the file is accepted as truncated: the frames actually present are
 * decoded and reported ({@code truncated = true}); with no byte of it present the file holds no audio, with
 * only part of a frame it is corrupt. The same holds for RF64, whose ds64 chunk gives the data size (a size
 * past 2^63 bytes promises more than any file holds). A data size of 0 or 0xFFFFFFFF (written by streaming
 * recorders) means "until end of file".
 */
final class WavReader {
    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    private static final int MS_ADPCM = 2;
    private static final int A_LAW = 6;
    private static final int MU_LAW = 7;
    private static final int IMA_ADPCM = 0x11;

    private WavReader() {}

    /** @param fileSize total bytes of input when known, else -1. The stream is positioned at byte 0. */
    static DecodedAudio open(InputStream in, long fileSize) throws IOException {
        HeaderReader h = new HeaderReader(in, "WAV", 0);
        String riff = h.fourCc();
        boolean rf64 = riff.equals("RF64");
        boolean bigEndian = riff.equals("RIFX");
        String name = rf64 ? "RF64" : "WAV";
        h.u32le(); // RIFF size: unreliable in the wild, not used
        if (!h.fourCc().equals("WAVE")) {
            throw new UnsupportedAudioFormatException("RIFF file that is not WAVE");
        }
        long ds64DataSize = -1;
        byte[] fmt = null;
        long factFrames = -1;
        for (int chunk = 0; chunk < Limits.MAX_CHUNKS; chunk++) {
            String id = h.fourCcOrEnd();
            if (id == null) {
                throw new CorruptAudioException(name + ": no data chunk");
            }
            long size = bigEndian ? h.u32be() : h.u32le();
            switch (id) {
                case "ds64" -> {
                    if (size < 28 || size > Limits.MAX_HEADER_CHUNK) {
                        throw new CorruptAudioException(name + ": ds64 chunk of " + size + " bytes");
                    }
                    h.u64le(); // riff size
                    ds64DataSize = h.u64le();
                    if (ds64DataSize < 0) { // past 2^63 bytes: a promise no file keeps, not a missing size
                        ds64DataSize = Long.MAX_VALUE;
                    }
                    h.skip(size - 16 + (size & 1));
                }
                case "fmt " -> {
                    if (size < 16 || size > Limits.MAX_HEADER_CHUNK) {
                        throw new CorruptAudioException(name + ": fmt chunk of " + size + " bytes (expected 16..4096)");
                    }
                    fmt = h.bytes((int) size);
                    if ((size & 1) == 1) {
                        h.skip(1);
                    }
                }
                case "fact" -> { // frames of a compressed (ADPCM) data chunk, which its size cannot tell
                    if (size < 4 || size > Limits.MAX_HEADER_CHUNK) {
                        throw new CorruptAudioException(name + ": fact chunk of " + size + " bytes");
                    }
                    byte[] fact = h.bytes((int) size);
                    factFrames = bigEndian ? HeaderReader.u32be(fact, 0) : HeaderReader.u32le(fact, 0);
                    if ((size & 1) == 1) {
                        h.skip(1);
                    }
                }
                case "data" -> {
                    if (fmt == null) {
                        throw new CorruptAudioException(name + ": data chunk before fmt chunk");
                    }
                    long dataSize = size;
                    if (rf64 && size == 0xFFFFFFFFL) {
                        if (ds64DataSize < 0) {
                            throw new CorruptAudioException("RF64: data size deferred to a missing ds64 chunk");
                        }
                        dataSize = ds64DataSize;
                    } else if (size == 0xFFFFFFFFL || size == 0) {
                        dataSize = -1;
                    }
                    Fmt f = new Fmt(fmt, bigEndian);
                    return f.tag == IMA_ADPCM || f.tag == MS_ADPCM
                            ? AdpcmSource.open(in, f, name, h.position(), dataSize, fileSize, factFrames)
                            : source(in, f, name, h.position(), dataSize, fileSize);
                }
                default -> h.skip(size + (size & 1));
            }
        }
        throw new CorruptAudioException(name + ": more than " + Limits.MAX_CHUNKS + " chunks before the audio");
    }

    /** The fmt chunk's fields, in the file's byte order; the extensible sub-format replaces the tag. */
    static final class Fmt {
        final byte[] raw;
        final boolean bigEndian;
        final int tag;
        final int channels;
        final long rate;
        final int blockAlign;
        final int bits;

        Fmt(byte[] raw, boolean bigEndian) throws CorruptAudioException {
            this.raw = raw;
            this.bigEndian = bigEndian;
            int t = u16(0);
            channels = u16(2);
            rate = bigEndian ? HeaderReader.u32be(raw, 4) : HeaderReader.u32le(raw, 4);
            blockAlign = u16(12);
            bits = u16(14);
            if (t == EXTENSIBLE) {
                if (raw.length < 40) {
                    throw new CorruptAudioException("WAV: WAVE_FORMAT_EXTENSIBLE with a " + raw.length + "-byte fmt chunk");
                }
                t = u16(24); // first two bytes of the sub-format GUID
            }
            tag = t;
        }

        /** Unsigned 16-bit field at {@code p}, or -1 when the chunk is shorter. */
        int u16(int p) {
            if (p + 2 > raw.length) {
                return -1;
            }
            return bigEndian ? (raw[p] & 0xff) << 8 | (raw[p + 1] & 0xff) : HeaderReader.u16le(raw, p);
        }
    }

    private static DecodedAudio source(InputStream in, Fmt f, String name, long dataStart, long dataSize, long fileSize)
            throws IOException {
        int tag = f.tag;
        int channels = f.channels;
        long rate = f.rate;
        int blockAlign = f.blockAlign;
        int bits = f.bits;
        Limits.checkChannels(name, channels);
        Limits.checkRate(name, rate);
        PcmSource.Encoding encoding;
        if (tag == PCM) {
            if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                throw new UnsupportedAudioFormatException(name + ": " + bits + "-bit PCM (supported: 8, 16, 24, 32)");
            }
            encoding = bits == 8 ? PcmSource.Encoding.UNSIGNED_8
                    : f.bigEndian ? PcmSource.Encoding.SIGNED_BE : PcmSource.Encoding.SIGNED_LE;
        } else if (tag == IEEE_FLOAT) {
            if (bits != 32 && bits != 64) {
                throw new UnsupportedAudioFormatException(name + ": " + bits + "-bit float (supported: 32, 64)");
            }
            encoding = f.bigEndian ? PcmSource.Encoding.FLOAT_BE : PcmSource.Encoding.FLOAT_LE;
        } else if (tag == MU_LAW || tag == A_LAW) {
            if (bits != 8) {
                throw new CorruptAudioException(name + ": " + bits + "-bit G.711 (it is always 8-bit)");
            }
            encoding = tag == MU_LAW ? PcmSource.Encoding.MU_LAW : PcmSource.Encoding.A_LAW;
        } else {
            throw new UnsupportedAudioFormatException(name + ": compression format 0x" + Integer.toHexString(tag)
                    + " (supported: PCM, IEEE float, µ-law, A-law, IMA ADPCM, MS ADPCM)");
        }
        int bytesPerSample = bits / 8;
        if (blockAlign != channels * bytesPerSample) {
            throw new CorruptAudioException(name + ": block align " + blockAlign + " does not match " + channels
                    + " channels of " + bits + " bits");
        }
        long declaredFrames = dataSize >= 0 ? dataSize / blockAlign : -1;
        long frames = declaredFrames;
        boolean truncated = false;
        if (fileSize >= 0) {
            long presentFrames = Math.max(0, fileSize - dataStart) / blockAlign;
            if (declaredFrames < 0 || declaredFrames > presentFrames) {
                truncated = declaredFrames > presentFrames;
                frames = presentFrames;
            }
            if (frames == 0) {
                if (declaredFrames > 0 && fileSize > dataStart) {
                    throw new CorruptAudioException(name + ": data chunk holds no complete frame");
                }
                // not one byte of the samples the header promised (a recording stopped before its first): no audio
                throw new NoAudioException(name + ": the data chunk holds no samples");
            }
        }
        AudioFormatInfo info = AudioFormatInfo.of(name, (int) rate, channels, bits, frames, truncated);
        return new PcmSource(in, info, encoding, bytesPerSample, frames);
    }
}
