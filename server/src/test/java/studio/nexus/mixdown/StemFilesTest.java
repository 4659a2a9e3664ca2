package studio.nexus.mixdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.nexus.audio.AudioSource;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.bounce.Bounce;
import studio.nexus.jobs.JobContext;
import studio.nexus.storage.LocalStorage;

/** The files of a stems download: safe names in track order, a zip written from disk, the stems' sum. */
class StemFilesTest {
    @TempDir Path dir;

    private static void check(int position, int tracks, String trackName, String expected) {
        assertThat(StemFiles.stemName(position, tracks, trackName)).as(trackName).isEqualTo(expected);
    }

    @Test
    void aStemIsNamedByItsPlaceAndItsTracksNameMadeSafe() {
        check(1, 4, "Lead vocal / take #2", "01-Lead_vocal_take_2.wav");
        check(2, 4, "Bass", "02-Bass.wav");
        check(12, 120, "../../etc/passwd", "012-etc_passwd.wav");
        check(3, 9, "C:\\Windows\\system32", "03-C_Windows_system32.wav");
        check(1, 1, "   ", "01-Track.wav");
        check(1, 1, "...", "01-Track.wav");
        check(1, 1, "tab\there\nnew\u0000line", "01-tab_here_new_line.wav");
        check(5, 5, "Café – Gitarre", "05-Café_Gitarre.wav");
        check(5, 5, "Cafe\u0301", "05-Café.wav"); // decomposed é is composed first, not cut off
        check(7, 10, "drums-L", "07-drums-L.wav");
        check(1, 2, "🎸 lead 🎸", "01-lead.wav");
        assertThat(StemFiles.stemName(1, 1, "x".repeat(300))).isEqualTo("01-" + "x".repeat(60) + ".wav");
    }

    @Test
    void stemNamesSortAsTheTracksAndNeverMeetTheMix() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            names.add(StemFiles.stemName(i, 12, "mix"));
        }
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        assertThat(sorted).isEqualTo(names);
        assertThat(names).doesNotContain(StemFiles.MIX);
    }

    @Test
    void theZipHoldsEveryFileAsItIsInTheOrderGiven() throws Exception {
        Path a = Files.write(dir.resolve("a.bin"), bytes(100_000, 7));
        Path b = Files.write(dir.resolve("b.bin"), new byte[0]);
        Path c = Files.write(dir.resolve("c.bin"), bytes(70_001, 13));
        Path zip = dir.resolve("out.zip");
        try (Bounce bounce = bounce(false)) {
            StemFiles.zip(zip, List.of(new StemFiles.Entry("01-A.wav", a), new StemFiles.Entry("02-B.wav", b),
                    new StemFiles.Entry(StemFiles.MIX, c)), bounce.progress(0, 1, "packing"));
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<String> names = new ArrayList<>();
            file.stream().forEach(e -> names.add(e.getName()));
            assertThat(names).containsExactly("01-A.wav", "02-B.wav", "mix.wav");
            for (String name : names) {
                ZipEntry entry = file.getEntry(name);
                assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
                Path source = name.equals("01-A.wav") ? a : name.equals("02-B.wav") ? b : c;
                assertThat(file.getInputStream(entry).readAllBytes()).isEqualTo(Files.readAllBytes(source));
            }
        }
    }

    @Test
    void packingStopsWhenTheJobMust() throws Exception {
        Path a = Files.write(dir.resolve("a.bin"), bytes(200_000, 3));
        try (Bounce bounce = bounce(true)) {
            assertThatThrownBy(() -> StemFiles.zip(dir.resolve("out.zip"), List.of(new StemFiles.Entry("01-A.wav", a)),
                    bounce.progress(0, 1, "packing"))).isInstanceOf(JobContext.JobStopped.class);
        }
    }

    @Test
    void theSumOfStemsIsTheirSampleBySampleSum() throws IOException {
        int frames = 10_007;
        float[][] x = new float[2][frames];
        float[][] y = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            x[0][i] = (float) (0.3 * Math.sin(i * 0.01));
            x[1][i] = (float) (-0.2 * Math.cos(i * 0.02));
            y[0][i] = (float) (0.25 * Math.sin(i * 0.03));
            y[1][i] = 0.1f;
        }
        List<Path> stems = List.of(wav("x.wav", x), wav("y.wav", y));
        float[][] sum = new float[2][frames];
        int done = 0;
        try (AudioSource source = StemFiles.sum(stems)) {
            assertThat(source.channels()).isEqualTo(2);
            assertThat(source.lengthFrames()).isEqualTo(frames);
            float[][] block = new float[2][1000];
            int n;
            while ((n = source.read(block, 1000)) > 0) {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(block[c], 0, sum[c], done, n);
                }
                done += n;
            }
        }
        assertThat(done).isEqualTo(frames);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < frames; i++) {
                assertThat((double) sum[c][i]).isCloseTo(x[c][i] + y[c][i], org.assertj.core.api.Assertions.within(1e-6));
            }
        }
    }

    private Path wav(String name, float[][] samples) throws IOException {
        Path file = dir.resolve(name);
        try (WavEncoder out = WavEncoder.create(file, 44_100, 2, WavEncoder.SampleFormat.FLOAT_32)) {
            out.write(samples, samples[0].length);
        }
        return file;
    }

    private static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    /** A bounce whose job is cancelled, or goes on. */
    private Bounce bounce(boolean cancelled) throws IOException {
        JobContext context = new JobContext() {
            @Override
            public void progress(double fraction, String message) throws JobStopped {
                if (cancelled) {
                    throw new JobStopped("cancelled");
                }
            }

            @Override
            public boolean shouldStop() {
                return cancelled;
            }
        };
        return new Bounce(new LocalStorage(dir.resolve("storage")), context, "test");
    }
}
