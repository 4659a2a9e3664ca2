package studio.nexus.audio.decode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds WAV/AIFF variants byte by byte (an encoder independent of the one under test) and runs CLI tools. */
final class TestAudioFiles {
    private TestAudioFiles() {}

    static double sampleValue(int frame, int channel, double rate) {
        return 0.5 * Math.sin(2 * Math.PI * (440 + 110 * channel) * frame / rate);
    }

    /** WAV with the given format tag (1 PCM, 3 float), optionally WAVE_FORMAT_EXTENSIBLE. */
    static byte[] wav(int tag, int bits, int channels, int rate, int frames, boolean extensible) {
        int bps = bits / 8;
        int dataBytes = frames * channels * bps;
        ByteBuffer data = ByteBuffer.allocate(dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                double v = sampleValue(i, c, rate);
                putSample(data, tag == 3, bits, v, false);
            }
        }
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + 20 + 8 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(fmtSize).putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bps).putShort((short) (channels * bps)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(0);
            b.putShort((short) tag).put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38,
                (byte) 0x9B, 0x71});
        }
        b.put("LIST".getBytes()).putInt(12).put("INFOISFT".getBytes()).putInt(0); // a chunk to skip
        b.put("data".getBytes()).putInt(dataBytes).put(data.array());
        return b.array();
    }

    static void putSample(ByteBuffer b, boolean isFloat, int bits, double v, boolean bigEndian) {
        if (isFloat) {
            if (bits == 32) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
            return;
        }
        long q = Math.round(v * ((1L << (bits - 1)) - 1));
        switch (bits) {
            case 8 -> b.put((byte) (bigEndian ? q : q + 128));
            case 16 -> b.putShort((short) q);
            case 24 -> {
                if (bigEndian) {
                    b.put((byte) (q >> 16)).put((byte) (q >> 8)).put((byte) q);
                } else {
                    b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
                }
            }
            default -> b.putInt((int) q);
        }
    }

    /** AIFF (compression null) or AIFF-C with the given compression type. */
    static byte[] aiff(String compression, int bits, int channels, int rate, int frames) {
        boolean isFloat = compression != null && compression.startsWith("fl");
        boolean little = "sowt".equals(compression);
        int bps = (bits + 7) / 8;
        ByteBuffer data = ByteBuffer.allocate(frames * channels * bps).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                putSample(data, isFloat, bits, sampleValue(i, c, rate), !little);
            }
        }
        int commSize = compression == null ? 18 : 24;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + commSize + 16 + data.capacity()).order(ByteOrder.BIG_ENDIAN);
        b.put("FORM".getBytes()).putInt(b.capacity() - 8).put((compression == null ? "AIFF" : "AIFC").getBytes());
        b.put("COMM".getBytes()).putInt(commSize).putShort((short) channels).putInt(frames).putShort((short) bits);
        b.put(extended(rate));
        if (compression != null) {
            b.put(compression.getBytes()).put((byte) 0).put((byte) 0); // empty pascal string, padded
        }
        b.put("SSND".getBytes()).putInt(8 + data.capacity()).putInt(0).putInt(0).put(data.array());
        return b.array();
    }

    static byte[] extended(double value) {
        int exponent = (int) Math.floor(Math.log(value) / Math.log(2));
        long mantissa = ((long) (value * Math.pow(2, 62 - exponent))) << 1; // top bit set, unsigned 64-bit
        ByteBuffer b = ByteBuffer.allocate(10);
        b.putShort((short) (exponent + 16383)).putLong(mantissa);
        return b.array();
    }

    static boolean toolAvailable(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        p.getInputStream().transferTo(log);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + log);
        }
    }

    /**
     * A damaged copy of {@code good}: cut at a random length when {@code cut}, then random bytes overwritten (the
     * flip count is drawn again at each step, as the fuzzing tests always drew it, so their seeds keep their cases).
     */
    static byte[] mutated(byte[] good, java.util.Random r, boolean cut) {
        byte[] b = cut ? java.util.Arrays.copyOf(good, r.nextInt(good.length)) : good.clone();
        for (int k = 0; k < 1 + r.nextInt(30); k++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }

    /**
     * Opens and decodes {@code bytes} to the end within {@code limit}: a typed {@link AudioDecodeException} is a fine
     * answer to a damaged file; any other exception, or a hang, fails the test.
     */
    static void decodesOrRefuses(byte[] bytes, java.time.Duration limit) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(limit, () -> {
            try (DecodedAudio a = Decoders.open(new java.io.ByteArrayInputStream(bytes))) {
                decodeAll(a);
            } catch (AudioDecodeException expected) {
                // typed rejection is fine
            }
        });
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static List<float[]> decodeAll(DecodedAudio a) throws IOException {
        List<float[]> chans = new ArrayList<>();
        float[][] buf = new float[a.channels()][1000];
        ByteArrayOutputStream[] dummy = null;
        List<float[]> blocks = new ArrayList<>();
        int n;
        long total = 0;
        java.util.List<float[][]> parts = new java.util.ArrayList<>();
        int zeroReads = 0;
        while ((n = a.read(buf, 1000)) >= 0) {
            if (n == 0 && ++zeroReads > 100) {
                throw new AssertionError("read keeps returning 0 frames instead of -1 at the end");
            }
            float[][] part = new float[a.channels()][n];
            for (int c = 0; c < a.channels(); c++) {
                System.arraycopy(buf[c], 0, part[c], 0, n);
            }
            parts.add(part);
            total += n;
        }
        for (int c = 0; c < a.channels(); c++) {
            float[] all = new float[(int) total];
            int p = 0;
            for (float[][] part : parts) {
                System.arraycopy(part[c], 0, all, p, part[c].length);
                p += part[c].length;
            }
            chans.add(all);
        }
        return chans;
    }
}
