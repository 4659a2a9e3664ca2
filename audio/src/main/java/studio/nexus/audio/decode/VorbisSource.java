package studio.nexus.audio.decode;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ogg Vorbis via JOrbis (JCraft) used directly: Ogg pages → packets → PCM floats. Only the first logical
 * stream is decoded (chained streams end the decode). Headers are validated (rate, channels) before
 * audio. Progress guard: if 4 MiB of input yield no Ogg page, the input is rejected as corrupt.
 */
final class VorbisSource implements DecodedAudio {

    static {
        com.jcraft.jorbis.SurroundMapping.install(); // 3, 5, 6 and 7 channels: see there
    }
    private final OggPages pages;
    private final StreamState stream = new StreamState();
    private final Page page = new Page();
    private final Packet packet = new Packet();
    private final Info vorbisInfo = new Info();
    private final Comment comment = new Comment();
    private final DspState dsp = new DspState();
    private final Block block = new Block(dsp);
    private final float[][][] pcm = new float[1][][];
    private final int[] index;
    /** For each output channel, the Vorbis channel: Vorbis orders surround as FL C FR..., WAV as FL FR C... */
    private final int[] order;
    private final AudioFormatInfo info;
    private boolean ended;
    private int serial;
    private long produced;
    private long limit = -1; // final granule position: Vorbis pads the last packet, this trims it

    VorbisSource(InputStream in, long lengthFrames) throws IOException {
        this.pages = new OggPages(in);
        vorbisInfo.init();
        comment.init();
        try {
            if (!nextPage()) {
                throw new CorruptAudioException("Ogg: no page");
            }
            serial = page.serialno();
            stream.init(serial);
            pageIn();
            int headers = 0;
            while (headers < 3) {
                int r = stream.packetout(packet);
                if (r == 0) {
                    if (!nextPage()) {
                        throw new CorruptAudioException("Ogg Vorbis: file ends inside the headers");
                    }
                    pageIn();
                    continue;
                }
                if (r < 0) {
                    throw new CorruptAudioException("Ogg Vorbis: damaged header packet " + headers);
                }
                if (headers == 2) { // JOrbis would size arrays from these codebooks: check them first
                    VorbisSetupGuard.check(packet.packet_base, packet.packet, packet.bytes);
                }
                if (vorbisInfo.synthesis_headerin(comment, packet) < 0) {
                    throw new CorruptAudioException("Ogg Vorbis: invalid header packet " + headers);
                }
                headers++;
            }
        } catch (RuntimeException e) {
            throw new CorruptAudioException("Ogg Vorbis: unreadable headers (" + e + ")", e);
        }
        Limits.checkChannels("Ogg Vorbis", vorbisInfo.channels);
        Limits.checkRate("Ogg Vorbis", vorbisInfo.rate);
        dsp.synthesis_init(vorbisInfo);
        block.init(dsp);
        index = new int[vorbisInfo.channels];
        order = wavOrder(vorbisInfo.channels);
        info = AudioFormatInfo.of("Ogg Vorbis", vorbisInfo.rate, vorbisInfo.channels, 0, lengthFrames, false);
    }

    /** The Vorbis I specification's channel orders (section 4.3.9) mapped to WAV's (SMPTE) order. */
    static int[] wavOrder(int channels) {
        return switch (channels) {
            case 3 -> new int[] {0, 2, 1};
            case 5 -> new int[] {0, 2, 1, 3, 4};
            case 6 -> new int[] {0, 2, 1, 5, 3, 4};
            case 7 -> new int[] {0, 2, 1, 6, 5, 3, 4};
            case 8 -> new int[] {0, 2, 1, 7, 5, 6, 3, 4};
            default -> java.util.stream.IntStream.range(0, channels).toArray();
        };
    }

    /** Fills {@link #page} with the next page of the input; false at end of input. */
    private boolean nextPage() throws IOException {
        return pages.next(page);
    }

    private void pageIn() throws CorruptAudioException {
        OggPages.pageIn(stream, page);
    }

    @Override
    public AudioFormatInfo info() {
        return info;
    }

    @Override
    public int read(float[][] buffer, int frames) throws IOException {
        try {
            while (true) {
                int available = dsp.synthesis_pcmout(pcm, index);
                if (available > 0 && limit >= 0 && produced >= limit) {
                    dsp.synthesis_read(available); // padding beyond the end granule
                    continue;
                }
                if (available > 0) {
                    int n = Math.min(available, frames);
                    if (limit >= 0) {
                        n = (int) Math.min(n, limit - produced);
                    }
                    produced += n;
                    for (int c = 0; c < info.channels(); c++) {
                        int v = order[c];
                        System.arraycopy(pcm[0][v], index[v], buffer[c], 0, n);
                    }
                    dsp.synthesis_read(n);
                    return n;
                }
                if (ended) {
                    return -1;
                }
                int r = stream.packetout(packet);
                if (r == 1) {
                    if (block.synthesis(packet) == 0) {
                        dsp.synthesis_blockin(block);
                    }
                } else if (r == 0) {
                    if (page.eos() != 0 || !nextPage()) {
                        ended = true;
                        continue;
                    }
                    if (page.serialno() != serial) {
                        ended = true; // a chained stream follows: not supported, stop here
                        continue;
                    }
                    pageIn();
                    if (page.eos() != 0 && page.granulepos() >= 0) {
                        limit = page.granulepos();
                    }
                }
                // r < 0: a hole in the data; skip the damaged packet
            }
        } catch (RuntimeException e) {
            throw new CorruptAudioException("Ogg Vorbis: undecodable packet (" + e + ")", e);
        }
    }

    @Override
    public void close() throws IOException {
        pages.close();
    }
}
