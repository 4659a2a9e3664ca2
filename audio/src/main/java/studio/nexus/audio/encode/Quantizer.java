package studio.nexus.audio.encode;

/**
 * Float → integer PCM with optional TPDF dither (±1 LSB triangular) and clamping: out-of-range input
 * saturates at the extreme codes, it never wraps. NaN becomes 0. A sample that already sits on a code of the target
 * depth (a 16-bit original written as 16 or 24 bits, digital silence) is written as that code without dither: dither
 * only hides the error of rounding, and there is none, so an unprocessed export is bit-exact. Full scale: 1.0 ↦ 2^(bits−1)
 * (clamped to 2^(bits−1) − 1), the inverse of the decoders' scaling, so undithered round trips are exact.
 * Deterministic (fixed-seed xorshift). Not thread-safe.
 */
final class Quantizer {
    private final double scale;
    private final double max;
    private final double min;
    private final boolean dither;
    private long state = 0x9E3779B97F4A7C15L;

    Quantizer(int bits, boolean dither) {
        this.scale = Math.pow(2, bits - 1);
        this.max = scale - 1;
        this.min = -scale;
        this.dither = dither;
    }

    int quantize(float sample) {
        double v = sample * scale;
        if (dither && v != Math.rint(v)) {
            // One 64-bit draw gives both uniforms of the triangular pair.
            long x = state;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            state = x;
            v += ((x >>> 32) - (x & 0xffffffffL)) * 0x1.0p-32;
        }
        if (v > max) {
            return (int) max;
        }
        if (v < min) {
            return (int) min;
        }
        return (int) Math.rint(v); // (int) NaN is 0
    }
}
