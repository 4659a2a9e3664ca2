package studio.nexus.audio.arrange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArrangerTest {
    static final double BPM = 120;
    static final double RATE = 44100;
    // "Twinkle"-like line in C major with repeated notes, leaps and several lengths (midi, sixteenths)
    static final int[][] MELODY = {
            {60, 4}, {60, 4}, {67, 4}, {67, 4}, {69, 2}, {71, 2}, {72, 2}, {69, 2}, {67, 8},
            {65, 4}, {65, 4}, {64, 3}, {62, 1}, {64, 4}, {62, 4}, {60, 8}};

    static List<SungMelody.Truth> truth() {
        return SungMelody.score(BPM, MELODY);
    }

    @Test
    void transcribesAtLeastNinetyPercentOfASungMelodysPitchesAndOnsets() {
        List<SungMelody.Truth> truth = truth();
        float[] voice = SungMelody.sing(truth, RATE, 7);
        List<Note> notes = Arranger.transcribe(new float[][] {voice}, RATE);
        double sixteenth = 60 / BPM / 4;
        int matched = 0;
        Set<Note> used = new HashSet<>();
        for (SungMelody.Truth expected : truth) {
            for (Note note : notes) {
                if (!used.contains(note) && note.midi() == expected.midi()
                        && Math.abs(note.onsetSeconds() - expected.onsetSeconds()) <= Math.max(0.05, sixteenth)) {
                    used.add(note);
                    matched++;
                    break;
                }
            }
        }
        assertTrue(matched >= Math.ceil(0.9 * truth.size()), matched + " of " + truth.size() + "; notes found: " + notes);
        assertTrue(notes.size() <= truth.size() + 2, "spurious notes: " + notes);
        long within50ms = truth.stream().filter(t -> notes.stream().anyMatch(n -> n.midi() == t.midi()
                && Math.abs(n.onsetSeconds() - t.onsetSeconds()) <= 0.05)).count();
        assertTrue(within50ms >= Math.ceil(0.9 * truth.size()), within50ms + " within 50 ms: " + notes);
    }

    @Test
    void quantisedMelodyLandsOnTheSixteenthGridOfTheScore() {
        List<SungMelody.Truth> truth = truth();
        List<Note> notes = Arranger.transcribe(new float[][] {SungMelody.sing(truth, RATE, 11)}, RATE);
        List<Arranger.QuantizedNote> grid = Arranger.quantize(notes, BPM);
        long exact = truth.stream().filter(t -> grid.stream().anyMatch(q -> q.midi() == t.midi()
                && q.startTick() == Math.round(t.onsetSeconds() * BPM / 60 * Arranger.PPQ))).count();
        assertTrue(exact >= Math.ceil(0.9 * truth.size()), exact + " on the grid: " + grid);
    }

    @Test
    void estimatesTheKeyOfTheMelody() {
        List<Note> notes = Arranger.transcribe(new float[][] {SungMelody.sing(truth(), RATE, 3)}, RATE);
        Key key = Key.estimate(notes);
        assertTrue(Set.of("C major", "A minor").contains(key.name()), key.name());
        assertEquals("A minor", Key.estimate(List.of(new Note(0, 1, 57, 1), new Note(1, 1, 60, 1), new Note(2, 1, 64, 1),
                new Note(3, 2, 57, 1), new Note(5, 1, 59, 1), new Note(6, 1, 62, 1), new Note(7, 1, 56, 1))).name());
    }

    @Test
    void pitchTrackerFindsSteadyTonesWithinFiveCents() {
        for (double hz : new double[] {98, 196, 261.63, 440, 880}) {
            float[] x = new float[(int) RATE];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / RATE) + 0.25 * Math.sin(4 * Math.PI * hz * i / RATE));
            }
            PitchTracker.Track track = new PitchTracker().track(x, RATE);
            double expected = 69 + 12 * Math.log(hz / 440) / Math.log(2);
            PitchTracker.Frame middle = track.frames()[track.frames().length / 2];
            assertEquals(expected, middle.midi(), 0.05, hz + " Hz");
            assertTrue(track.meanConfidence() > 0.9);
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void arrangesInTheRequestedStyleAsAudibleMusicWithItsInstruments(Style style) throws Exception {
        float[] voice = SungMelody.sing(truth(), RATE, 5);
        Arranger.Result result = Arranger.arrange(new float[][] {voice}, RATE, Arranger.Options.of(style, BPM), p -> { });
        assertTrue(rms(result.audio()[0]) > 0.02, "RMS " + rms(result.audio()[0]));
        assertTrue(result.audio()[0].length / (double) result.sampleRate() > 8);
        assertTrue(result.confidence() > 0.5 && result.confidence() <= 1, "confidence " + result.confidence());
        Sequence midi = MidiSystem.getSequence(new ByteArrayInputStream(result.midiFile()));
        Set<Integer> programs = new HashSet<>();
        boolean drums = false;
        for (Track track : midi.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                if (track.get(i).getMessage() instanceof ShortMessage m) {
                    if (m.getCommand() == ShortMessage.PROGRAM_CHANGE) {
                        programs.add(m.getData1());
                    }
                    if (m.getCommand() == ShortMessage.NOTE_ON && m.getChannel() == 9) {
                        drums = true;
                    }
                }
            }
        }
        Set<Integer> expected = switch (style) {
            case ORCHESTRAL -> Set.of(48, 61, 73, 71);
            case ELECTRONIC -> Set.of(81, 89, 38);
            case JAZZ -> Set.of(0, 66, 32);
        };
        assertTrue(programs.containsAll(expected), "programs " + programs);
        assertEquals(style.drums(), drums);
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void eachInstrumentIsAPartOfItsOwnAndThePartsAddUpToTheWholeArrangement(Style style) throws Exception {
        float[] voice = SungMelody.sing(truth(), RATE, 5);
        Arranger.Result result = Arranger.arrange(new float[][] {voice}, RATE, Arranger.Options.of(style, BPM), p -> { });
        List<Arranger.Part> parts = Arranger.parts(result.sequence());
        List<String> roles = parts.stream().map(Arranger.Part::role).toList();
        assertEquals(switch (style) {
            case ORCHESTRAL -> List.of("melody", "doubling", "rhythm", "harmony", "bass");
            case ELECTRONIC, JAZZ -> List.of("melody", "harmony", "bass", "drums");
        }, roles);
        int rate = 22050;
        long frames = MidiRenderer.frames(result.sequence(), BPM, rate);
        float[][] whole = MidiRenderer.render(result.sequence(), BPM, rate, null, p -> { });
        float[][] sum = new float[2][(int) frames];
        for (Arranger.Part part : parts) {
            studio.nexus.audio.ArrayAudioSink sink = new studio.nexus.audio.ArrayAudioSink(2);
            MidiRenderer.render(part.sequence(), BPM, rate, null, frames, sink, p -> { });
            float[][] alone = sink.samples();
            assertEquals(frames, alone[0].length, part.role() + " lasts as long as the whole");
            assertTrue(rms(alone[0]) + rms(alone[1]) > 0.002, part.role() + " is heard");
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < frames; i++) {
                    sum[c][i] += alone[c][i];
                }
            }
        }
        assertEquals(whole[0].length, sum[0].length);
        double correlation = correlation(whole[0], sum[0]);
        assertTrue(correlation > 0.95, "parts summed vs whole: correlation " + correlation);
    }

    private static double correlation(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * (double) b[i];
            aa += a[i] * (double) a[i];
            bb += b[i] * (double) b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void honoursInstrumentOverridesAndMixesTheOriginalIn() throws Exception {
        float[] voice = SungMelody.sing(truth(), RATE, 5);
        var options = new Arranger.Options(Style.ELECTRONIC, 100, java.util.Map.of("melody", 40), 1.0, null, 22050);
        Arranger.Result result = Arranger.arrange(new float[][] {voice}, RATE, options, p -> { });
        assertEquals(22050, result.sampleRate());
        Sequence midi = MidiSystem.getSequence(new ByteArrayInputStream(result.midiFile()));
        boolean violin = false;
        for (Track track : midi.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                if (track.get(i).getMessage() instanceof ShortMessage m && m.getCommand() == ShortMessage.PROGRAM_CHANGE
                        && m.getData1() == 40) {
                    violin = true;
                }
            }
        }
        assertTrue(violin);
        assertTrue(rms(result.audio()[1]) > 0.02);
    }

    static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        return Math.sqrt(sum / x.length);
    }
}
