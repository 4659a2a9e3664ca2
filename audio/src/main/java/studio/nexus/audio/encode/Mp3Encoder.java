package studio.nexus.audio.encode;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.decode.Mp3Scanner;

/**
 * Streaming MP3 writer on jump3r (a pure-Java port of LAME 3.98). Input is dithered to 16 bits first
 * (LAME's input format). Mono or stereo; MPEG sample rates only (8, 11.025, 12, 16, 22.05, 24, 32, 44.1, 48 kHz).
 * Written to a file, it is gapless: on close the first frame becomes a Xing/Info frame with LAME's tag (encoder
 * delay and padding, {@link Mp3InfoFrame}), so decoders that honour it give back exactly the samples written, in
 * time. Written to a stream, that frame stays blank (it cannot be rewritten) and players keep the delay.
 * Not thread-safe.
 */
public final class Mp3Encoder implements AudioSink {
    private static final java.util.Set<Integer> RATES = java.util.Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000,
            44100, 48000);
    private final LameEncoder lame;
    private final OutputStream out;
    private final int channels;
    private final Quantizer quantizer = new Quantizer(16, true);
    private final byte[] pcm;
    private final byte[] mp3;
    private final int framesPerChunk;
    private final Path path;
    private final int bitrateKbps;
    private final boolean vbr;
    private long samplesIn;
    private long bytesOut;
    private int firstFrameBytes = -1;
    private int musicCrc;
    private boolean closed;

    /** jump3r's encoder delay (LAME's ENCDELAY): the first input sample comes out this many samples late. */
    static final int ENCODER_DELAY = 576;

    /** The constant bitrates offered (kb/s): MPEG-1 layer III steps a listener can tell apart. */
    public static final java.util.List<Integer> BITRATES = java.util.List.of(128, 160, 192, 256, 320);

    /**
     * @param bitrateKbps constant bitrate, e.g. 128, 192, 320; or with {@code vbr} a target
     * @param vbr variable bitrate
     */
    public static Mp3Encoder create(OutputStream out, int sampleRate, int channels, int bitrateKbps, boolean vbr) {
        return new Mp3Encoder(out, null, sampleRate, channels, bitrateKbps, vbr);
    }

    public static Mp3Encoder create(Path path, int sampleRate, int channels, int bitrateKbps, boolean vbr) throws IOException {
        return new Mp3Encoder(Files.newOutputStream(path), path, sampleRate, channels, bitrateKbps, vbr);
    }

    /** Variable bitrate at LAME's quality {@code vbrQuality}: 0 (V0, best, largest) to 9 (V9, smallest). */
    public static Mp3Encoder createVbr(Path path, int sampleRate, int channels, int vbrQuality) throws IOException {
        if (vbrQuality < 0 || vbrQuality > 9) {
            throw new IllegalArgumentException("VBR quality must be 0..9");
        }
        return new Mp3Encoder(Files.newOutputStream(path), path, sampleRate, channels, 128, true, vbrQuality);
    }

    private Mp3Encoder(OutputStream out, Path path, int sampleRate, int channels, int bitrateKbps, boolean vbr) {
        this(out, path, sampleRate, channels, bitrateKbps, vbr, LameEncoder.QUALITY_MIDDLE);
    }

    // jump3r takes one "quality": LAME's VBR_q in VBR mode (and the search effort in both modes).
    private Mp3Encoder(OutputStream out, Path path, int sampleRate, int channels, int bitrateKbps, boolean vbr,
                       int quality) {
        if (!RATES.contains(sampleRate)) {
            throw new IllegalArgumentException("MP3 cannot store " + sampleRate + " Hz; resample to 44100 or 48000");
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("MP3 stores 1 or 2 channels");
        }
        if (bitrateKbps < 8 || bitrateKbps > 320) {
            throw new IllegalArgumentException("bitrate must be 8..320 kbps");
        }
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.path = path;
        this.bitrateKbps = bitrateKbps;
        this.vbr = vbr;
        this.channels = channels;
        AudioFormat source = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, sampleRate, 16, channels, 2 * channels,
                sampleRate, false);
        lame = new LameEncoder(source, bitrateKbps, channels == 1 ? LameEncoder.CHANNEL_MODE_MONO
                : LameEncoder.CHANNEL_MODE_JOINT_STEREO, quality, vbr);
        // LAME lowers the output rate for low VBR qualities (V9 at 44.1 kHz came out at 22.05 kHz); an export keeps the
        // project's rate, so the target rate is pinned to the source's.
        lame.setFormat(source, new AudioFormat(LameEncoder.MPEG1L3, sampleRate, AudioSystem.NOT_SPECIFIED, channels,
                AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, false));
        pcm = new byte[lame.getPCMBufferSize()];
        mp3 = new byte[lame.getMP3BufferSize()];
        framesPerChunk = pcm.length / (2 * channels);
    }

    @Override
    public void write(float[][] buffer, int frames) throws IOException {
        if (closed) {
            throw new IOException("encoder closed");
        }
        int done = 0;
        while (done < frames) {
            int n = Math.min(framesPerChunk, frames - done);
            int p = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    int q = quantizer.quantize(buffer[c][done + i]);
                    pcm[p++] = (byte) q;
                    pcm[p++] = (byte) (q >> 8);
                }
            }
            int bytes = lame.encodeBuffer(pcm, 0, p, mp3);
            if (bytes < 0) {
                throw new IOException("LAME encoder error " + bytes);
            }
            emit(bytes);
            done += n;
        }
        samplesIn += frames;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int bytes = lame.encodeFinish(mp3);
            if (bytes > 0) {
                emit(bytes);
            }
            lame.close();
        } finally {
            out.close();
        }
        if (path != null) {
            Mp3InfoFrame.write(path, samplesIn, ENCODER_DELAY, bitrateKbps, vbr, musicCrc);
        }
    }

    /** Writes encoded bytes, keeping the checksum of everything after the first (to be Info) frame. */
    private void emit(int bytes) throws IOException {
        if (bytes == 0) {
            return;
        }
        if (firstFrameBytes < 0) {
            firstFrameBytes = Math.max(0, Mp3Scanner.frameLength(mp3, 0));
        }
        int from = (int) Math.max(0, Math.min(bytes, firstFrameBytes - bytesOut));
        musicCrc = Mp3InfoFrame.crc16(mp3, from, bytes - from, musicCrc);
        out.write(mp3, 0, bytes);
        bytesOut += bytes;
    }
}
