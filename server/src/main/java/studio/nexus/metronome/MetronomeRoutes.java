package studio.nexus.metronome;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import studio.nexus.web.Caller;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.metronome.ClickTrack;
import studio.nexus.audio.metronome.MetronomeSettings;
import studio.nexus.db.Db;
import studio.nexus.studio.StudioRoutes;
import studio.nexus.web.ApiException;
import studio.nexus.web.PathIds;

/**
 * Click tracks as 16-bit mono WAV (no dither, so every click starts at exactly
 * {@code round(n × 60 / bpm / subdivision × rate)}), streamed as they are synthesised. Open to anyone; at most
 * {@link #MAX_SECONDS} long. The project variant takes the project's {@code metronome_bpm} as the default tempo.
 */
public final class MetronomeRoutes {
    public static final int MAX_SECONDS = 600;
    private final Db db;

    public MetronomeRoutes(Db db) {
        this.db = db;
    }

    public void clickTrack(Context ctx) throws IOException {
        answer(ctx, 120);
    }

    public void projectClickTrack(Context ctx) throws IOException {
        UUID id = PathIds.uuid(ctx, "id", "Project");
        int bpm = db.as(Caller.identity(ctx), handle -> handle.createQuery(
                        "SELECT coalesce(metronome_bpm, 120) FROM public.projects WHERE id = :id")
                .bind("id", id).mapTo(Integer.class).findOne()).orElseThrow(() -> ApiException.notFound("Project"));
        answer(ctx, bpm);
    }

    private static void answer(Context ctx, int defaultBpm) throws IOException {
        int bpm = StudioRoutes.intQuery(ctx, "bpm", defaultBpm, 30, 300);
        int beatsPerBar = StudioRoutes.intQuery(ctx, "beats_per_bar", 4, 1, 16);
        int bars = StudioRoutes.intQuery(ctx, "bars", 4, 0, 10_000);
        int countIn = StudioRoutes.intQuery(ctx, "count_in_bars", 0, 0, 16);
        int subdivision = StudioRoutes.intQuery(ctx, "subdivision", 1, 1, 4);
        int rate = StudioRoutes.intQuery(ctx, "sample_rate", 44_100, 8_000, 192_000);
        if (bars + countIn == 0) {
            throw ApiException.badRequest("invalid_parameter", "bars + count_in_bars must be at least 1");
        }
        double seconds = (double) (bars + countIn) * beatsPerBar * 60.0 / bpm;
        if (seconds > MAX_SECONDS) {
            throw ApiException.badRequest("too_long", String.format(java.util.Locale.ROOT,
                    "A click track may be at most %d seconds long; this one would be %.1f", MAX_SECONDS, seconds));
        }
        ClickTrack clicks = new ClickTrack(new MetronomeSettings(bpm, beatsPerBar, bars, countIn, subdivision, rate));
        long frames = clicks.lengthFrames();
        ctx.status(200);
        studio.nexus.studio.AudioResponses.binaryContentType(ctx, "audio/wav");
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
