package studio.nexus.audio.arrange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * The local arranger: sung melody in, arrangement out. Pitch tracking (YIN) → notes → key (Krumhansl–Schmuckler)
 * → quantised to the tempo's sixteenth grid → one diatonic chord per bar → a General MIDI arrangement in the
 * requested {@link Style} → rendered by the JDK's software synthesizer ({@link MidiRenderer}), with the original
 * mixed in when asked. Pure (no I/O apart from an optional SoundFont file); each call is independent, so the class
 * is thread-safe.
 */
public final class Arranger {
    public static final String MODEL_VERSION = "local-arranger-1";
    public static final int PPQ = 480;
    static final int SIXTEENTH = PPQ / 4;
    static final int BEATS_PER_BAR = 4;
    static final int BAR = PPQ * BEATS_PER_BAR;
    static final int DRUM_CHANNEL = 9;

    /** A note on the grid, in MIDI ticks ({@link #PPQ} per beat). */
    public record QuantizedNote(long startTick, long lengthTicks, int midi, int velocity) {}

    /**
     * What to make. {@code programs} overrides the style's instruments per role; {@code mixOriginal} (0–1) is the
     * gain of the original voice in the result; {@code soundFont} a General MIDI .sf2 (null: the JDK's bank).
     */
    public record Options(Style style, double bpm, Map<String, Integer> programs, double mixOriginal, Path soundFont,
                          int outputRate) {
        public Options {
            if (style == null) {
                throw new IllegalArgumentException("style is required");
            }
            if (!(bpm >= 30 && bpm <= 300)) {
                throw new IllegalArgumentException("tempo must be 30–300 bpm");
            }
            if (!(mixOriginal >= 0 && mixOriginal <= 1)) {
                throw new IllegalArgumentException("mix_original must be 0–1");
            }
            programs = programs == null ? Map.of() : Map.copyOf(programs);
            programs.forEach((role, program) -> {
                if (program < 0 || program > 127) {
                    throw new IllegalArgumentException("instrument " + role + " must be a GM program 0–127");
                }
            });
            if (outputRate < 8000 || outputRate > 192000) {
                throw new IllegalArgumentException("output rate must be 8000–192000 Hz");
            }
        }

        public static Options of(Style style, double bpm) {
            return new Options(style, bpm, Map.of(), 0, null, 44100);
        }

        public int program(String role) {
            return programs.getOrDefault(role, style.programs().getOrDefault(role, 0));
        }
    }

    /**
     * Everything the arranger found and made. {@code audio} is [channel][frame] at {@code sampleRate}, brought to
     * its peak by {@code gain} (which the {@link #parts} take too when rendered alone, so they add up to it).
     */
    public record Result(List<Note> notes, List<QuantizedNote> melody, Key key, List<Harmonizer.Chord> chords,
                         Sequence sequence, byte[] midiFile, float[][] audio, int sampleRate, double confidence,
                         double gain) {}

    private Arranger() {}

    /** Transcribes only: pitch track and notes of {@code audio} ([channel][frame]). */
    public static List<Note> transcribe(float[][] audio, double sampleRate) {
        return NoteSegmenter.segment(new PitchTracker().track(mono(audio), sampleRate));
    }

    public static Result arrange(float[][] audio, double sampleRate, Options options, DoubleConsumer progress)
            throws IOException {
        float[] mono = mono(audio);
        PitchTracker.Track track = new PitchTracker().track(mono, sampleRate);
        progress.accept(0.3);
        List<Note> notes = NoteSegmenter.segment(track);
        Key key = Key.estimate(notes);
        List<QuantizedNote> melody = quantize(notes, options.bpm());
        long endTick = melody.stream().mapToLong(n -> n.startTick() + n.lengthTicks()).max().orElse(BAR);
        int bars = (int) Math.max(1, (endTick + BAR - 1) / BAR);
        List<Harmonizer.Chord> chords = Harmonizer.harmonize(melody, key, BAR, bars);
        Sequence sequence = sequence(melody, chords, bars, options);
        byte[] midi = midiFile(sequence);
        progress.accept(0.4);
        float[][] rendered = MidiRenderer.render(sequence, options.bpm(), options.outputRate(), options.soundFont(),
                fraction -> progress.accept(0.4 + 0.55 * fraction));
        if (options.mixOriginal() > 0) {
            mixIn(rendered, mono, sampleRate, options.outputRate(), options.mixOriginal());
        }
        float gain = normalize(rendered, 0.89f);
        double confidence = notes.isEmpty() ? 0 : track.meanConfidence();
        progress.accept(1.0);
        return new Result(List.copyOf(notes), melody, key, chords, sequence, midi, rendered, options.outputRate(),
                confidence, gain);
    }

    static float[] mono(float[][] audio) {
        int frames = audio[0].length;
        float[] mono = new float[frames];
        for (float[] channel : audio) {
            for (int i = 0; i < frames; i++) {
                mono[i] += channel[i] / audio.length;
            }
        }
        return mono;
    }

    private static final int TRACK_NAME = 0x03;

    /** One instrument's part of an arrangement: its role ("melody", "bass", "drums" …) and a sequence of it alone. */
    public record Part(String role, Sequence sequence) {}

    /**
     * The arrangement's parts, each a sequence of the conductor (tempo) and that part's track, in the order the
     * arrangement made them; rendered one by one (with {@link MidiRenderer#frames} of the whole sequence as their
     * common length) they add up to the whole arrangement.
     */
    public static List<Part> parts(Sequence sequence) {
        Track[] tracks = sequence.getTracks();
        List<Part> parts = new ArrayList<>();
        for (int i = 1; i < tracks.length; i++) {
            String role = roleOf(tracks[i]);
            if (role == null) {
                continue;
            }
            try {
                Sequence alone = new Sequence(sequence.getDivisionType(), sequence.getResolution());
                copy(tracks[0], alone.createTrack());
                copy(tracks[i], alone.createTrack());
                parts.add(new Part(role, alone));
            } catch (InvalidMidiDataException e) {
                throw new IllegalStateException("copied an invalid MIDI sequence", e);
            }
        }
        return parts;
    }

    private static String roleOf(Track track) {
        for (int i = 0; i < track.size(); i++) {
            if (track.get(i).getMessage() instanceof MetaMessage meta && meta.getType() == TRACK_NAME) {
                return new String(meta.getData(), java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static void copy(Track from, Track to) {
        for (int i = 0; i < from.size(); i++) {
            to.add(from.get(i));
        }
    }

    /** Onsets to the nearest sixteenth, lengths to whole sixteenths (at least one); overlaps trimmed. */
    public static List<QuantizedNote> quantize(List<Note> notes, double bpm) {
        double ticksPerSecond = bpm / 60.0 * PPQ;
        List<QuantizedNote> out = new ArrayList<>();
        for (Note note : notes) {
            long start = Math.round(note.onsetSeconds() * ticksPerSecond / SIXTEENTH) * SIXTEENTH;
            long end = Math.round(note.endSeconds() * ticksPerSecond / SIXTEENTH) * SIXTEENTH;
            long length = Math.max(SIXTEENTH, end - start);
            if (!out.isEmpty()) {
                QuantizedNote last = out.get(out.size() - 1);
                if (last.startTick() == start) {
                    continue; // two notes on one grid point: keep the first
                }
                if (last.startTick() + last.lengthTicks() > start) {
                    out.set(out.size() - 1, new QuantizedNote(last.startTick(), start - last.startTick(), last.midi(),
                            last.velocity()));
                }
            }
            int velocity = (int) Math.round(70 + 40 * Math.min(1, note.confidence()));
            out.add(new QuantizedNote(start, length, note.midi(), velocity));
        }
        return out;
    }

    /** The arrangement as a type-1 MIDI sequence: a conductor track and one track per part. */
    static Sequence sequence(List<QuantizedNote> melody, List<Harmonizer.Chord> chords, int bars, Options options) {
        try {
            Sequence sequence = new Sequence(Sequence.PPQ, PPQ);
            Track conductor = sequence.createTrack();
            int microsPerBeat = (int) Math.round(60_000_000 / options.bpm());
            conductor.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (microsPerBeat >> 16),
                    (byte) (microsPerBeat >> 8), (byte) microsPerBeat}, 3), 0));
            Style style = options.style();
            Parts parts = new Parts(sequence, options);
            switch (style) {
                case ORCHESTRAL -> {
                    Track lead = parts.part("melody", 0);
                    Track flute = parts.part("doubling", 1);
                    for (QuantizedNote note : melody) {
                        parts.note(lead, 0, note.startTick(), note.lengthTicks(), note.midi(), note.velocity());
                        parts.note(flute, 1, note.startTick(), note.lengthTicks(), note.midi() + 12, note.velocity() - 25);
                    }
                    Track clarinet = parts.part("rhythm", 2);
                    Track brass = parts.part("harmony", 3);
                    Track low = parts.part("bass", 4);
                    for (Harmonizer.Chord chord : chords) {
                        long bar = (long) chord.bar() * BAR;
                        int[] tones = voicing(chord, 55, 3);
                        for (int half = 0; half < 2; half++) {
                            for (int tone : tones) {
                                parts.note(brass, 3, bar + half * 2L * PPQ, 2L * PPQ - 20, tone, 62);
                            }
                        }
                        for (int eighth = 0; eighth < 8; eighth++) {
                            parts.note(clarinet, 2, bar + eighth * (PPQ / 2L), PPQ / 2 - 10, tones[eighth % 3] + 12, 55);
                        }
                        parts.note(low, 4, bar, BAR - 20, 36 + Math.floorMod(chord.root() - 36, 12), 70);
                    }
                }
                case ELECTRONIC -> {
                    Track lead = parts.part("melody", 0);
                    for (QuantizedNote note : melody) {
                        parts.note(lead, 0, note.startTick(), note.lengthTicks(), note.midi(), note.velocity());
                    }
                    Track pad = parts.part("harmony", 1);
                    Track bass = parts.part("bass", 2);
                    Track drums = parts.drums();
                    for (Harmonizer.Chord chord : chords) {
                        long bar = (long) chord.bar() * BAR;
                        for (int tone : voicing(chord, 57, 3)) {
                            parts.note(pad, 1, bar, BAR - 10, tone, 58);
                        }
                        int root = 36 + Math.floorMod(chord.root() - 36, 12);
                        for (int eighth = 0; eighth < 8; eighth++) {
                            parts.note(bass, 2, bar + eighth * (PPQ / 2L), PPQ / 2 - 30, root + (eighth % 4 == 3 ? 12 : 0), 90);
                            parts.note(drums, DRUM_CHANNEL, bar + eighth * (PPQ / 2L), 60, 42, eighth % 2 == 0 ? 70 : 50);
                        }
                        for (int beat = 0; beat < 4; beat++) {
                            parts.note(drums, DRUM_CHANNEL, bar + (long) beat * PPQ, 60, 36, 110);
                            if (beat % 2 == 1) {
                                parts.note(drums, DRUM_CHANNEL, bar + (long) beat * PPQ, 60, 38, 95);
                            }
                        }
                    }
                }
                case JAZZ -> {
                    Track lead = parts.part("melody", 0);
                    for (QuantizedNote note : melody) {
                        long start = swing(note.startTick());
                        parts.note(lead, 0, start, Math.max(SIXTEENTH, note.lengthTicks() - (start - note.startTick())),
                                note.midi(), note.velocity());
                    }
                    Track piano = parts.part("harmony", 1);
                    Track bass = parts.part("bass", 2);
                    Track drums = parts.drums();
                    for (int i = 0; i < chords.size(); i++) {
                        Harmonizer.Chord chord = chords.get(i);
                        long bar = (long) chord.bar() * BAR;
                        int[] tones = voicing(chord, 52, 4);
                        for (int beat : new int[] {1, 3}) {
                            for (int tone : tones) {
                                parts.note(piano, 1, bar + (long) beat * PPQ, PPQ / 2, tone, 60);
                            }
                        }
                        int root = 36 + Math.floorMod(chord.root() - 36, 12);
                        int next = i + 1 < chords.size() ? 36 + Math.floorMod(chords.get(i + 1).root() - 36, 12) : root;
                        int[] walk = {root, tones[1] - 12 >= 28 ? tones[1] - 12 : tones[1], tones[2] - 12 >= 28
                                ? tones[2] - 12 : tones[2], next > root ? next - 1 : next + 1};
                        for (int beat = 0; beat < 4; beat++) {
                            parts.note(bass, 2, bar + (long) beat * PPQ, PPQ - 30, walk[beat], 85);
                            parts.note(drums, DRUM_CHANNEL, bar + (long) beat * PPQ, 60, 51, 70);
                            if (beat % 2 == 1) {
                                parts.note(drums, DRUM_CHANNEL, bar + (long) beat * PPQ, 60, 44, 60);
                                parts.note(drums, DRUM_CHANNEL, swing(bar + (long) beat * PPQ + PPQ / 2), 60, 51, 55);
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
            return sequence;
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("built an invalid MIDI message", e);
        }
    }

    /** Off-beat eighths move to the last third of the beat (2:1 swing). */
    static long swing(long tick) {
        long inBeat = tick % PPQ;
        return inBeat == PPQ / 2 ? tick - inBeat + (2L * PPQ / 3) : tick;
    }

    /** The chord's tones (first {@code count}) in close position at or above {@code floor}. */
    static int[] voicing(Harmonizer.Chord chord, int floor, int count) {
        int[] tones = new int[count];
        int previous = floor - 1;
        for (int i = 0; i < count; i++) {
            int pc = chord.pitchClasses()[i];
            int tone = previous + 1 + Math.floorMod(pc - (previous + 1), 12);
            tones[i] = tone;
            previous = tone;
        }
        return tones;
    }

    /** Tracks with their channel's program change at tick 0. */
    private static final class Parts {
        private final Sequence sequence;
        private final Options options;
        private final Map<Integer, Boolean> programmed = new HashMap<>();

        Parts(Sequence sequence, Options options) {
            this.sequence = sequence;
            this.options = options;
        }

        Track part(String role, int channel) throws InvalidMidiDataException {
            Track track = named(role);
            if (programmed.putIfAbsent(channel, true) == null) {
                track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel, options.program(role), 0), 0));
                track.add(new MidiEvent(new ShortMessage(ShortMessage.CONTROL_CHANGE, channel, 7, 100), 0));
            }
            return track;
        }

        /** The drum kit's part (GM channel 10 needs no program). */
        Track drums() throws InvalidMidiDataException {
            return named("drums");
        }

        /** A track whose name (a meta event at tick 0) is its role, so its part can be rendered on its own. */
        private Track named(String role) throws InvalidMidiDataException {
            Track track = sequence.createTrack();
            byte[] name = role.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            track.add(new MidiEvent(new MetaMessage(TRACK_NAME, name, name.length), 0));
            return track;
        }

        void note(Track track, int channel, long start, long length, int midi, int velocity)
                throws InvalidMidiDataException {
            int pitch = Math.max(0, Math.min(127, midi));
            int vel = Math.max(1, Math.min(127, velocity));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, pitch, vel), start));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, pitch, 0), start + Math.max(1, length)));
        }
    }

    static byte[] midiFile(Sequence sequence) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MidiSystem.write(sequence, 1, out);
        return out.toByteArray();
    }

    /** Adds the original (mono, resampled linearly) at {@code gain} to every channel. */
    static void mixIn(float[][] out, float[] original, double originalRate, int rate, double gain) {
        double step = originalRate / rate;
        for (int i = 0; i < out[0].length; i++) {
            double position = i * step;
            int k = (int) position;
            if (k + 1 >= original.length) {
                break;
            }
            double frac = position - k;
            float sample = (float) (gain * (original[k] * (1 - frac) + original[k + 1] * frac));
            for (float[] channel : out) {
                channel[i] += sample;
            }
        }
    }

    /** Scales to the given sample peak (never up by more than 20 dB, so near-silence stays quiet). */
    /** Brings the peak to {@code peak} (at most ×10); answers the gain it applied. */
    static float normalize(float[][] audio, float peak) {
        float max = 0;
        for (float[] channel : audio) {
            for (float v : channel) {
                max = Math.max(max, Math.abs(v));
            }
        }
        if (max == 0) {
            return 1f;
        }
        float gain = Math.min(10f, peak / max);
        for (float[] channel : audio) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] *= gain;
            }
        }
        return gain;
    }
}
