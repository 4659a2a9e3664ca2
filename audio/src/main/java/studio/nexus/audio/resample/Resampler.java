package studio.nexus.audio.resample;

import java.util.Arrays;

/**
 * Streaming sample-rate conversion of any number of channels: band-limited interpolation with a Kaiser-windowed
 * sinc ({@link Kernel}: pass band to 0.91 of the lower Nyquist frequency, 120 dB stop band from the lower Nyquist
 * frequency on, so downsampling does not alias and upsampling leaves no images).
 *
 * <p>Timing is exact and free of delay. Output frame {@code j} is the input's value at the instant
 * {@code j·in/out} (input frames), kept as a whole part and a remainder in integers, so the phase never drifts
 * however long the stream; a click at input frame n comes out at output frame n·out/in. The filter looks
 * {@code half} frames ahead and behind of that instant; before input frame 0 and after the last one the input
 * counts as silence. A stream of {@code n} input frames gives exactly {@link #outputLength round(n·out/in)} output
 * frames.
 *
 * <p>A stream may start at any output frame ({@code firstOutputFrame}): it then wants input from
 * {@link #nextInputFrame()} on and gives the very samples a stream started at 0 would have given from that frame
 * (the output depends only on the input around its instant, not on where the stream began).
 *
 * <p>Push input with {@link #write} (as much as {@link #inputRoom()} says), pull output with {@link #read}: it gives
 * what the input so far allows and 0 when it needs more; after {@link #endOfInput()} it gives the rest, then −1.
 * Everything is allocated in the constructor; {@code write}, {@code read} and {@code skip} allocate nothing, and
 * the memory is the filter's table (shared between resamplers of the same rates) plus {@code taps + }{@value #CHUNK}
 * frames per channel, whatever the stream's length. Rates are taken to the millihertz. Not thread-safe.
 */
public final class Resampler {
    public static final double MIN_RATE = 8000;
    public static final double MAX_RATE = 384_000;
    public static final int MAX_CHANNELS = 64;
    /** Input frames the history holds beyond the filter's length: the most one {@link #write} takes. */
    public static final int CHUNK = 2048;

    private final double inputRate;
    private final double outputRate;
    private final int channels;
    private final Kernel kernel;
    private final int taps;
    private final int half;
    /** in/out = num/den, reduced. */
    private final long num;
    private final long den;
    private final long stepWhole;
    private final long stepRemainder;
    private final double rowsPerRemainder;
    private final float[][] history;
    private final float[] blended;

    /** Input frame of {@code history[c][0]}; the history holds {@code [historyStart, historyStart + historyLength)}. */
    private long historyStart;
    private int historyLength;
    /** The input frame the next {@link #write} delivers; below {@code historyStart} those frames are dropped. */
    private long nextInput;
    /** The next output frame, and its instant in input frames: {@code inWhole + inRemainder / den}. */
    private long outFrame;
    private long inWhole;
    private long inRemainder;
    private boolean inputEnded;
    private long outputEnd = Long.MAX_VALUE;

    /** A stream from output frame 0. */
    public Resampler(double inputRate, double outputRate, int channels) {
        this(inputRate, outputRate, channels, 0);
    }

    /**
     * A stream whose first output is frame {@code firstOutputFrame} of the converted input; feed it input from frame
     * {@link #nextInputFrame()} on.
     */
    public Resampler(double inputRate, double outputRate, int channels, long firstOutputFrame) {
        checkRate("input", inputRate);
        checkRate("output", outputRate);
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be 1.." + MAX_CHANNELS + ": " + channels);
        }
        if (firstOutputFrame < 0) {
            throw new IllegalArgumentException("the first output frame cannot be negative: " + firstOutputFrame);
        }
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        this.channels = channels;
        long in = Math.round(inputRate * 1000);
        long out = Math.round(outputRate * 1000);
        long g = gcd(in, out);
        num = in / g;
        den = out / g;
        stepWhole = num / den;
        stepRemainder = num % den;
        kernel = Kernel.of(num, den);
        taps = kernel.taps;
        half = kernel.half;
        rowsPerRemainder = (double) kernel.phases / den;
        history = new float[channels][taps + CHUNK];
        blended = new float[taps];
        start(firstOutputFrame);
    }

    private static void checkRate(String which, double rate) {
        if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("the " + which + " rate must be " + (int) MIN_RATE + ".."
                    + (int) MAX_RATE + " Hz: " + rate);
        }
    }

    private void start(long firstOutputFrame) {
        outFrame = firstOutputFrame;
        setInstant(firstOutputFrame);
        long keep = inWhole - half + 1;
        historyStart = keep;
        if (keep < 0) {
            historyLength = (int) -keep; // silence before the input's first frame
            for (float[] h : history) {
                Arrays.fill(h, 0, historyLength, 0f);
            }
            nextInput = 0;
        } else {
            historyLength = 0;
            nextInput = keep;
        }
    }

    /** Sets {@code inWhole + inRemainder/den = j·num/den} without overflow (num, den < 2^29). */
    private void setInstant(long j) {
        long q = j / den;
        long r = j % den;
        inWhole = q * num + r * num / den;
        inRemainder = r * num % den;
    }

    /** Frames of a stream of {@code inputFrames} converted: {@code round(inputFrames · out / in)}. */
    public long outputLength(long inputFrames) {
        return outputLength(inputFrames, num, den);
    }

    /** {@code round(inputFrames · outputRate / inputRate)}, exactly, for rates in range (to the millihertz). */
    public static long outputLength(long inputFrames, double inputRate, double outputRate) {
        checkRate("input", inputRate);
        checkRate("output", outputRate);
        long in = Math.round(inputRate * 1000);
        long out = Math.round(outputRate * 1000);
        long g = gcd(in, out);
        return outputLength(inputFrames, in / g, out / g);
    }

    private static long outputLength(long inputFrames, long num, long den) {
        if (inputFrames < 0) {
            throw new IllegalArgumentException("negative length: " + inputFrames);
        }
        // inputFrames·den/num = q·den + r·den/num, with r·den < 2^58
        long q = inputFrames / num;
        long r = inputFrames % num;
        return q * den + (2 * r * den + num) / (2 * num);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    public double inputRate() {
        return inputRate;
    }

    public double outputRate() {
        return outputRate;
    }

    public int channels() {
        return channels;
    }

    /** The filter's length in input frames: an output depends on this many input frames around its instant. */
    public int taps() {
        return taps;
    }

    /** The input frame the next {@link #write} is taken to start at. */
    public long nextInputFrame() {
        return nextInput;
    }

    /** The output frame the next {@link #read} starts at. */
    public long nextOutputFrame() {
        return outFrame;
    }

    /** True once every output frame has been read (only after {@link #endOfInput()}). */
    public boolean finished() {
        return outFrame >= outputEnd;
    }

    /**
     * How many frames {@link #write} takes now (more than {@value #CHUNK} only while it is dropping input that no
     * output needs, after a {@link #skip}).
     */
    public int inputRoom() {
        compact();
        long dropping = historyStart - nextInput; // > 0 only when the history is empty
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, dropping) + history[0].length - historyLength);
    }

    /** Takes input frames {@code [0, frames)} of {@code input[c]}, at most {@link #inputRoom()}. */
    public void write(float[][] input, int frames) {
        if (inputEnded) {
            throw new IllegalStateException("write after endOfInput");
        }
        if (frames < 0 || frames > inputRoom()) {
            throw new IllegalArgumentException("write of " + frames + " frames, room for " + inputRoom());
        }
        int drop = (int) Math.min(frames, Math.max(0, historyStart - nextInput));
        int n = frames - drop;
        for (int c = 0; c < channels; c++) {
            System.arraycopy(input[c], drop, history[c], historyLength, n);
        }
        historyLength += n;
        nextInput += frames;
    }

    /** The input has ended (after the frames written so far): the rest of the output can be read. */
    public void endOfInput() {
        if (!inputEnded) {
            inputEnded = true;
            outputEnd = outputLength(nextInput);
        }
    }

    /**
     * Writes up to {@code frames} output frames into {@code out[c][offset ..]}.
     *
     * @return the frames written: fewer than asked when more input is needed (0 if none could be made), or −1 once
     *     the stream is over
     */
    public int read(float[][] out, int offset, int frames) {
        int done = 0;
        while (done < frames && outFrame < outputEnd) {
            if (inWhole + half >= historyStart + historyLength) {
                if (!inputEnded) {
                    break;
                }
                compact(); // after the input: silence, as much as the history holds
                int room = history[0].length - historyLength;
                for (float[] h : history) {
                    Arrays.fill(h, historyLength, historyLength + room, 0f);
                }
                historyLength += room;
                continue;
            }
            int first = (int) (inWhole - half + 1 - historyStart);
            float[] coefficients;
            int row;
            if (kernel.exact) {
                coefficients = kernel.table;
                row = (int) inRemainder * taps;
            } else {
                double position = inRemainder * rowsPerRemainder;
                int p = (int) position;
                blend(kernel.table, p * taps, (float) (position - p));
                coefficients = blended;
                row = 0;
            }
            int c = 0;
            for (; c + 1 < channels; c += 2) {
                out[c][offset + done] = dotPair(coefficients, row, history[c], history[c + 1], first, taps);
                out[c + 1][offset + done] = pairSecond;
            }
            if (c < channels) {
                out[c][offset + done] = dot(coefficients, row, history[c], first, taps);
            }
            done++;
            outFrame++;
            inWhole += stepWhole;
            inRemainder += stepRemainder;
            if (inRemainder >= den) {
                inRemainder -= den;
                inWhole++;
            }
        }
        return done == 0 && outFrame >= outputEnd && frames > 0 ? -1 : done;
    }

    /**
     * Moves on by {@code frames} output frames without computing them; the input they alone needed is dropped as
     * it is written. Costs no filtering.
     *
     * @return the frames skipped (fewer at the end of the stream)
     */
    public long skip(long frames) {
        if (frames < 0) {
            throw new IllegalArgumentException("negative skip: " + frames);
        }
        long to = Math.min(outputEnd, outFrame + frames);
        long skipped = Math.max(0, to - outFrame);
        if (skipped > 0) {
            outFrame = to;
            setInstant(to);
        }
        return skipped;
    }

    /** Forgets the history no output from now on needs: everything before the current output's first tap. */
    private void compact() {
        long keep = inWhole - half + 1;
        if (keep <= historyStart) {
            return;
        }
        long end = historyStart + historyLength;
        if (keep >= end) {
            historyLength = 0;
        } else {
            int shift = (int) (keep - historyStart);
            historyLength -= shift;
            for (float[] h : history) {
                System.arraycopy(h, shift, h, 0, historyLength);
            }
        }
        historyStart = keep;
    }

    /** {@code blended[m] = row p + f · (row p+1 − row p)}: the filter at an instant between two rows. */
    private void blend(float[] table, int row, float f) {
        int next = row + taps;
        float[] b = blended;
        for (int m = 0; m < taps; m++) {
            float a = table[row + m];
            b[m] = a + f * (table[next + m] - a);
        }
    }

    /** The second channel's result of the last {@link #dotPair}. */
    private float pairSecond;

    /**
     * {@link #dot} of two channels at once, each summed in the same order as {@code dot} (so a channel's samples do
     * not depend on its neighbours): every coefficient is loaded once for both, about a third faster for stereo.
     */
    private float dotPair(float[] h, int hOff, float[] x, float[] y, int xOff, int n) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float b0 = 0;
        float b1 = 0;
        float b2 = 0;
        float b3 = 0;
        int m = 0;
        for (; m + 3 < n; m += 4) {
            float h0 = h[hOff + m];
            float h1 = h[hOff + m + 1];
            float h2 = h[hOff + m + 2];
            float h3 = h[hOff + m + 3];
            int i = xOff + m;
            a0 += h0 * x[i];
            b0 += h0 * y[i];
            a1 += h1 * x[i + 1];
            b1 += h1 * y[i + 1];
            a2 += h2 * x[i + 2];
            b2 += h2 * y[i + 2];
            a3 += h3 * x[i + 3];
            b3 += h3 * y[i + 3];
        }
        for (; m < n; m++) {
            a0 += h[hOff + m] * x[xOff + m];
            b0 += h[hOff + m] * y[xOff + m];
        }
        pairSecond = (b0 + b1) + (b2 + b3);
        return (a0 + a1) + (a2 + a3);
    }

    /** Σ h[hOff + m] · x[xOff + m], four sums at once (independent additions pipeline; the order is fixed). */
    private static float dot(float[] h, int hOff, float[] x, int xOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int m = 0;
        for (; m + 3 < n; m += 4) {
            s0 += h[hOff + m] * x[xOff + m];
            s1 += h[hOff + m + 1] * x[xOff + m + 1];
            s2 += h[hOff + m + 2] * x[xOff + m + 2];
            s3 += h[hOff + m + 3] * x[xOff + m + 3];
        }
        for (; m < n; m++) {
            s0 += h[hOff + m] * x[xOff + m];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
