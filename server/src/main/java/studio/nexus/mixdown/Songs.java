package studio.nexus.mixdown;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import studio.nexus.audio.effects.ChainDefinition;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.effects.InvalidEffectChainException;
import studio.nexus.audio.mix.Arrangement;
import studio.nexus.audio.mix.Clip;
import studio.nexus.audio.mix.Track;
import studio.nexus.effects.Effects;
import studio.nexus.jobs.JobFailure;

/**
 * A project's arrangement as the mixer plays it ({@link Arrangement}): the project's {@code effects_settings} chain is
 * the master bus chain and {@code master_volume_db} its fader (V91; null = −∞), each track brings its chain, fader (null = −∞), pan, mute and solo, and
 * each clip its frames at the project's rate, gain and fades. A clip names its take by the take's handle (the stored
 * key's part after {@code projects/<id>/}, as the API shows it), so the mixer's messages name takes as musicians see
 * them. Stateless.
 */
final class Songs {
    private Songs() {}

    /** The arrangement, and the stored key of every take it plays, by handle. */
    record Mixable(Arrangement arrangement, Map<String, String> takeKeys) {
        long clips() {
            return arrangement.tracks().stream().mapToLong(t -> t.clips().size()).sum();
        }
    }

    static Mixable of(UUID projectId, MixdownSql.Song song) throws JobFailure {
        String prefix = "projects/" + projectId + "/";
        Map<String, String> takeKeys = new LinkedHashMap<>();
        Map<UUID, List<Clip>> clipsByTrack = new LinkedHashMap<>();
        try {
            for (MixdownSql.ClipRow c : song.clips()) {
                String take = c.takeKey().startsWith(prefix) ? c.takeKey().substring(prefix.length()) : c.takeKey();
                takeKeys.put(take, c.takeKey());
                clipsByTrack.computeIfAbsent(c.trackId(), id -> new ArrayList<>()).add(new Clip(take, c.startFrame(),
                        c.offsetFrames(), c.lengthFrames(), c.gainDb(), c.fadeInFrames(), c.fadeOutFrames()));
            }
            List<Track> tracks = new ArrayList<>();
            for (MixdownSql.TrackRow t : song.tracks()) {
                tracks.add(new Track(t.id().toString(), t.name(),
                        t.volumeDb() == null ? Double.NEGATIVE_INFINITY : t.volumeDb(), t.pan(), t.muted(),
                        t.soloed(), chain(t.effectsChain(), "Track \"" + t.name() + "\""),
                        clipsByTrack.getOrDefault(t.id(), List.of())));
            }
            ChainDefinition master = chain(Effects.chainOf(song.effectsSettings()), "The master bus");
            double masterGainDb = song.masterVolumeDb() == null ? Double.NEGATIVE_INFINITY : song.masterVolumeDb();
            return new Mixable(new Arrangement(song.sampleRate(), tracks, master, masterGainDb), takeKeys);
        } catch (IllegalArgumentException e) {
            throw new JobFailure("invalid_arrangement", "The arrangement cannot be mixed: " + e.getMessage(), false);
        }
    }

    private static ChainDefinition chain(JsonNode chain, String whose) throws JobFailure {
        try {
            return EffectChainParser.parse(chain);
        } catch (InvalidEffectChainException e) {
            throw new JobFailure("invalid_effect_chain", whose + " has an effect chain that cannot be built: "
                    + e.getMessage(), false);
        }
    }
}
