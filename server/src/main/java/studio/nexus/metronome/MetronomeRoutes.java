package studio.nexus.metronome;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.metronome.ClickTrack;
import studio.nexus.web.AudioResponses;
import studio.nexus.web.Caller;
import studio.nexus.web.PathIds;
import studio.nexus.web.Requests;

/**
 * Click tracks as 16-bit mono WAV (no dither, so every click starts at exactly
 * {@code round(n × 60 / bpm / subdivision × rate)}), streamed as they are synthesised. Open to anyone; at most
 * {@link Metronome#MAX_SECONDS} long. The project variant takes the project's {@code metronome_bpm} as the default
 * tempo.
 */
public final class MetronomeRoutes {
    private final Metronome metronome;

    public MetronomeRoutes(Metronome metronome) {
        this.metronome = metronome;
    }

    public void clickTrack(Context ctx) throws IOException {
        answer(ctx, 120);
    }

    public void projectClickTrack(Context ctx) throws IOException {
        UUID id = PathIds.uuid(ctx, "id", "Project");
        answer(ctx, metronome.projectBpm(Caller.identity(ctx), id));
    }

    private static void answer(Context ctx, int defaultBpm) throws IOException {
        int bpm = Requests.intQuery(ctx, "bpm", defaultBpm, 30, 300);
        int beatsPerBar = Requests.intQuery(ctx, "beats_per_bar", 4, 1, 16);
        int bars = Requests.intQuery(ctx, "bars", 4, 0, 10_000);
        int countIn = Requests.intQuery(ctx, "count_in_bars", 0, 0, 16);
        int subdivision = Requests.intQuery(ctx, "subdivision", 1, 1, 4);
        int rate = Requests.intQuery(ctx, "sample_rate", 44_100, 8_000, 192_000);
        ClickTrack clicks = Metronome.clickTrack(bpm, beatsPerBar, bars, countIn, subdivision, rate);
        long frames = clicks.lengthFrames();
        ctx.status(200);
        AudioResponses.binaryContentType(ctx, "audio/wav");
        ctx.header("Content-Disposition", "inline; filename=\"metronome-" + bpm + "bpm.wav\"");
        OutputStream out = ctx.outputStream();
        float[][] buffer = new float[1][4096];
        try (WavEncoder wav = WavEncoder.create(out, rate, 1, WavEncoder.SampleFormat.PCM_16, false, frames)) {
            int n;
            while ((n = clicks.read(buffer, 4096)) > 0) {
                wav.write(buffer, n);
            }
        }
    }
}
