package studio.nexus.audio.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArrangementTest {

    @Test
    void aClipRefusesWhatCannotBePlayed() {
        assertThrows(IllegalArgumentException.class, () -> Clip.of("t", -1, 0, 10), "before the timeline");
        assertThrows(IllegalArgumentException.class, () -> Clip.of("t", 0, -1, 10), "before the take");
        assertThrows(IllegalArgumentException.class, () -> Clip.of("t", 0, 0, 0), "empty");
        assertThrows(IllegalArgumentException.class, () -> Clip.of(" ", 0, 0, 10), "no take");
        assertThrows(IllegalArgumentException.class, () -> new Clip("t", 0, 0, 10, 30, 0, 0), "too loud");
        assertThrows(IllegalArgumentException.class, () -> new Clip("t", 0, 0, 10, Double.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Clip("t", 0, 0, 10, 0, 6, 5), "fades overlap");
        assertThrows(IllegalArgumentException.class, () -> new Clip("t", 0, 0, 10, 0, -1, 0));
        new Clip("t", 0, 0, 10, -96, 5, 5); // fades meeting in the middle are fine
    }

    @Test
    void aTrackRefusesFaderAndPanOutOfRange() {
        var none = MixerTest.chain("[]");
        assertThrows(IllegalArgumentException.class, () -> new Track("a", "a", 6.5, 0, false, false, none, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Track("a", "a", Double.NaN, 0, false, false, none, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Track("a", "a", 0, 1.01, false, false, none, List.of()));
        assertEquals(0, new Track("a", "a", Double.NEGATIVE_INFINITY, 0, false, false, none, List.of()).faderGain());
    }

    @Test
    void anArrangementRefusesTwinTrackIdsAndOddRates() {
        var none = MixerTest.chain("[]");
        Track a = MixerTest.track("a");
        assertThrows(IllegalArgumentException.class, () -> new Arrangement(44100, List.of(a, a), none, 0));
        assertThrows(IllegalArgumentException.class, () -> new Arrangement(100, List.of(a), none, 0));
        assertThrows(IllegalArgumentException.class, () -> new Arrangement(44100, List.of(a), none, 7));
    }

    @Test
    void theSongLastsUntilTheLastClipOnAnyTrackMutedOrNot() {
        Arrangement song = MixerTest.song(MixerTest.track("a", Clip.of("x", 100, 0, 50)),
                MixerTest.track("b", 0, 0, true, false, Clip.of("y", 1000, 7, 24)));
        assertEquals(1024, song.lengthFrames());
        assertFalse(song.isHeard(song.tracks().get(1)));
        assertTrue(song.isHeard(song.tracks().get(0)));
    }

    @Test
    void overlappingClipsAreLaidOutSoTheLaterStartCoversTheEarlier() {
        Clip longOne = Clip.of("long", 0, 0, 1000);
        Clip inside = Clip.of("inside", 200, 0, 100);
        Clip tail = Clip.of("tail", 900, 0, 300);
        Clip covered = Clip.of("covered", 250, 0, 20); // starts later than `inside`, so it covers it
        List<Segment> segments = Segment.layout(List.of(tail, longOne, inside, covered));
        assertEquals(List.of(new Segment(longOne, 0, 200), new Segment(inside, 200, 250), new Segment(covered, 250, 270),
                new Segment(inside, 270, 300), new Segment(longOne, 300, 900), new Segment(tail, 900, 1200)), segments);
        assertEquals(List.of(), Segment.layout(List.of()));
        Clip gapA = Clip.of("a", 0, 0, 10);
        Clip gapB = Clip.of("b", 20, 0, 10);
        assertEquals(List.of(new Segment(gapA, 0, 10), new Segment(gapB, 20, 30)), Segment.layout(List.of(gapB, gapA)));
    }
}
