package studio.nexus.audio.arrange;

import java.util.List;

/**
 * A musical key (tonic pitch class 0–11, major or minor), estimated with the Krumhansl–Schmuckler algorithm:
 * the duration-weighted pitch-class histogram of the notes is correlated with the Krumhansl–Kessler probe-tone
 * profiles rotated to each of the 24 keys; the best correlation wins. Immutable.
 */
public record Key(int tonic, boolean major, double correlation) {
    private static final double[] MAJOR = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    private static final double[] MINOR = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
    private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    private static final int[] MAJOR_SCALE = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR_SCALE = {0, 2, 3, 5, 7, 8, 10};

    public static Key estimate(List<Note> notes) {
        double[] histogram = new double[12];
        for (Note note : notes) {
            histogram[Math.floorMod(note.midi(), 12)] += note.durationSeconds();
        }
        Key best = new Key(0, true, -2);
        for (int tonic = 0; tonic < 12; tonic++) {
            for (boolean major : new boolean[] {true, false}) {
                double r = correlation(histogram, major ? MAJOR : MINOR, tonic);
                if (r > best.correlation()) {
                    best = new Key(tonic, major, r);
                }
            }
        }
        return best;
    }

    private static double correlation(double[] histogram, double[] profile, int tonic) {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < 12; i++) {
            meanX += histogram[i] / 12;
            meanY += profile[i] / 12;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < 12; i++) {
            double x = histogram[(i + tonic) % 12] - meanX;
            double y = profile[i] - meanY;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        return sxx == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Pitch classes of the key's seven degrees, tonic first. */
    public int[] scale() {
        int[] steps = major ? MAJOR_SCALE : MINOR_SCALE;
        int[] scale = new int[7];
        for (int i = 0; i < 7; i++) {
            scale[i] = (tonic + steps[i]) % 12;
        }
        return scale;
    }

    public String name() {
        return NAMES[tonic] + (major ? " major" : " minor");
    }
}
