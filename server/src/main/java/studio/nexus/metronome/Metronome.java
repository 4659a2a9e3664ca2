package studio.nexus.metronome;

import java.util.UUID;
import studio.nexus.audio.metronome.ClickTrack;
import studio.nexus.audio.metronome.MetronomeSettings;
import studio.nexus.core.Failure;
import studio.nexus.db.Db;
import studio.nexus.db.Identity;

/**
 * Click tracks: a project's tempo as the default, and the rules of a click track anyone may ask for (at least one
 * bar, at most {@link #MAX_SECONDS} long). Thread-safe.
 */
public final class Metronome {
    public static final int MAX_SECONDS = 600;

    private final Db db;

    public Metronome(Db db) {
        this.db = db;
    }

    /** The tempo of a project the caller can see. */
    public int projectBpm(Identity who, UUID id) {
        return db.as(who, handle -> new MetronomeSql(handle).projectBpm(id))
                .orElseThrow(() -> Failure.notFound("Project"));
    }

    /** The click track of these settings, checked against the limits. */
    public static ClickTrack clickTrack(int bpm, int beatsPerBar, int bars, int countIn, int subdivision, int rate) {
        if (bars + countIn == 0) {
            throw Failure.badRequest("invalid_parameter", "bars + count_in_bars must be at least 1");
        }
        double seconds = (double) (bars + countIn) * beatsPerBar * 60.0 / bpm;
        if (seconds > MAX_SECONDS) {
            throw Failure.badRequest("too_long", String.format(java.util.Locale.ROOT,
                    "A click track may be at most %d seconds long; this one would be %.1f", MAX_SECONDS, seconds));
        }
        return new ClickTrack(new MetronomeSettings(bpm, beatsPerBar, bars, countIn, subdivision, rate));
    }
}
