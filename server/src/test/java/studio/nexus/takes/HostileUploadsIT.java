package studio.nexus.takes;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.nexus.testing.Musicians.chargedBytes;
import static studio.nexus.testing.TestAudio.wav;
import static studio.nexus.testing.TestProjects.project;
import static studio.nexus.testing.TestProjects.storedKey;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.ServerProcess;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * Hostile copies of every container we read, uploaded over HTTP to a server process with a 256 MB heap: each cut
 * short, given lying or zero sizes, absurd channel counts and rates, huge declared lengths or random bytes after its
 * magic. Each is refused with 413, 415 or 422 problem+json within 2 s, or, where the README documents it (a file
 * that promises more than it holds, such as one cut halfway through its audio), accepted with the frames that
 * decode and {@code "truncated": true}; one cut right after its header holds no audio (422 {@code empty_audio}). Either way
 * the server stays up, and a refusal leaves the project's take, the storage ledger and the storage directory as they
 * were. Valid files are made by the installed tools from a generated WAV.
 *
 * <p>Some copies only damage what a decoder need not trust, and are accepted with exactly the audio that is there
 * ({@link May#DECODE_WHAT_IS_THERE}: a positive length no longer than the valid file's): a WAV data size of 0 or
 * 0xFFFFFFFF (what a streaming writer leaves; the data runs to the end of the file), outer RIFF/FORM sizes, hints
 * (FLAC block and frame size bounds, RF64's table, ADPCM samples per block and MS ADPCM's standard coefficients,
 * a 0 moov size meaning "to the end of the file"), a sample entry's channels and rate when the codec's own
 * configuration gives them, and declared lengths (AIFF frames, stts, Xing, ds64 sample count) that the decoder
 * overrides with what decodes — those are accepted without {@code "truncated": true}.
 */
class HostileUploadsIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    @TempDir static Path dir;
    static ServerProcess small;
    static Musician ana;
    static long slowestNanos;
    static String slowest = "";
    static final List<String> outcomes = new ArrayList<>();

    @BeforeAll
    static void aSmallServer() throws Exception {
        ana = Musicians.named("ana").pro().signedIn(server);
        small = ServerProcess.start(server, "256m");
    }

    @AfterAll
    static void stopAndTell() throws Exception {
        if (small != null) {
            small.close();
        }
        System.out.println("Hostile uploads (" + outcomes.size() + "), slowest " + slowest + " in "
                + slowestNanos / 1_000_000 + " ms:");
        outcomes.forEach(line -> System.out.println("  " + line));
    }

    /**
     * What a hostile copy may answer: a refusal; an acceptance of what decodes, saying it is truncated (the copy
     * promises more than it holds: it must not be refused); a refusal as holding no audio (422 {@code empty_audio}:
     * cut before its first sample); or also an honest acceptance of what decodes.
     */
    enum May { BE_REFUSED, BE_TRUNCATED, HOLD_NO_AUDIO, DECODE_WHAT_IS_THERE }

    record Variant(String name, byte[] bytes, May may) {
        static Variant refused(String name, byte[] bytes) {
            return new Variant(name, bytes, May.BE_REFUSED);
        }
    }

    record Container(String name, String command, Function<byte[], List<Variant>> hostile) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> containers() {
        return Stream.of(
                new Container("WAV PCM", "", b -> riff(b, false)),
                new Container("RF64", "ffmpeg -v error -y -i %i -rf64 always %O.wav", HostileUploadsIT::rf64),
                new Container("RIFX", "sox %i -B %O.wav", b -> riff(b, true)),
                new Container("WAV µ-law", "ffmpeg -v error -y -i %i -c:a pcm_mulaw %O.wav", b -> riff(b, false)),
                new Container("WAV A-law", "ffmpeg -v error -y -i %i -c:a pcm_alaw %O.wav", b -> riff(b, false)),
                new Container("WAV IMA ADPCM", "sox %i -e ima-adpcm %O.wav", HostileUploadsIT::adpcm),
                new Container("WAV MS ADPCM", "sox %i -e ms-adpcm %O.wav", HostileUploadsIT::adpcm),
                new Container("AIFF", "sox %i %O.aiff", HostileUploadsIT::aiff),
                new Container("AIFF-C", "sox %i %O.aifc", HostileUploadsIT::aiff),
                new Container("FLAC", "flac -s -f -o %O.flac %i", HostileUploadsIT::flac),
                new Container("MP3", "lame --quiet --add-id3v2 --tt Take %i %O.mp3", HostileUploadsIT::mp3),
                new Container("Ogg Vorbis", "oggenc -Q -o %O.ogg %i", b -> ogg(b, false)),
                new Container("Ogg Opus", "opusenc --quiet %i %O.opus", b -> ogg(b, true)),
                new Container("M4A AAC", "ffmpeg -v error -y -i %i -c:a aac -aac_pns 0 -movflags +faststart %O.m4a",
                        b -> mp4(b, false)),
                new Container("ADTS AAC", "ffmpeg -v error -y -i %i -c:a aac -aac_pns 0 %O.aac",
                        HostileUploadsIT::adts),
                new Container("M4A ALAC", "ffmpeg -v error -y -i %i -c:a alac -movflags +faststart %O.m4a",
                        b -> mp4(b, true)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void hostileCopiesAreRefusedQuicklyLeavingNothingBehindAndTheServerStaysUp(Container container) throws Exception {
        byte[] valid = make(container.name().replaceAll("[^A-Za-z0-9]", ""), container.command());
        UUID project = project(server, ana, container.name());
        Http.Response accepted = upload(project, valid);
        assertThat(accepted.status()).as(container + ": the valid file; " + accepted).isEqualTo(201);
        BigDecimal validSeconds = accepted.json().path("duration_seconds").decimalValue();

        Snapshot before = Snapshot.of(project);
        List<String> wrong = new ArrayList<>();
        for (Variant variant : container.hostile().apply(valid)) {
            String what = container + ", " + variant.name();
            long started = System.nanoTime();
            Http.Response answer = upload(project, variant.bytes());
            long took = System.nanoTime() - started;
            synchronized (outcomes) {
                outcomes.add(what + ": " + answer.status() + " " + answer.json().path("code").asText("")
                        + (answer.status() == 201 ? " truncated " + answer.json().path("truncated").asBoolean()
                                + ", " + answer.json().path("duration_seconds").asText() + " s" : "")
                        + " in " + took / 1_000_000 + " ms");
                if (took > slowestNanos) {
                    slowestNanos = took;
                    slowest = what;
                }
            }
            assertThat(small.isAlive()).as(what + ": the server is still up; its log: " + small.log()).isTrue();
            if (took >= 2_000_000_000L) {
                wrong.add(what + ": took " + took / 1_000_000 + " ms");
            }
            if (answer.status() == 201) {
                BigDecimal seconds = answer.json().path("duration_seconds").decimalValue();
                if (variant.may() == May.BE_REFUSED || variant.may() == May.HOLD_NO_AUDIO) {
                    wrong.add(what + ": accepted " + answer);
                } else if (variant.may() == May.BE_TRUNCATED && !answer.json().path("truncated").asBoolean()) {
                    wrong.add(what + ": accepted without saying it is truncated " + answer);
                } else if (seconds.signum() <= 0 || seconds.compareTo(validSeconds.add(new BigDecimal("0.05"))) > 0) {
                    // never longer than what is there, whatever the header claims
                    wrong.add(what + ": accepted with a length that is not what is there " + answer);
                }
                before = Snapshot.of(project);
                continue;
            }
            if (variant.may() == May.BE_TRUNCATED) {
                wrong.add(what + ": refused what it holds " + answer);
            } else if (variant.may() == May.HOLD_NO_AUDIO && (answer.status() != 422
                    || !answer.json().path("code").asText().equals("empty_audio"))) {
                wrong.add(what + ": not refused as holding no audio " + answer);
            }
            if (!Set.of(413, 415, 422).contains(answer.status())
                    || !String.valueOf(answer.contentType()).startsWith("application/problem+json")
                    || answer.json().path("code").asText().isEmpty()) {
                wrong.add(what + ": answered " + answer);
            } else if (!Snapshot.of(project).equals(before)) {
                wrong.add(what + ": refused but left something behind: " + Snapshot.of(project) + " was " + before);
            }
        }
        assertThat(wrong).as(container + ": hostile copies answered other than they may").isEmpty();

        assertThat(small.http().get("/health", null).status()).isEqualTo(200);
        assertThat(upload(project, valid).status()).as(container + ": a valid upload after them all").isEqualTo(201);
    }

    static Http.Response upload(UUID project, byte[] bytes) {
        return small.http().raw("PUT", "/api/v1/projects/" + project + "/audio", ana.token(), "audio/wav", bytes);
    }

    /** What a refused upload must leave as it was: the take, the ledger and the files in storage. */
    record Snapshot(String take, long charged, long objects, Set<String> files) {
        static Snapshot of(UUID project) throws IOException {
            Set<String> files;
            Path storage = server.dataDir().resolve("storage");
            try (Stream<Path> walk = Files.walk(storage)) {
                files = walk.filter(Files::isRegularFile).map(p -> storage.relativize(p).toString())
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            return new Snapshot(storedKey(database, project, "original_audio_path"), chargedBytes(database, ana.id()),
                    database.one(Long.class, "SELECT count(*) FROM public.stored_objects"), files);
        }
    }

    // Making the valid files

    static byte[] make(String name, String command) throws Exception {
        byte[] source = wav(44_100, 2, 1.0);
        if (command.isEmpty()) {
            return source;
        }
        return TestAudio.encodedBy(dir, name, source, command);
    }

    // Hostile copies, by container

    /** Cuts common to every container: the magic alone, mid-header, the header alone, noise after the magic. */
    static List<Variant> cuts(byte[] valid, int header, int magic, May headerOnly) {
        List<Variant> out = new ArrayList<>();
        out.add(Variant.refused("the magic alone", Arrays.copyOf(valid, magic)));
        out.add(Variant.refused("cut mid-header", Arrays.copyOf(valid, Math.max(magic + 1, header / 2))));
        out.add(new Variant("the header alone", Arrays.copyOf(valid, header), headerOnly));
        byte[] noise = valid.clone();
        new Random(valid.length).nextBytes(noise);
        System.arraycopy(valid, 0, noise, 0, magic);
        out.add(Variant.refused("random bytes after the magic", noise));
        return out;
    }

    /** The copy cut halfway through its audio, which starts at {@code audio}: what it holds is what it promised. */
    static Variant cutMidAudio(byte[] valid, int audio) {
        return new Variant("cut halfway through the audio", Arrays.copyOf(valid, audio + (valid.length - audio) / 2),
                May.BE_TRUNCATED);
    }

    static List<Variant> riff(byte[] valid, boolean bigEndian) {
        int fmt = find(valid, "fmt ", 12);
        int data = find(valid, "data", 12);
        List<Variant> out = cuts(valid, data + 8, 4, May.HOLD_NO_AUDIO);
        out.add(cutMidAudio(valid, data + 8));
        // the outer size is the only one a streaming writer cannot know in advance: what follows still decodes
        out.add(new Variant("RIFF size 0", put32(valid, 4, 0, bigEndian), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("RIFF size 0xFFFFFFFF", put32(valid, 4, 0xFFFFFFFFL, bigEndian), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("data size 0", put32(valid, data + 4, 0, bigEndian), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("data size 0xFFFFFFFF", put32(valid, data + 4, 0xFFFFFFFFL, bigEndian), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("fmt size 0", put32(valid, fmt + 4, 0, bigEndian)));
        out.add(Variant.refused("fmt size 0xFFFFFFFF", put32(valid, fmt + 4, 0xFFFFFFFFL, bigEndian)));
        out.add(Variant.refused("0 channels", put16(valid, fmt + 10, 0, bigEndian)));
        out.add(Variant.refused("65535 channels", put16(valid, fmt + 10, 0xFFFF, bigEndian)));
        out.add(Variant.refused("rate 0", put32(valid, fmt + 12, 0, bigEndian)));
        out.add(Variant.refused("rate 0xFFFFFFFF", put32(valid, fmt + 12, 0xFFFFFFFFL, bigEndian)));
        out.add(Variant.refused("block align 0", put16(valid, fmt + 20, 0, bigEndian)));
        out.add(Variant.refused("0 bits per sample", put16(valid, fmt + 22, 0, bigEndian)));
        out.add(Variant.refused("65535 bits per sample", put16(valid, fmt + 22, 0xFFFF, bigEndian)));
        return out;
    }

    static List<Variant> adpcm(byte[] valid) {
        List<Variant> out = riff(valid, false);
        int fmt = find(valid, "fmt ", 12);
        // the extension after cbSize: samples per block, then (MS ADPCM) the coefficient count
        out.add(new Variant("0 samples per block", put16(valid, fmt + 26, 0, false), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("65535 samples per block", put16(valid, fmt + 26, 0xFFFF, false)));
        out.add(new Variant("block align 65535", put16(valid, fmt + 20, 0xFFFF, false), May.DECODE_WHAT_IS_THERE));
        if (u16le(valid, fmt + 8) == 2) {
            out.add(Variant.refused("65535 coefficients", put16(valid, fmt + 28, 0xFFFF, false)));
            out.add(new Variant("0 coefficients", put16(valid, fmt + 28, 0, false), May.DECODE_WHAT_IS_THERE));
        }
        return out;
    }

    static List<Variant> rf64(byte[] valid) {
        int ds64 = find(valid, "ds64", 12);
        int data = find(valid, "data", 12);
        int fmt = find(valid, "fmt ", 12);
        List<Variant> out = cuts(valid, data + 8, 4, May.HOLD_NO_AUDIO);
        out.add(cutMidAudio(valid, data + 8)); // ds64 still promises all of it
        out.add(Variant.refused("ds64 data size 0", put64le(valid, ds64 + 16, 0)));
        out.add(new Variant("ds64 data size 2^63-1", put64le(valid, ds64 + 16, Long.MAX_VALUE), May.BE_TRUNCATED));
        out.add(new Variant("ds64 data size 2^64-1", put64le(valid, ds64 + 16, -1L), May.BE_TRUNCATED));
        out.add(new Variant("ds64 sample count 2^63-1", put64le(valid, ds64 + 24, Long.MAX_VALUE),
                May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("ds64 RIFF size 2^63-1", put64le(valid, ds64 + 8, Long.MAX_VALUE),
                May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("ds64 size 0", put32(valid, ds64 + 4, 0, false)));
        out.add(Variant.refused("ds64 size 0xFFFFFFFF", put32(valid, ds64 + 4, 0xFFFFFFFFL, false)));
        out.add(new Variant("ds64 table length 0xFFFFFFFF", put32(valid, ds64 + 32, 0xFFFFFFFFL, false), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("0 channels", put16(valid, fmt + 10, 0, false)));
        out.add(Variant.refused("rate 0", put32(valid, fmt + 12, 0, false)));
        return out;
    }

    static List<Variant> aiff(byte[] valid) {
        int comm = find(valid, "COMM", 12);
        int ssnd = find(valid, "SSND", 12);
        List<Variant> out = cuts(valid, ssnd + 16, 4, May.HOLD_NO_AUDIO);
        out.add(cutMidAudio(valid, ssnd + 16));
        out.add(new Variant("FORM size 0", put32(valid, 4, 0, true), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("FORM size 0xFFFFFFFF", put32(valid, 4, 0xFFFFFFFFL, true), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("COMM size 0", put32(valid, comm + 4, 0, true)));
        out.add(Variant.refused("COMM size 0xFFFFFFFF", put32(valid, comm + 4, 0xFFFFFFFFL, true)));
        out.add(Variant.refused("0 channels", put16(valid, comm + 8, 0, true)));
        out.add(Variant.refused("65535 channels", put16(valid, comm + 8, 0xFFFF, true)));
        out.add(Variant.refused("0 frames", put32(valid, comm + 10, 0, true)));
        out.add(new Variant("0xFFFFFFFF frames", put32(valid, comm + 10, 0xFFFFFFFFL, true), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("0 bits per sample", put16(valid, comm + 14, 0, true)));
        out.add(Variant.refused("65535 bits per sample", put16(valid, comm + 14, 0xFFFF, true)));
        byte[] noRate = valid.clone();
        Arrays.fill(noRate, comm + 16, comm + 26, (byte) 0);
        out.add(Variant.refused("rate 0", noRate));
        out.add(Variant.refused("rate exponent 0x7FFF", put16(valid, comm + 16, 0x7FFF, true)));
        out.add(new Variant("SSND size 0xFFFFFFFF", put32(valid, ssnd + 4, 0xFFFFFFFFL, true), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("SSND size 0", put32(valid, ssnd + 4, 0, true)));
        out.add(Variant.refused("SSND offset 0xFFFFFFFF", put32(valid, ssnd + 8, 0xFFFFFFFFL, true)));
        return out;
    }

    static List<Variant> flac(byte[] valid) {
        // metadata blocks: 1 byte last-flag and type, 3 bytes length; STREAMINFO first, at 4
        int at = 4;
        while (true) {
            boolean last = (valid[at] & 0x80) != 0;
            at += 4 + (((valid[at + 1] & 0xFF) << 16) | ((valid[at + 2] & 0xFF) << 8) | (valid[at + 3] & 0xFF));
            if (last) {
                break;
            }
        }
        int frames = at;
        int info = 8; // STREAMINFO's body
        List<Variant> out = cuts(valid, frames, 4, May.BE_REFUSED);
        byte[] hours = Arrays.copyOf(valid, frames);
        // total samples: the low 4 bits of byte 13 and bytes 14..17 of the body, all ones (2^36 - 1)
        hours[info + 13] |= 0x0F;
        Arrays.fill(hours, info + 14, info + 18, (byte) 0xFF);
        out.add(Variant.refused("STREAMINFO claims 2^36-1 samples, no frames", hours));
        byte[] eight = hours.clone();
        eight[info + 12] |= 0x0E; // 8 channels
        out.add(Variant.refused("8 channels, 2^36-1 samples, no frames", eight));
        byte[] lies = valid.clone();
        lies[info + 13] |= 0x0F;
        Arrays.fill(lies, info + 14, info + 18, (byte) 0xFF);
        out.add(new Variant("STREAMINFO claims 2^36-1 samples", lies, May.BE_TRUNCATED));
        out.add(Variant.refused("STREAMINFO length 0", put24be(valid, 5, 0)));
        out.add(Variant.refused("STREAMINFO length 0xFFFFFF", put24be(valid, 5, 0xFFFFFF)));
        byte[] noRate = valid.clone();
        noRate[info + 10] = 0;
        noRate[info + 11] = 0;
        noRate[info + 12] &= 0x0F;
        out.add(Variant.refused("rate 0", noRate));
        out.add(Variant.refused("max block size 0", put16(valid, info + 2, 0, true)));
        // each frame says its own block size; STREAMINFO's minimum is only a hint
        out.add(new Variant("min block size 0", put16(valid, info, 0, true), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("max frame size 1", put24be(valid, info + 7, 1), May.DECODE_WHAT_IS_THERE));
        byte[] badType = valid.clone();
        badType[4] = (byte) ((badType[4] & 0x80) | 0x7F);
        out.add(Variant.refused("first block of type 127", badType));
        // every frame replaced by noise: nothing after the metadata decodes
        byte[] noiseAfter = valid.clone();
        byte[] noise = new byte[valid.length - frames];
        new Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, noiseAfter, frames, noise.length);
        out.add(Variant.refused("noise after the metadata", noiseAfter));
        return out;
    }

    static List<Variant> mp3(byte[] valid) {
        int tag = 10 + synchsafe(valid, 6);
        // the first frame is LAME's info frame; its header and the Xing fields come next
        int xing = findAny(valid, tag, "Xing", "Info");
        List<Variant> out = cuts(valid, xing + 16, 3, May.BE_REFUSED);
        out.add(Variant.refused("ID3 tag claims 256 MB", putSynchsafe(valid, 6, 0x0FFFFFFF)));
        out.add(new Variant("ID3 tag claims 0 bytes", putSynchsafe(valid, 6, 0), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("ID3 tag alone", Arrays.copyOf(valid, tag)));
        out.add(new Variant("Xing claims 0xFFFFFFFF frames", put32(valid, xing + 8, 0xFFFFFFFFL, true),
                May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("Xing claims 0 frames", put32(valid, xing + 8, 0, true), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("Xing claims 0xFFFFFFFF bytes", put32(valid, xing + 12, 0xFFFFFFFFL, true),
                May.DECODE_WHAT_IS_THERE));
        // LAME's encoder delay and padding, 12 bits each, all ones: more to trim than there is audio
        int lame = find(valid, "LAME", xing);
        if (lame > 0) {
            byte[] trims = valid.clone();
            trims[lame + 21] = (byte) 0xFF;
            trims[lame + 22] = (byte) 0xFF;
            trims[lame + 23] = (byte) 0xFF;
            out.add(new Variant("LAME delay and padding 4095", trims, May.DECODE_WHAT_IS_THERE));
        }
        byte[] header = valid.clone();
        for (int i = tag; i + 4 < header.length; i++) {
            if ((header[i] & 0xFF) == 0xFF && (header[i + 1] & 0xE0) == 0xE0) {
                header[i + 2] |= 0xF0; // bitrate index 15, "bad"
            }
        }
        out.add(Variant.refused("every frame with a bad bitrate", header));
        byte[] rates = valid.clone();
        for (int i = tag; i + 4 < rates.length; i++) {
            if ((rates[i] & 0xFF) == 0xFF && (rates[i + 1] & 0xE0) == 0xE0) {
                rates[i + 2] |= 0x0C; // sample rate index 3, reserved
            }
        }
        out.add(Variant.refused("every frame with a reserved rate", rates));
        byte[] noise = valid.clone();
        new Random(3).nextBytes(noise);
        System.arraycopy(valid, 0, noise, 0, tag);
        out.add(Variant.refused("random bytes after the ID3 tag", noise));
        return out;
    }

    static List<Variant> ogg(byte[] valid, boolean opus) {
        List<int[]> pages = oggPages(valid);
        int headerEnd = 0;
        for (int[] page : pages) {
            if (granule(valid, page[0]) != 0) {
                break;
            }
            headerEnd = page[0] + page[1];
        }
        int first = pages.get(0)[0];
        int idBody = first + 27 + (valid[first + 26] & 0xFF);
        List<Variant> out = cuts(valid, headerEnd, 4, May.BE_REFUSED);
        out.add(Variant.refused("the first page alone", Arrays.copyOf(valid, pages.get(0)[1])));
        byte[] lacing = valid.clone();
        lacing[first + 27] = (byte) 0xFF;
        out.add(Variant.refused("first page claims more than it holds", lacing));
        byte[] segments = valid.clone();
        segments[first + 26] = (byte) 0xFF;
        out.add(Variant.refused("first page claims 255 segments", segments));
        int[] last = pages.get(pages.size() - 1);
        byte[] huge = put64le(valid, last[0] + 6, Long.MAX_VALUE);
        crc(huge, last[0], last[1]);
        out.add(new Variant("last granule 2^63-1", huge, May.DECODE_WHAT_IS_THERE));
        byte[] tail = valid.clone();
        int tailSegments = tail[last[0] + 26] & 0xFF;
        Arrays.fill(tail, last[0] + 27, last[0] + 27 + tailSegments, (byte) 0xFF);
        out.add(new Variant("last page claims 64 KB past the end", tail, May.DECODE_WHAT_IS_THERE));
        if (opus) {
            // OpusHead: magic 8, version 1, channels 1, pre-skip 2, input rate 4, gain 2, mapping family 1
            out.add(Variant.refused("0 channels", page(valid, first, idBody + 9, new byte[] {0})));
            out.add(Variant.refused("255 channels, family 0", page(valid, first, idBody + 9, new byte[] {(byte) 255})));
            out.add(Variant.refused("version 255", page(valid, first, idBody + 8, new byte[] {(byte) 255})));
            out.add(Variant.refused("255 channels, family 1 without a table",
                    page(valid, first, idBody + 9, new byte[] {(byte) 255}, idBody + 18, new byte[] {1})));
            out.add(Variant.refused("pre-skip 65535", page(valid, first, idBody + 10, new byte[] {-1, -1})));
        } else {
            // identification: type 1, "vorbis", version 4, channels 1, rate 4, bitrates 12, blocksizes 1, framing 1
            out.add(Variant.refused("0 channels", page(valid, first, idBody + 11, new byte[] {0})));
            out.add(Variant.refused("255 channels", page(valid, first, idBody + 11, new byte[] {(byte) 255})));
            out.add(Variant.refused("rate 0", page(valid, first, idBody + 12, new byte[] {0, 0, 0, 0})));
            out.add(Variant.refused("rate 0xFFFFFFFF", page(valid, first, idBody + 12, new byte[] {-1, -1, -1, -1})));
            out.add(Variant.refused("block sizes 2^15", page(valid, first, idBody + 28, new byte[] {-1})));
            out.add(Variant.refused("version 1", page(valid, first, idBody + 7, new byte[] {1, 0, 0, 0})));
        }
        return out;
    }

    static List<Variant> mp4(byte[] valid, boolean alac) {
        int mdat = find(valid, "mdat", 0) - 4;
        int moov = find(valid, "moov", 0) - 4;
        int stsz = find(valid, "stsz", moov) - 4;
        int stco = find(valid, "stco", moov) - 4;
        int stts = find(valid, "stts", moov) - 4;
        int mdhd = find(valid, "mdhd", moov) - 4;
        int entry = find(valid, alac ? "alac" : "mp4a", moov) - 4;
        List<Variant> out = cuts(valid, mdat + 8, 8, May.HOLD_NO_AUDIO);
        out.add(cutMidAudio(valid, mdat + 8)); // the index (first) still places every sample
        // size 0 is legal: the box runs to the end of the file
        out.add(new Variant("moov size 0", put32(valid, moov, 0, true), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("moov size 0xFFFFFFFF", put32(valid, moov, 0xFFFFFFFFL, true)));
        out.add(Variant.refused("moov size 7", put32(valid, moov, 7, true)));
        out.add(Variant.refused("moov with a 64-bit size of 2^63-1",
                splice(valid, moov, new byte[] {0, 0, 0, 1, 'm', 'o', 'o', 'v', 0x7F, -1, -1, -1, -1, -1, -1, -1},
                        8)));
        out.add(Variant.refused("moov with a 64-bit size of 0",
                splice(valid, moov, new byte[] {0, 0, 0, 1, 'm', 'o', 'o', 'v', 0, 0, 0, 0, 0, 0, 0, 0}, 8)));
        out.add(new Variant("mdat size 0xFFFFFFFF", put32(valid, mdat, 0xFFFFFFFFL, true), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("mdat with a 64-bit size of 2^63-1",
                splice(valid, mdat, new byte[] {0, 0, 0, 1, 'm', 'd', 'a', 't', 0x7F, -1, -1, -1, -1, -1, -1, -1}, 8),
                May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("stsz counts 0xFFFFFFFF samples", put32(valid, stsz + 16, 0xFFFFFFFFL, true)));
        out.add(Variant.refused("stsz counts 0 samples", put32(valid, stsz + 16, 0, true)));
        if (u32be(valid, stsz + 12) == 0) {
            out.add(Variant.refused("first sample of 2 GB", put32(valid, stsz + 20, 0x7FFFFFFFL, true)));
        } else {
            out.add(Variant.refused("every sample of 2 GB", put32(valid, stsz + 12, 0x7FFFFFFFL, true)));
        }
        out.add(Variant.refused("stco counts 0xFFFFFFFF chunks", put32(valid, stco + 12, 0xFFFFFFFFL, true)));
        out.add(Variant.refused("first chunk at 0xFFFFFFFF", put32(valid, stco + 16, 0xFFFFFFFFL, true)));
        out.add(new Variant("stts counts 0xFFFFFFFF entries", put32(valid, stts + 12, 0xFFFFFFFFL, true), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("stts says 0xFFFFFFFF samples", put32(valid, stts + 16, 0xFFFFFFFFL, true),
                May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("mdhd time scale 0", put32(valid, mdhd + 20, 0, true)));
        out.add(new Variant("mdhd duration 0xFFFFFFFF", put32(valid, mdhd + 24, 0xFFFFFFFFL, true),
                May.DECODE_WHAT_IS_THERE));
        // the audio sample entry: 8 box, 6 reserved, 2 reference, 8 reserved, then channels, bits, 4, rate 16.16
        out.add(new Variant("sample entry with 0 channels", put16(valid, entry + 24, 0, true), May.DECODE_WHAT_IS_THERE));
        out.add(new Variant("sample entry with rate 0", put32(valid, entry + 32, 0, true), May.DECODE_WHAT_IS_THERE));
        if (alac) {
            // the magic cookie box inside the entry: frame length 4, version 1, bit depth 1, pb mb kb 3, channels 1
            int cookie = find(valid, "alac", entry + 8) - 4;
            out.add(Variant.refused("ALAC frame length 0xFFFFFFFF", put32(valid, cookie + 12, 0xFFFFFFFFL, true)));
            out.add(Variant.refused("ALAC frame length 0", put32(valid, cookie + 12, 0, true)));
            out.add(Variant.refused("ALAC bit depth 0", splice(valid, cookie + 17, new byte[] {0}, 1)));
            out.add(Variant.refused("ALAC bit depth 255", splice(valid, cookie + 17, new byte[] {-1}, 1)));
            out.add(Variant.refused("ALAC 0 channels", splice(valid, cookie + 21, new byte[] {0}, 1)));
            out.add(new Variant("ALAC rate 0", put32(valid, cookie + 32, 0, true), May.DECODE_WHAT_IS_THERE));
        } else {
            // the AudioSpecificConfig after the decoder-specific tag: object type 5 bits, rate index 4, channels 4
            int asc = ascOffset(valid, find(valid, "esds", entry) - 4);
            byte[] noRate = valid.clone();
            noRate[asc] = (byte) ((noRate[asc] & 0xF8) | 0x07);
            noRate[asc + 1] = (byte) ((noRate[asc + 1] & 0x7F) | 0x80); // rate index 15: an explicit rate follows
            out.add(Variant.refused("AAC rate index 15 without a rate", noRate));
            byte[] channels = valid.clone();
            channels[asc + 1] = (byte) ((channels[asc + 1] & 0x87) | (0x0F << 3));
            out.add(Variant.refused("AAC channel configuration 15", channels));
            byte[] object = valid.clone();
            object[asc] = (byte) ((object[asc] & 0x07) | (31 << 3)); // escape to a 6-bit object type
            out.add(Variant.refused("AAC object type escape", object));
        }
        return out;
    }

    static List<Variant> adts(byte[] valid) {
        List<Variant> out = cuts(valid, 7, 2, May.BE_REFUSED);
        out.add(Variant.refused("every frame with rate index 15", everyAdtsFrame(valid, h -> {
            h[2] = (byte) (h[2] | 0x3C);
        })));
        out.add(Variant.refused("every frame with rate index 13", everyAdtsFrame(valid, h -> {
            h[2] = (byte) ((h[2] & 0xC3) | (13 << 2));
        })));
        out.add(Variant.refused("every frame of length 0", everyAdtsFrame(valid, h -> {
            h[3] &= (byte) 0xFC;
            h[4] = 0;
            h[5] &= 0x1F;
        })));
        out.add(Variant.refused("every frame of profile LTP", everyAdtsFrame(valid, h -> {
            h[2] = (byte) (h[2] | 0xC0);
        })));
        out.add(new Variant("first frame claims 8191 bytes", everyAdtsFrame(valid, 1, h -> {
            h[3] |= 0x03;
            h[4] = (byte) 0xFF;
            h[5] |= (byte) 0xE0;
        }), May.DECODE_WHAT_IS_THERE));
        out.add(Variant.refused("every frame with 0 channels and no PCE", everyAdtsFrame(valid, h -> {
            h[2] &= (byte) 0xFE;
            h[3] &= 0x3F;
        })));
        return out;
    }

    // Byte helpers

    static int find(byte[] b, String fourcc, int from) {
        byte[] needle = fourcc.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = Math.max(0, from); i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(fourcc + " not found");
    }

    static int findAny(byte[] b, int from, String... fourccs) {
        for (String fourcc : fourccs) {
            try {
                return find(b, fourcc, from);
            } catch (AssertionError notThisOne) {
                // the next one
            }
        }
        throw new AssertionError(String.join(" or ", fourccs) + " not found");
    }

    static byte[] put16(byte[] b, int at, int v, boolean bigEndian) {
        byte[] c = b.clone();
        c[at + (bigEndian ? 0 : 1)] = (byte) (v >> 8);
        c[at + (bigEndian ? 1 : 0)] = (byte) v;
        return c;
    }

    static byte[] put32(byte[] b, int at, long v, boolean bigEndian) {
        byte[] c = b.clone();
        for (int i = 0; i < 4; i++) {
            c[at + (bigEndian ? 3 - i : i)] = (byte) (v >> (8 * i));
        }
        return c;
    }

    static byte[] put24be(byte[] b, int at, int v) {
        byte[] c = b.clone();
        c[at] = (byte) (v >> 16);
        c[at + 1] = (byte) (v >> 8);
        c[at + 2] = (byte) v;
        return c;
    }

    static byte[] put64le(byte[] b, int at, long v) {
        byte[] c = b.clone();
        for (int i = 0; i < 8; i++) {
            c[at + i] = (byte) (v >> (8 * i));
        }
        return c;
    }

    static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static long u32be(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /** {@code b} with the {@code replaced} bytes at {@code at} replaced by {@code with}. */
    static byte[] splice(byte[] b, int at, byte[] with, int replaced) {
        byte[] c = new byte[b.length - replaced + with.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(with, 0, c, at, with.length);
        System.arraycopy(b, at + replaced, c, at + with.length, b.length - at - replaced);
        return c;
    }

    static int synchsafe(byte[] b, int at) {
        return (b[at] & 0x7F) << 21 | (b[at + 1] & 0x7F) << 14 | (b[at + 2] & 0x7F) << 7 | (b[at + 3] & 0x7F);
    }

    static byte[] putSynchsafe(byte[] b, int at, int v) {
        byte[] c = b.clone();
        for (int i = 0; i < 4; i++) {
            c[at + i] = (byte) ((v >> (7 * (3 - i))) & 0x7F);
        }
        return c;
    }

    /** Ogg pages as {start, length}. */
    static List<int[]> oggPages(byte[] b) {
        List<int[]> pages = new ArrayList<>();
        int at = 0;
        while (at + 27 <= b.length) {
            int segments = b[at + 26] & 0xFF;
            int length = 27 + segments;
            for (int i = 0; i < segments; i++) {
                length += b[at + 27 + i] & 0xFF;
            }
            pages.add(new int[] {at, length});
            at += length;
        }
        return pages;
    }

    static long granule(byte[] b, int page) {
        long g = 0;
        for (int i = 7; i >= 0; i--) {
            g = g << 8 | (b[page + 6 + i] & 0xFF);
        }
        return g;
    }

    /** A copy with bytes of one page changed (pairs of offset and bytes), its checksum made right again. */
    static byte[] page(byte[] b, int page, Object... changes) {
        byte[] c = b.clone();
        for (int i = 0; i < changes.length; i += 2) {
            byte[] with = (byte[]) changes[i + 1];
            System.arraycopy(with, 0, c, (Integer) changes[i], with.length);
        }
        int segments = c[page + 26] & 0xFF;
        int length = 27 + segments;
        for (int i = 0; i < segments; i++) {
            length += c[page + 27 + i] & 0xFF;
        }
        crc(c, page, length);
        return c;
    }

    /** Sets the Ogg checksum (CRC-32, polynomial 0x04C11DB7, not reflected) of the page at {@code page}. */
    static void crc(byte[] b, int page, int length) {
        Arrays.fill(b, page + 22, page + 26, (byte) 0);
        int crc = 0;
        for (int i = page; i < page + length; i++) {
            crc ^= (b[i] & 0xFF) << 24;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        for (int i = 0; i < 4; i++) {
            b[page + 22 + i] = (byte) (crc >>> (8 * i));
        }
    }

    /** The offset of the AudioSpecificConfig in an esds box: after the descriptor tags 3, 4 and 5. */
    static int ascOffset(byte[] b, int esds) {
        int at = esds + 12;
        for (int tag : new int[] {3, 4, 5}) {
            assertThat(b[at] & 0xFF).as("esds descriptor tag").isEqualTo(tag);
            at++;
            while ((b[at] & 0x80) != 0) {
                at++;
            }
            at++;
            at += tag == 3 ? 3 : tag == 4 ? 13 : 0;
        }
        return at;
    }

    static byte[] everyAdtsFrame(byte[] valid, java.util.function.Consumer<byte[]> change) {
        return everyAdtsFrame(valid, Integer.MAX_VALUE, change);
    }

    /** A copy with the first {@code count} ADTS frame headers changed, each found by the original's lengths. */
    static byte[] everyAdtsFrame(byte[] valid, int count, java.util.function.Consumer<byte[]> change) {
        byte[] c = valid.clone();
        int at = 0;
        for (int n = 0; n < count && at + 7 <= valid.length; n++) {
            int length = (valid[at + 3] & 0x03) << 11 | (valid[at + 4] & 0xFF) << 3 | (valid[at + 5] & 0xE0) >> 5;
            byte[] header = Arrays.copyOfRange(c, at, at + 7);
            change.accept(header);
            System.arraycopy(header, 0, c, at, 7);
            if (length < 7) {
                break;
            }
            at += length;
        }
        return c;
    }
}
