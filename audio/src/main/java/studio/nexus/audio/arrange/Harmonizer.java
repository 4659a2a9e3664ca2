package studio.nexus.audio.arrange;

import java.util.ArrayList;
import java.util.List;

/**
 * One diatonic triad per bar: the chord (of the key's degrees I–vi, plus vii° in minor keys' relative terms left
 * out) whose tones cover most of the bar's melody, weighted by how long each note sounds in the bar; roots count
 * more, and the primary chords (I, IV, V) win ties. A bar with no melody keeps the previous chord. Pure.
 */
public final class Harmonizer {
    /** A chord: the bar it fills, its scale degree (0 = I) and pitch classes (root, third, fifth, seventh). */
    public record Chord(int bar, int degree, int[] pitchClasses) {
        public int root() {
            return pitchClasses[0];
        }
    }

    private Harmonizer() {}

    public static List<Chord> harmonize(List<Arranger.QuantizedNote> melody, Key key, int barTicks, int bars) {
        int[] scale = key.scale();
        List<Chord> chords = new ArrayList<>();
        Chord previous = chord(0, scale, 0);
        for (int bar = 0; bar < bars; bar++) {
            long barStart = (long) bar * barTicks;
            long barEnd = barStart + barTicks;
            double bestScore = 0;
            Chord best = null;
            for (int degree = 0; degree < 7; degree++) {
                if (isDiminished(degree, key.major())) {
                    continue;
                }
                Chord candidate = chord(bar, scale, degree);
                double score = 0;
                for (Arranger.QuantizedNote note : melody) {
                    long overlap = Math.min(barEnd, note.startTick() + note.lengthTicks()) - Math.max(barStart, note.startTick());
                    if (overlap <= 0) {
                        continue;
                    }
                    int pc = Math.floorMod(note.midi(), 12);
                    if (pc == candidate.root()) {
                        score += 1.5 * overlap;
                    } else if (pc == candidate.pitchClasses()[1] || pc == candidate.pitchClasses()[2]) {
                        score += overlap;
                    } else {
                        score -= 0.5 * overlap;
                    }
                }
                if (degree == 0 || degree == 3 || degree == 4) {
                    score += 0.05 * barTicks;
                }
                if (best == null || score > bestScore) {
                    best = candidate;
                    bestScore = score;
                }
            }
            boolean empty = melody.stream().noneMatch(n -> n.startTick() < barEnd && n.startTick() + n.lengthTicks() > barStart);
            Chord chosen = empty ? new Chord(bar, previous.degree(), previous.pitchClasses()) : best;
            chords.add(chosen);
            previous = chosen;
        }
        return chords;
    }

    private static boolean isDiminished(int degree, boolean major) {
        return major ? degree == 6 : degree == 1;
    }

    /** The seventh chord built on {@code degree} from the scale (stacked thirds). */
    static Chord chord(int bar, int[] scale, int degree) {
        return new Chord(bar, degree, new int[] {scale[degree], scale[(degree + 2) % 7], scale[(degree + 4) % 7],
                scale[(degree + 6) % 7]});
    }
}
