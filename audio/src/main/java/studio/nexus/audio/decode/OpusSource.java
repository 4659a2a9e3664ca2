package studio.nexus.audio.decode;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusMSDecoder;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Ogg Opus (RFC 7845) via Concentus, a pure-Java port of libopus: JOgg assembles the packets, Concentus
 * decodes them. Opus always decodes at 48 kHz, so that is the rate we report whatever the header's
 * "input rate" says (it is informational). The encoder's priming ({@code pre-skip}) is dropped from the
 * start and the end is cut at the last page's granule position, so the frames are the original audio's:
 * {@code lengthFrames = last granule − pre-skip}. The header's output gain is applied. Mapping families 0
 * (mono/stereo) and 1 (Vorbis channel order, up to 8 channels, delivered in WAV order) are decoded.
 * Only the first logical stream is read. Memory: one packet and one 120 ms block. Not thread-safe.
 */
final class OpusSource implements DecodedAudio {
    static final int RATE = 48_000;
    private static final int MAX_FRAME = 5760; // 120 ms at 48 kHz: the longest an Opus packet decodes to
    private static final int MAX_PACKET = 1 << 20;

    private final OggPages pages;
    private final StreamState stream = new StreamState();
    private final Page page = new Page();
    private final Packet packet = new Packet();
    /** Mono and stereo files (mapping family 0): one Opus stream, decoded straight into {@link #pcm}. */
    private final OpusDecoder single;
    /** Surround (mapping family 1): several streams, mixed into {@link #pcm} by Concentus. */
    private final OpusMSDecoder multi;
    private final AudioFormatInfo info;
    private final int channels;
    private final int[] order;
    private final float gain;
    private final short[] pcm;
    private int serial;
    private boolean ended;
    private long skip; // pre-skip still to drop
    private long decodedGranule; // samples decoded so far, pre-skip included
    private long endGranule = -1; // from the last page: where the audio ends
    private int pcmFrames;
    private int pcmOffset;

    OpusSource(InputStream in, long lastGranule) throws IOException {
        this.pages = new OggPages(in);
        if (!nextPage()) {
            throw new CorruptAudioException("Ogg: no page");
        }
        serial = page.serialno();
        stream.init(serial);
        pageIn();
        byte[] head = nextPacketBytes("OpusHead");
        if (head.length < 19 || !new String(head, 0, 8, StandardCharsets.ISO_8859_1).equals("OpusHead")) {
            throw new CorruptAudioException("Ogg Opus: first packet is not an OpusHead");
        }
        if ((head[8] & 0xf0) != 0) {
            throw new UnsupportedAudioFormatException("Ogg Opus: header version " + (head[8] & 0xff));
        }
        channels = head[9] & 0xff;
        Limits.checkChannels("Ogg Opus", channels);
        int preSkip = HeaderReader.u16le(head, 10);
        int gainQ8 = (short) HeaderReader.u16le(head, 16);
        int family = head[18] & 0xff;
        int streams;
        int coupled;
        short[] mapping = new short[channels];
        if (family == 0) {
            if (channels > 2) {
                throw new CorruptAudioException("Ogg Opus: mapping family 0 with " + channels + " channels");
            }
            streams = 1;
            coupled = channels - 1;
            for (int c = 0; c < channels; c++) {
                mapping[c] = (short) c;
            }
        } else if (family == 1) {
            if (head.length < 21 + channels) {
                throw new CorruptAudioException("Ogg Opus: channel mapping table cut short");
            }
            streams = head[19] & 0xff;
            coupled = head[20] & 0xff;
            if (streams == 0 || coupled > streams || streams + coupled > 255) {
                throw new CorruptAudioException("Ogg Opus: " + streams + " streams of which " + coupled + " coupled");
            }
            for (int c = 0; c < channels; c++) {
                int m = head[21 + c] & 0xff;
                if (m >= streams + coupled && m != 255) {
                    throw new CorruptAudioException("Ogg Opus: channel " + c + " mapped to stream " + m);
                }
                mapping[c] = (short) m;
            }
        } else {
            throw new UnsupportedAudioFormatException("Ogg Opus: channel mapping family " + family
                    + " (supported: 0 and 1)");
        }
        byte[] tags = nextPacketBytes("OpusTags");
        if (tags.length < 8 || !new String(tags, 0, 8, StandardCharsets.ISO_8859_1).equals("OpusTags")) {
            throw new CorruptAudioException("Ogg Opus: second packet is not OpusTags");
        }
        try {
            // The multistream decoder allocates and zeroes a block per packet and copies every channel out of it;
            // a lone stream needs neither, and mono/stereo is nearly every upload.
            single = family == 0 ? new OpusDecoder(RATE, channels) : null;
            multi = family == 0 ? null : OpusMSDecoder.create(RATE, channels, streams, coupled, mapping);
        } catch (OpusException | RuntimeException e) {
            throw new CorruptAudioException("Ogg Opus: decoder refused the header (" + e.getMessage() + ")", e);
        }
        this.skip = preSkip;
        this.gain = (float) Math.pow(10, gainQ8 / (20.0 * 256));
        this.order = family == 1 ? VorbisSource.wavOrder(channels) : VorbisSource.wavOrder(Math.min(channels, 2));
        this.pcm = new short[MAX_FRAME * channels];
        long frames = lastGranule >= 0 ? Math.max(0, lastGranule - preSkip) : -1;
        info = AudioFormatInfo.of("Ogg Opus", RATE, channels, 0, frames, false);
    }

    /** The next whole packet of the header pages as bytes. */
    private byte[] nextPacketBytes(String what) throws IOException {
        while (true) {
            int r = stream.packetout(packet);
            if (r == 1) {
                byte[] b = new byte[packet.bytes];
                System.arraycopy(packet.packet_base, packet.packet, b, 0, packet.bytes);
                return b;
            }
            if (r < 0) {
                throw new CorruptAudioException("Ogg Opus: damaged " + what + " packet");
            }
            if (!nextPage()) {
                throw new CorruptAudioException("Ogg Opus: file ends before its " + what + " packet");
            }
            if (page.serialno() == serial) {
                pageIn();
            }
        }
    }

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
        while (pcmOffset >= pcmFrames) {
            if (ended || !decodePacket()) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(frames, pcmFrames - pcmOffset);
        float scale = gain / 32768f;
        for (int c = 0; c < channels; c++) {
            float[] out = buffer[c];
            int p = pcmOffset * channels + order[c];
            for (int i = 0; i < n; i++) {
                out[i] = pcm[p] * scale;
                p += channels;
            }
        }
        pcmOffset += n;
        return n;
    }

    /** Decodes the next audio packet into {@link #pcm}, dropping pre-skip and what lies past the end. */
    private boolean decodePacket() throws IOException {
        while (true) {
            int r = stream.packetout(packet);
            if (r == 0) {
                if (page.eos() != 0 || !nextPage()) {
                    return false;
                }
                if (page.serialno() != serial) {
                    return false; // a chained stream follows: not supported, stop here
                }
                pageIn();
                if (page.eos() != 0 && page.granulepos() >= 0) {
                    endGranule = page.granulepos();
                }
                continue;
            }
            if (r < 0) {
                continue; // a hole in the data: skip the damaged packet
            }
            if (packet.bytes > MAX_PACKET) {
                throw new CorruptAudioException("Ogg Opus: a packet of " + packet.bytes + " bytes");
            }
            int decoded;
            try {
                if (single != null) {
                    decoded = single.decode(packet.packet_base, packet.packet, packet.bytes, pcm, 0, MAX_FRAME, false);
                } else {
                    // the block it allocates per packet is sized by what we allow: allow just this packet's length
                    int length = OpusPacketInfo.getNumSamples(packet.packet_base, packet.packet, packet.bytes, RATE);
                    int allowed = length > 0 && length <= MAX_FRAME ? length : MAX_FRAME;
                    decoded = multi.decodeMultistream(packet.packet_base, packet.packet, packet.bytes, pcm, 0, allowed,
                            0);
                }
            } catch (OpusException e) {
                throw new CorruptAudioException("Ogg Opus: undecodable packet (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                throw new CorruptAudioException("Ogg Opus: undecodable packet (" + e + ")", e);
            }
            if (decoded < 0) {
                throw new CorruptAudioException("Ogg Opus: undecodable packet (error " + decoded + ")");
            }
            long start = decodedGranule;
            decodedGranule += decoded;
            int from = (int) Math.min(decoded, skip);
            skip -= from;
            int to = decoded;
            if (endGranule >= 0) {
                to = (int) Math.max(from, Math.min(decoded, endGranule - start));
            }
            if (to > from) {
                pcmOffset = from;
                pcmFrames = to;
                return true;
            }
            if (endGranule >= 0 && decodedGranule >= endGranule) {
                return false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        pages.close();
    }
}
