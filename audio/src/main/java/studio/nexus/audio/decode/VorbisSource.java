package studio.nexus.audio.decode;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ogg Vorbis: JOgg assembles the Ogg pages into packets, {@link VorbisDecoder} (ours) turns them into PCM. Only the
 * first logical stream is decoded (chained streams end the decode). Headers are validated (rate, channels, every
 * setup field) before audio. The end is cut at the last page's granule position (the encoder pads the last block).
 * Progress guard: if 4 MiB of input yield no Ogg page, the input is rejected as corrupt.
 */
final class VorbisSource implements DecodedAudio {
    private final OggPages pages;
    private final StreamState stream = new StreamState();
    private final Page page = new Page();
    private final Packet packet = new Packet();
    private final VorbisDecoder decoder;
    /** For each output channel, the Vorbis channel: Vorbis orders surround as FL C FR..., WAV as FL FR C... */
    private final int[] order;
    private final AudioFormatInfo info;
    private boolean ended;
    private int serial;
    private long produced;
    private long limit = -1; // final granule position: Vorbis pads the last packet, this trims it
    private int pending; // frames of the decoder's output not yet handed out
    private int pendingOffset;

    VorbisSource(InputStream in, long lengthFrames) throws IOException {
        this.pages = new OggPages(in);
        try {
            if (!nextPage()) {
                throw new CorruptAudioException("Ogg: no page");
            }
            serial = page.serialno();
            stream.init(serial);
            pageIn();
            nextHeader(0);
            int[] id = VorbisDecoder.identification(packet.packet_base, packet.packet, packet.bytes);
            nextHeader(1);
            VorbisDecoder.comment(packet.packet_base, packet.packet, packet.bytes);
            nextHeader(2);
            decoder = new VorbisDecoder(id, packet.packet_base, packet.packet, packet.bytes);
        } catch (RuntimeException e) {
            throw new CorruptAudioException("Ogg Vorbis: unreadable headers (" + e + ")", e);
        }
        order = wavOrder(decoder.channels);
        info = AudioFormatInfo.of("Ogg Vorbis", decoder.rate, decoder.channels, 0, lengthFrames, false);
    }

    /** Puts header packet {@code number} in {@link #packet}. */
    private void nextHeader(int number) throws IOException {
        while (true) {
            int r = stream.packetout(packet);
            if (r == 1) {
                return;
            }
            if (r < 0) {
                throw new CorruptAudioException("Ogg Vorbis: damaged header packet " + number);
            }
            if (!nextPage()) {
                throw new CorruptAudioException("Ogg Vorbis: file ends inside the headers");
            }
            pageIn();
        }
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
                if (pending > 0 && limit >= 0 && produced >= limit) {
                    pending = 0; // padding beyond the end granule
                }
                if (pending > 0) {
                    int n = Math.min(pending, frames);
                    if (limit >= 0) {
                        n = (int) Math.min(n, limit - produced);
                    }
                    for (int c = 0; c < buffer.length && c < order.length; c++) {
                        System.arraycopy(decoder.output[order[c]], pendingOffset, buffer[c], 0, n);
                    }
                    produced += n;
                    pending -= n;
                    pendingOffset += n;
                    return n;
                }
                if (ended) {
                    return -1;
                }
                int r = stream.packetout(packet);
                if (r == 1) {
                    pending = decoder.decode(packet.packet_base, packet.packet, packet.bytes);
                    pendingOffset = 0;
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
