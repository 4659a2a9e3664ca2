package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libvorbis surround files (3, 5, 5.1, 6.1, 7.1) decode, in WAV's channel order, like ffmpeg decodes them. */
class SurroundVorbisTest {
    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {3, 4, 5, 6, 7, 8})
    void surroundOggVorbisFromOggencDecodesEveryChannelInWavOrder(int channels) throws Exception {
        assumeTrue(TestAudioFiles.toolAvailable("oggenc"), "oggenc not installed");
        assumeTrue(TestAudioFiles.toolAvailable("ffmpeg"), "ffmpeg not installed");
        int rate = 48000;
        int frames = rate + 321;
        Path wav = dir.resolve("s" + channels + ".wav");
        // extensible, so oggenc knows the WAV channel order and maps it to Vorbis order
        Files.write(wav, TestAudioFiles.wav(1, 16, channels, rate, frames, true));
        Path ogg = dir.resolve("s" + channels + ".ogg");
        TestAudioFiles.run("oggenc", "-Q", "-q", "5", "-o", ogg.toString(), wav.toString());
        Path raw = dir.resolve("s" + channels + ".f32");
        TestAudioFiles.run("ffmpeg", "-v", "error", "-y", "-i", ogg.toString(), "-f", "f32le", raw.toString());
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        try (DecodedAudio a = Decoders.open(ogg)) {
            assertEquals("Ogg Vorbis", a.info().formatName());
            assertEquals(channels, a.info().channels());
            assertEquals(rate, a.info().sampleRate());
            assertEquals(frames, a.info().lengthFrames());
            List<float[]> pcm = TestAudioFiles.decodeAll(a);
            assertEquals(frames, pcm.get(0).length);
            assertEquals(frames * channels * 4, ref.capacity(), "ffmpeg agrees on the length");
            for (int c = 0; c < channels; c++) {
                double error = 0;
                double energy = 0;
                for (int i = 0; i < frames; i++) {
                    double d = pcm.get(c)[i] - ref.getFloat((i * channels + c) * 4);
                    error += d * d;
                    energy += pcm.get(c)[i] * pcm.get(c)[i];
                }
                assertTrue(error < energy * 1e-6, "channel " + c + " matches ffmpeg's (error " + error + ")");
                if (channels >= 6 && c == 3) {
                    continue; // LFE: libvorbis keeps only its lows, so the tone is gone (ffmpeg agreed above)
                }
                // and carries its own tone (440 + 110 c Hz), not a neighbour's
                double expected = 0;
                double got = 0;
                for (int i = 1000; i < frames - 1000; i++) {
                    expected += TestAudioFiles.sampleValue(i, c, rate) * pcm.get(c)[i];
                    got += TestAudioFiles.sampleValue(i, c, rate) * TestAudioFiles.sampleValue(i, c, rate);
                }
                assertEquals(1.0, expected / got, 0.05, "channel " + c + " is in WAV order");
            }
        }
    }
}
