package studio.nexus.audio.waveform;

/**
 * @param samplesPerPixel input frames summarised by one min/max pair (≥ 2)
 * @param bits 8 (values −128..127) or 16 (−32768..32767)
 * @param splitChannels one min/max pair per channel per pixel; false mixes to mono (mean of channels)
 */
public record WaveformOptions(int samplesPerPixel, int bits, boolean splitChannels) {
    public WaveformOptions {
        if (samplesPerPixel < 2 || samplesPerPixel > 1 << 24) {
            throw new IllegalArgumentException("samplesPerPixel must be 2..16777216");
        }
        if (bits != 8 && bits != 16) {
            throw new IllegalArgumentException("bits must be 8 or 16");
        }
    }
}
