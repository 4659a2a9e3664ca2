package studio.nexus.audio.arrange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a pitch track into notes. A note starts where voicing starts, where the (median-smoothed) pitch moves by
 * more than {@link #PITCH_JUMP} semitones from the note's own pitch and stays there, or where the energy rises
 * sharply (a re-attack of the same pitch). Notes shorter than {@link #MIN_NOTE_SECONDS} are dropped. The note's
 * pitch is the median of its frames, so vibrato averages out. Pure; thread-safe.
 */
public final class NoteSegmenter {
    static final double PITCH_JUMP = 0.7;
    static final double MIN_NOTE_SECONDS = 0.06;
    /** A re-attack: the energy dips to below this share of its peaks on both sides within {@link #VALLEY_SPAN}. */
    static final double VALLEY_DEPTH = 0.6;
    static final double VALLEY_SPAN = 0.1;

    private NoteSegmenter() {}

    public static List<Note> segment(PitchTracker.Track track) {
        PitchTracker.Frame[] frames = track.frames();
        int n = frames.length;
        double maxRms = 0;
        for (PitchTracker.Frame frame : frames) {
            maxRms = Math.max(maxRms, frame.rms());
        }
        double gate = maxRms * 0.03; // -30 dB below the loudest frame
        double[] pitch = new double[n];
        for (int i = 0; i < n; i++) {
            pitch[i] = frames[i].voiced() && frames[i].rms() >= gate ? frames[i].midi() : Double.NaN;
        }
        pitch = medianSmooth(pitch, 2);
        boolean[] valley = valleys(frames, track.hopSeconds());
        List<Note> notes = new ArrayList<>();
        int start = -1;
        List<Double> current = new ArrayList<>();
        double confidence = 0;
        for (int i = 0; i <= n; i++) {
            boolean voiced = i < n && !Double.isNaN(pitch[i]);
            boolean split = false;
            if (voiced && start >= 0) {
                double notePitch = median(current);
                boolean moved = Math.abs(pitch[i] - notePitch) > PITCH_JUMP && current.size() >= 3
                        && stays(pitch, i, notePitch);
                boolean reattack = valley[i] && (i - start) * track.hopSeconds() >= MIN_NOTE_SECONDS;
                split = moved || reattack;
            }
            if (start >= 0 && (!voiced || split)) {
                addNote(notes, frames, track.hopSeconds(), start, i, current, confidence);
                start = -1;
                current.clear();
                confidence = 0;
            }
            if (voiced && start < 0) {
                start = i;
            }
            if (voiced) {
                current.add(pitch[i]);
                confidence += frames[i].confidence();
            }
        }
        return notes;
    }

    /** Frames at the bottom of an energy dip between two louder stretches: where a repeated note starts again. */
    static boolean[] valleys(PitchTracker.Frame[] frames, double hop) {
        int n = frames.length;
        int local = Math.max(1, (int) Math.round(0.05 / hop));
        int span = Math.max(1, (int) Math.round(VALLEY_SPAN / hop));
        boolean[] valley = new boolean[n];
        for (int i = 1; i < n - 1; i++) {
            double r = frames[i].rms();
            boolean lowest = true;
            for (int k = Math.max(0, i - local); k <= Math.min(n - 1, i + local) && lowest; k++) {
                lowest = frames[k].rms() > r || (frames[k].rms() == r && k >= i);
            }
            if (!lowest) {
                continue;
            }
            double before = 0;
            double after = 0;
            for (int k = Math.max(0, i - span); k < i; k++) {
                before = Math.max(before, frames[k].rms());
            }
            for (int k = i + 1; k <= Math.min(n - 1, i + span); k++) {
                after = Math.max(after, frames[k].rms());
            }
            valley[i] = r < VALLEY_DEPTH * before && r < VALLEY_DEPTH * after;
        }
        return valley;
    }

    /** True when the next few frames stay away from {@code notePitch} too (not a glitch). */
    private static boolean stays(double[] pitch, int i, double notePitch) {
        int agree = 0;
        int seen = 0;
        for (int k = i; k < Math.min(pitch.length, i + 4); k++) {
            if (!Double.isNaN(pitch[k])) {
                seen++;
                if (Math.abs(pitch[k] - notePitch) > PITCH_JUMP) {
                    agree++;
                }
            }
        }
        return seen > 0 && agree == seen;
    }

    private static void addNote(List<Note> notes, PitchTracker.Frame[] frames, double hop, int start, int end,
                                List<Double> pitches, double confidenceSum) {
        double onset = frames[start].seconds() - hop / 2;
        double duration = (end - start) * hop;
        if (duration < MIN_NOTE_SECONDS) {
            return;
        }
        int midi = (int) Math.round(median(pitches));
        if (midi < 0 || midi > 127) {
            return;
        }
        notes.add(new Note(Math.max(0, onset), duration, midi, confidenceSum / pitches.size()));
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    static double[] medianSmooth(double[] x, int radius) {
        double[] y = new double[x.length];
        double[] window = new double[2 * radius + 1];
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i])) {
                y[i] = Double.NaN;
                continue;
            }
            int m = 0;
            for (int k = Math.max(0, i - radius); k <= Math.min(x.length - 1, i + radius); k++) {
                if (!Double.isNaN(x[k])) {
                    window[m++] = x[k];
                }
            }
            double[] part = Arrays.copyOf(window, m);
            Arrays.sort(part);
            y[i] = part[m / 2];
        }
        return y;
    }
}
