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
            long lastTick = sequence.getTickLength();
            long frames = (long) Math.ceil((lastTick * microsPerTick / 1e6 + TAIL_SECONDS) * rate);
            if (frames > Integer.MAX_VALUE / 4) {
                throw new IOException("arrangement too long to render");
            }
            float[][] out = new float[2][(int) frames];
            byte[] buffer = new byte[4096 * 4];
            int done = 0;
            while (done < frames) {
                int want = (int) Math.min(buffer.length / 4, frames - done);
                int read = stream.readNBytes(buffer, 0, want * 4);
                if (read <= 0) {
                    break;
                }
                int got = read / 4;
                for (int i = 0; i < got; i++) {
                    int b = i * 4;
                    out[0][done + i] = (short) ((buffer[b] & 0xff) | (buffer[b + 1] << 8)) / 32768f;
                    out[1][done + i] = (short) ((buffer[b + 2] & 0xff) | (buffer[b + 3] << 8)) / 32768f;
                }
                done += got;
                if ((done / (buffer.length / 4)) % 32 == 0) {
                    progress.accept((double) done / frames);
                }
            }
            return out;
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
