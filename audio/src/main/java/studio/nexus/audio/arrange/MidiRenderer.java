package studio.nexus.audio.arrange;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import studio.nexus.audio.ArrayAudioSink;
import studio.nexus.audio.AudioSink;

/**
 * Renders a MIDI sequence offline (faster than real time, no sound card) with the JDK's Gervill software
 * synthesizer: {@code AudioSynthesizer.openStream(format, info)} gives an {@link AudioInputStream} that advances
 * as it is read, and timed messages sent before reading are played at their time. That interface lives in
 * {@code com.sun.media.sound}, which the JVM must export ({@code --add-exports
 * java.desktop/com.sun.media.sound=ALL-UNNAMED}; the server jar's manifest says {@code Add-Exports}).
 * A General MIDI SoundFont is loaded when given (e.g. Debian's {@code timgm6mb-soundfont}), else the JDK's bank.
 * Each call uses its own synthesizer instance: thread-safe.
 */
public final class MidiRenderer {
    /** Where Debian's timgm6mb-soundfont package puts its General MIDI bank. */
    public static final Path DEBIAN_SOUNDFONT = Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2");
    static final double TAIL_SECONDS = 2.0;

    private MidiRenderer() {}

    /** The sound font to use by default: Debian's GM bank when installed, else none (the JDK's bank). */
    public static Path defaultSoundFont() {
        return Files.isReadable(DEBIAN_SOUNDFONT) ? DEBIAN_SOUNDFONT : null;
    }

    public static float[][] render(Sequence sequence, double bpm, int rate, Path soundFont, DoubleConsumer progress)
            throws IOException {
        long frames = frames(sequence, bpm, rate);
        if (frames > Integer.MAX_VALUE / 4) {
            throw new IOException("arrangement too long to render");
        }
        ArrayAudioSink sink = new ArrayAudioSink(2);
        render(sequence, bpm, rate, soundFont, frames, sink, progress);
        return sink.samples();
    }

    /** How long {@code sequence} renders: to its last tick at {@code bpm}, plus a tail for releases and reverb. */
    public static long frames(Sequence sequence, double bpm, int rate) {
        double microsPerTick = 60_000_000.0 / bpm / sequence.getResolution();
        return (long) Math.ceil((sequence.getTickLength() * microsPerTick / 1e6 + TAIL_SECONDS) * rate);
    }

    /**
     * Renders {@code sequence} as stereo into {@code sink}, exactly {@code frames} long (so the parts of one
     * arrangement rendered one by one line up and end together), streaming in blocks: memory stays small whatever
     * the length. The sink is not closed.
     */
    public static void render(Sequence sequence, double bpm, int rate, Path soundFont, long frames, AudioSink sink,
                              DoubleConsumer progress) throws IOException {
        Synthesizer synth;
        try {
            synth = MidiSystem.getSynthesizer();
        } catch (MidiUnavailableException e) {
            throw new IOException("no software synthesizer: " + e.getMessage(), e);
        }
        AudioFormat format = new AudioFormat(rate, 16, 2, true, false);
        AudioInputStream stream = openStream(synth, format);
        try {
            if (soundFont != null) {
                try {
                    Soundbank bank = MidiSystem.getSoundbank(soundFont.toFile());
                    synth.unloadAllInstruments(synth.getDefaultSoundbank());
                    synth.loadAllInstruments(bank);
                } catch (InvalidMidiDataException e) {
                    throw new IOException("not a SoundFont: " + soundFont, e);
                }
            }
            Receiver receiver = synth.getReceiver();
            double microsPerTick = 60_000_000.0 / bpm / sequence.getResolution();
            List<MidiEvent> events = new ArrayList<>();
            for (Track track : sequence.getTracks()) {
                for (int i = 0; i < track.size(); i++) {
                    MidiEvent event = track.get(i);
                    if (event.getMessage() instanceof ShortMessage) {
                        events.add(event);
                    }
                }
            }
            // program changes before notes at the same tick
            events.sort(Comparator.comparingLong(MidiEvent::getTick)
                    .thenComparing(e -> ((ShortMessage) e.getMessage()).getCommand() == ShortMessage.PROGRAM_CHANGE ? 0 : 1));
            for (MidiEvent event : events) {
                MidiMessage message = event.getMessage();
                receiver.send(message, Math.round(event.getTick() * microsPerTick));
            }
            int block = 4096;
            byte[] buffer = new byte[block * 4];
            float[][] out = new float[2][block];
            long done = 0;
            long blocks = 0;
            while (done < frames) {
                int want = (int) Math.min(block, frames - done);
                int read = stream.readNBytes(buffer, 0, want * 4);
                int got = Math.max(0, read / 4);
                for (int i = 0; i < got; i++) {
                    int b = i * 4;
                    out[0][i] = (short) ((buffer[b] & 0xff) | (buffer[b + 1] << 8)) / 32768f;
                    out[1][i] = (short) ((buffer[b + 2] & 0xff) | (buffer[b + 3] << 8)) / 32768f;
                }
                if (got < want) { // the synthesizer stopped early: the rest is silence, the length stays exact
                    java.util.Arrays.fill(out[0], got, want, 0f);
                    java.util.Arrays.fill(out[1], got, want, 0f);
                }
                sink.write(out, want);
                done += want;
                if (++blocks % 32 == 0) {
                    progress.accept((double) done / frames);
                }
            }
        } catch (MidiUnavailableException e) {
            throw new IOException("synthesizer unavailable: " + e.getMessage(), e);
        } finally {
            stream.close();
            synth.close();
        }
    }

    private static AudioInputStream openStream(Synthesizer synth, AudioFormat format) throws IOException {
        try {
            Class<?> audioSynthesizer = Class.forName("com.sun.media.sound.AudioSynthesizer");
            if (!audioSynthesizer.isInstance(synth)) {
                throw new IOException("the default synthesizer " + synth.getClass().getName()
                        + " cannot render offline");
            }
            Method open = audioSynthesizer.getMethod("openStream", AudioFormat.class, Map.class);
            return (AudioInputStream) open.invoke(synth, format, null);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IOException("this JDK has no offline software synthesizer", e);
        } catch (IllegalAccessException e) {
            throw new IOException("run the JVM with --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED "
                    + "to render MIDI offline", e);
        } catch (InvocationTargetException e) {
            throw new IOException("cannot open the synthesizer: " + e.getCause(), e.getCause());
        }
    }
}
