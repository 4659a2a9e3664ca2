package studio.nexus.audio.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import studio.nexus.audio.arrange.Arranger;
import studio.nexus.audio.arrange.MidiRenderer;
import studio.nexus.audio.arrange.Style;
import studio.nexus.audio.arrange.SungMelody;

/**
 * Not a test: the local arranger on a 60-second synthetic vocal (44.1 kHz mono), per style, reporting the
 * realtime factor from the thread's CPU time (audio seconds / CPU seconds). Run with bench/arranger.sh.
 */
public final class ArrangerBenchmark {
    public static void main(String[] args) throws Exception {
        double rate = 44100;
        int[] line = {60, 62, 64, 65, 67, 69, 67, 65, 64, 62, 60, 64, 67, 72, 71, 69};
        List<int[]> notes = new ArrayList<>();
        int sixteenths = 0;
        for (int i = 0; sixteenths < 480 - 2; i++) {          // 480 sixteenths at 120 bpm = 60 s
            int length = Math.min(i % 4 == 3 ? 4 : 2, 478 - sixteenths);
            notes.add(new int[] {line[i % line.length], length});
            sixteenths += length;
        }
        var truth = SungMelody.score(120, notes.toArray(new int[0][]));
        float[] voice = SungMelody.sing(truth, rate, 1);
        double seconds = voice.length / rate;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("input: %.1f s sung melody, %d notes; soundfont: %s%n", seconds, truth.size(),
                MidiRenderer.defaultSoundFont() == null ? "JDK bank" : MidiRenderer.defaultSoundFont());
        Arranger.arrange(new float[][] {voice}, rate, Arranger.Options.of(Style.JAZZ, 120), p -> { }); // warm-up
        for (Style style : Style.values()) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long transcribe0 = threads.getCurrentThreadCpuTime();
            int found = Arranger.transcribe(new float[][] {voice}, rate).size();
            double transcribeCpu = (threads.getCurrentThreadCpuTime() - transcribe0) / 1e9;
            cpu0 = threads.getCurrentThreadCpuTime();
            wall0 = System.nanoTime();
            var options = new Arranger.Options(style, 120, java.util.Map.of(), 0, MidiRenderer.defaultSoundFont(), 44100);
            var result = Arranger.arrange(new float[][] {voice}, rate, options, p -> { });
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double wall = (System.nanoTime() - wall0) / 1e9;
            System.out.printf("%-10s notes %3d | transcribe %.2f s CPU | whole arrangement %.2f s CPU, %.2f s wall"
                            + " | realtime factor %.1fx (thread CPU) / %.1fx (wall)%n",
                    style.id(), found, transcribeCpu, cpu, wall, seconds / cpu, seconds / wall);
            if (result.audio()[0].length == 0) {
                throw new AssertionError("no audio");
            }
        }
    }
}
