package studio.nexus.audio.arrange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic "sung" melody with known notes: each note a harmonic tone whose partials are shaped by two vowel
 * formants (an "ah": 700 Hz and 1200 Hz), 5.5 Hz vibrato of ±30 cents, 25 ms attack and 40 ms release, breath
 * noise, and a short scoop into each note. For tests and benchmarks.
 */
public final class SungMelody {
    public record Truth(double onsetSeconds, double durationSeconds, int midi) {}

    private SungMelody() {}

    /** Notes as (midi, sixteenths) pairs at {@code bpm}, sung one after the other from 0.25 s. */
    public static List<Truth> score(double bpm, int[][] notes) {
        double sixteenth = 60.0 / bpm / 4;
        List<Truth> truth = new ArrayList<>();
        double t = 0.25 * 0 + sixteenth * 2;
        for (int[] note : notes) {
            truth.add(new Truth(t, note[1] * sixteenth, note[0]));
            t += note[1] * sixteenth;
        }
        return truth;
    }

    public static float[] sing(List<Truth> notes, double rate, long seed) {
        Truth last = notes.get(notes.size() - 1);
        int frames = (int) ((last.onsetSeconds() + last.durationSeconds() + 0.5) * rate);
        float[] x = new float[frames];
        Random random = new Random(seed);
        double phase = 0;
        for (Truth note : notes) {
            int start = (int) (note.onsetSeconds() * rate);
            int length = (int) (note.durationSeconds() * rate);
            double f0 = 440 * Math.pow(2, (note.midi() - 69) / 12.0);
            double vibratoPhase = random.nextDouble() * 2 * Math.PI;
            for (int i = 0; i < length && start + i < frames; i++) {
                double t = i / rate;
                double scoop = -0.4 * Math.exp(-t / 0.03);                  // semitones, slides up into the note
                double cents = 30 * Math.sin(2 * Math.PI * 5.5 * t + vibratoPhase) * Math.min(1, t / 0.15);
                double f = f0 * Math.pow(2, (scoop + cents / 100) / 12);
                phase += 2 * Math.PI * f / rate;
                double envelope = Math.min(1, t / 0.025) * Math.min(1, (note.durationSeconds() - t) / 0.04);
                double sample = 0;
                for (int h = 1; h * f < rate / 2 && h <= 30; h++) {
                    double hz = h * f;
                    double formants = 1.0 / (1 + Math.pow((hz - 700) / 130, 2)) + 0.6 / (1 + Math.pow((hz - 1200) / 150, 2))
                            + 0.05;
                    sample += formants / h * Math.sin(h * phase);
                }
                x[start + i] += (float) (0.3 * envelope * sample + 0.004 * random.nextGaussian());
            }
        }
        return x;
    }
}
