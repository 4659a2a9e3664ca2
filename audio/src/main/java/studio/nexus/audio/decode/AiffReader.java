package studio.nexus.audio.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * AIFF and AIFF-C header parser (hand-written). AIFF: big-endian signed 8/16/24/32-bit. AIFF-C
 * compression types "NONE"/"twos" (big-endian), "sowt" (little-endian), "fl32"/"FL32" and "fl64"/"FL64"
 * (IEEE float). Size checks as for WAV: COMM at most 4096 bytes, chunk walk capped, nothing allocated
 * from the sound data size, truncated sound data accepted when at least one frame is present; sound data with
 * no byte of the frames COMM promises holds no audio.
 */
final class AiffReader {
    private AiffReader() {}

    static DecodedAudio open(InputStream in, long fileSize) throws IOException {
        HeaderReader h = new HeaderReader(in, "AIFF", 0);
        h.fourCc(); // FORM
        h.u32be();
        String kind = h.fourCc();
        boolean aifc = kind.equals("AIFC");
        String name = aifc ? "AIFF-C" : "AIFF";
        if (!aifc && !kind.equals("AIFF")) {
            throw new UnsupportedAudioFormatException("IFF file of type " + kind + " is not AIFF");
        }
        byte[] comm = null;
        for (int chunk = 0; chunk < Limits.MAX_CHUNKS; chunk++) {
            String id = h.fourCcOrEnd();
            if (id == null) {
                throw new CorruptAudioException(name + ": no SSND chunk");
            }
            long size = h.u32be();
            if (id.equals("COMM")) {
                if (size < 18 || size > Limits.MAX_HEADER_CHUNK) {
                    throw new CorruptAudioException(name + ": COMM chunk of " + size + " bytes");
                }
                comm = h.bytes((int) size);
                if ((size & 1) == 1) {
                    h.skip(1);
                }
            } else if (id.equals("SSND")) {
                if (comm == null) {
                    throw new CorruptAudioException(name + ": SSND chunk before COMM chunk");
                }
                if (size < 8) {
                    throw new CorruptAudioException(name + ": SSND chunk of " + size + " bytes");
                }
                long offset = h.u32be();
                h.u32be(); // block size, unused
                h.skip(offset);
                return source(in, comm, aifc, name, h.position(), size - 8 - offset, fileSize);
            } else {
                h.skip(size + (size & 1));
            }
        }
        throw new CorruptAudioException(name + ": more than " + Limits.MAX_CHUNKS + " chunks before the audio");
    }

    private static DecodedAudio source(InputStream in, byte[] comm, boolean aifc, String name, long dataStart,
            long dataSize, long fileSize) throws IOException {
        int channels = HeaderReader.s16be(comm, 0);
        long numFrames = HeaderReader.u32be(comm, 2);
        int bits = HeaderReader.s16be(comm, 6);
        double rate = extended80(comm, 8);
        Limits.checkChannels(name, channels);
        Limits.checkRate(name, rate);
        String compression = "NONE";
        if (aifc) {
            if (comm.length < 22) {
                throw new CorruptAudioException(name + ": COMM chunk without compression type");
            }
            compression = new String(comm, 18, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        PcmSource.Encoding encoding;
        int bytesPerSample;
        switch (compression) {
            case "NONE", "twos", "sowt" -> {
                if (bits < 1 || bits > 32) {
                    throw new CorruptAudioException(name + ": sample size " + bits + " bits");
                }
                bytesPerSample = (bits + 7) / 8; // samples are stored left-justified in whole bytes
                encoding = compression.equals("sowt") ? PcmSource.Encoding.SIGNED_LE : PcmSource.Encoding.SIGNED_BE;
            }
            case "fl32", "FL32" -> {
                bytesPerSample = 4;
                encoding = PcmSource.Encoding.FLOAT_BE;
            }
            case "fl64", "FL64" -> {
                bytesPerSample = 8;
                encoding = PcmSource.Encoding.FLOAT_BE;
            }
            default -> throw new UnsupportedAudioFormatException(name + ": compression \"" + compression
                    + "\" (supported: NONE, twos, sowt, fl32, fl64)");
        }
        int frameBytes = bytesPerSample * channels;
        long frames = Math.min(numFrames, Math.max(0, dataSize) / frameBytes);
        // COMM promising more frames than the sound data holds is a file cut short too (an interrupted recording)
        boolean truncated = numFrames > frames;
        if (fileSize >= 0) {
            long present = Math.max(0, fileSize - dataStart) / frameBytes;
            if (present < frames) {
                frames = present;
                truncated = true;
            }
        }
        if (frames == 0 && numFrames != 0 && dataSize != 0 && fileSize != dataStart) { // part of a frame, or lies
            throw new CorruptAudioException(name + ": sound data holds no complete frame");
        }
        if (frames == 0) {
            throw new NoAudioException(name + ": the file holds no samples");
        }
        AudioFormatInfo info = AudioFormatInfo.of(name, (int) rate, channels, bits,
                frames, truncated);
        return new PcmSource(in, info, encoding, bytesPerSample, frames);
    }

    /** IEEE 754 80-bit extended (the AIFF sample rate). */
    static double extended80(byte[] b, int p) {
        int exponent = ((b[p] & 0x7f) << 8) | (b[p + 1] & 0xff);
        long mantissa = 0;
        for (int i = 0; i < 8; i++) {
            mantissa = (mantissa << 8) | (b[p + 2 + i] & 0xff);
        }
        if (exponent == 0 && mantissa == 0) {
            return 0;
        }
        if (exponent == 0x7fff) {
            return Double.NaN;
        }
        double value = (mantissa >>> 1) * Math.pow(2, exponent - 16383 - 62);
        return (b[p] & 0x80) != 0 ? -value : value;
    }
}
