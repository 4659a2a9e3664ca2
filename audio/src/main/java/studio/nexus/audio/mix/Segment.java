package studio.nexus.audio.mix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/** A stretch of the timeline where one clip of a track is heard: {@code [from, to)} of {@code clip}. */
record Segment(Clip clip, long from, long to) {

    /**
     * What is heard of a track's clips, in timeline order and without overlaps: a clip that starts later covers
     * the earlier ones while it lasts (equal starts: the one listed later covers). Sweeps the clips' edges once.
     */
    static List<Segment> layout(List<Clip> clips) {
        int n = clips.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // priority: later start wins, then later in the list
        Comparator<Integer> priority = Comparator.<Integer>comparingLong(i -> clips.get(i).startFrame())
                .thenComparingInt(i -> i);
        java.util.Arrays.sort(order, priority);
        TreeSet<Integer> playing = new TreeSet<>(priority);
        PriorityQueue<Integer> byEnd = new PriorityQueue<>(Comparator.comparingLong(i -> clips.get(i).endFrame()));
        List<Segment> out = new ArrayList<>();
        int next = 0;
        long at = n == 0 ? 0 : clips.get(order[0]).startFrame();
        while (next < n || !playing.isEmpty()) {
            // the next edge: a clip starting or a playing clip ending
            long edge = Long.MAX_VALUE;
            if (next < n) {
                edge = clips.get(order[next]).startFrame();
            }
            if (!byEnd.isEmpty()) {
                edge = Math.min(edge, clips.get(byEnd.peek()).endFrame());
            }
            if (!playing.isEmpty() && edge > at) {
                Clip top = clips.get(playing.last());
                Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && last.clip == top && last.to == at) {
                    out.set(out.size() - 1, new Segment(top, last.from, edge));
                } else {
                    out.add(new Segment(top, at, edge));
                }
            }
            at = edge;
            while (!byEnd.isEmpty() && clips.get(byEnd.peek()).endFrame() == at) {
                playing.remove(byEnd.poll());
            }
            while (next < n && clips.get(order[next]).startFrame() == at) {
                playing.add(order[next]);
                byEnd.add(order[next]);
                next++;
            }
        }
        return out;
    }
}
