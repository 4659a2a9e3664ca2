package studio.nexus.audio.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.Signals;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.render.OfflineRenderer;

class ExportFormatTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void everyExportFormatRendersAndDecodesBackWithItsRateAndChannels(ExportFormat format) throws Exception {
        float[][] in = Signals.music(2, 44100, 44100);
        Path out = dir.resolve("export." + format.extension());
        AudioSink sink = format.open(out, 44100, 2);
        OfflineRenderer.render(() -> new ArrayAudioSource(in, 44100),
                EffectChainParser.parse("[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.3}}]"), sink,
                OfflineRenderer.Options.DEFAULT, OfflineRenderer.ProgressListener.NONE, () -> false);
        try (DecodedAudio a = Decoders.open(out)) {
            assertEquals(44100, a.info().sampleRate());
            assertEquals(2, a.info().channels());
            assertEquals(1.0, EncodersTest.readAll(a)[0].length / 44100.0, format.extension().equals("mp3") ? 0.08 : 0.0);
        }
    }
}
