package studio.nexus.audio.effects;

import java.util.List;
import java.util.function.Consumer;
import studio.nexus.audio.SampleGuard;

/**
 * {@code parallel}: runs each sub-chain on its own copy of the input and sums them, weighted by
 * {@code mix[i]} (linear, default 1.0). Branches with less latency are delayed to match the slowest
 * one, so a look-ahead limiter in one branch does not smear the sum. Reports the largest branch latency.
 */
final class ParallelEffect implements Effect {
    private final Chain[] branches;
    private final double[] mix;
    private float[][][] scratch; // [branch][channel][frame]
    private float[][][] alignLines; // [branch][channel][delay], null where no delay is needed
    private int[] alignIndex;
    private int channels;

    ParallelEffect(List<Chain> branches, List<Double> mix) {
        this.branches = branches.toArray(new Chain[0]);
        this.mix = new double[this.branches.length];
        for (int i = 0; i < this.mix.length; i++) {
            this.mix[i] = i < mix.size() ? mix.get(i) : 1.0;
        }
    }

    @Override
    public void prepare(Spec spec) {
        channels = spec.channels();
        scratch = new float[branches.length][channels][spec.maxBlock()];
        for (Chain b : branches) {
            b.prepare(spec);
        }
        int latency = latencyFrames();
        alignLines = new float[branches.length][][];
        alignIndex = new int[branches.length];
        for (int b = 0; b < branches.length; b++) {
            int pad = latency - branches[b].latencyFrames();
            alignLines[b] = pad > 0 ? new float[channels][pad] : null;
        }
    }

    @Override
    public void process(float[][] ch, int offset, int frames) {
        if (frames <= 0) {
            return;
        }
        for (int b = 0; b < branches.length; b++) {
            float[][] buf = scratch[b];
            for (int c = 0; c < channels; c++) {
                System.arraycopy(ch[c], offset, buf[c], 0, frames);
            }
            branches[b].process(buf, 0, frames);
            float[][] lines = alignLines[b];
            if (lines != null) {
                int start = alignIndex[b];
                for (int c = 0; c < channels; c++) {
                    float[] line = lines[c];
                    float[] x = buf[c];
                    int k = start;
                    for (int i = 0; i < frames; i++) {
                        float t = line[k];
                        line[k] = x[i];
                        x[i] = t;
                        if (++k == line.length) {
                            k = 0;
                        }
                    }
                }
                alignIndex[b] = (int) ((start + (long) frames) % lines[0].length);
            }
        }
        for (int c = 0; c < channels; c++) {
            float[] out = ch[c];
            for (int i = 0; i < frames; i++) {
                double sum = 0;
                for (int b = 0; b < branches.length; b++) {
                    sum += scratch[b][c][i] * mix[b];
                }
                out[offset + i] = (float) sum;
            }
        }
        SampleGuard.sanitize(ch, channels, offset, frames);
    }

    @Override
    public void reset() {
        if (alignIndex == null) {
            return; // not prepared yet: nothing to clear
        }
        for (int b = 0; b < branches.length; b++) {
            branches[b].reset();
            alignIndex[b] = 0;
            if (alignLines[b] != null) {
                for (float[] l : alignLines[b]) {
                    java.util.Arrays.fill(l, 0f);
                }
            }
        }
    }

    @Override
    public int latencyFrames() {
        int max = 0;
        for (Chain b : branches) {
            max = Math.max(max, b.latencyFrames());
        }
        return max;
    }

    @Override
    public void setStreamTiming(long contentFrames, long contentStart) {
        for (Chain b : branches) {
            b.setStreamTiming(contentFrames, contentStart);
        }
    }

    @Override
    public void visit(Consumer<Effect> visitor) {
        visitor.accept(this);
        for (Chain b : branches) {
            b.visit(visitor);
        }
    }
}
