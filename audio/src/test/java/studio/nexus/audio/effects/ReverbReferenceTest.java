package studio.nexus.audio.effects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.nexus.audio.Signals;

/**
 * The optimised reverb (combs four at a time, fused allpasses, block loops) must equal a plain
 * sample-by-sample Freeverb written the textbook way (JUCE's structure), for constant settings.
 */
class ReverbReferenceTest {

    /** Straightforward per-sample stereo Freeverb, JUCE scaling. */
    static float[][] reference(float[][] in, double rate, double roomSize, double damping, double wet, double dryLevel,
            double width) {
        int[] combs = {1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617};
        int[] aps = {556, 441, 341, 225};
        double scale = Math.floor(rate) / 44100.0;
        float[][][] cb = new float[2][8][];
        float[][][] ab = new float[2][4][];
        int[][] ci = new int[2][8];
        int[][] ai = new int[2][4];
        float[][] last = new float[2][8];
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < 8; j++) {
                cb[c][j] = new float[(int) ((combs[j] + 23 * c) * scale)];
            }
            for (int j = 0; j < 4; j++) {
                ab[c][j] = new float[(int) ((aps[j] + 23 * c) * scale)];
            }
        }
        float fb = (float) (roomSize * 0.28 + 0.7);
        float damp = (float) (damping * 0.4);
        float w = (float) (wet * 3.0);
        float wet1 = 0.5f * w * (1 + (float) width);
        float wet2 = 0.5f * w * (1 - (float) width);
        float dry = (float) (dryLevel * 2.0);
        int n = in[0].length;
        float[][] out = new float[2][n];
        for (int i = 0; i < n; i++) {
            float input = (in[0][i] + in[1][i]) * 0.015f;
            float[] o = new float[2];
            for (int c = 0; c < 2; c++) {
                float acc = 0;
                for (int j = 0; j < 8; j++) {
                    float[] b = cb[c][j];
                    float v = b[ci[c][j]];
                    last[c][j] = v * (1 - damp) + last[c][j] * damp;
                    b[ci[c][j]] = input + last[c][j] * fb;
                    ci[c][j] = (ci[c][j] + 1) % b.length;
                    acc += v;
                }
                for (int j = 0; j < 4; j++) {
                    float[] b = ab[c][j];
                    float v = b[ai[c][j]];
                    b[ai[c][j]] = acc + v * 0.5f;
                    ai[c][j] = (ai[c][j] + 1) % b.length;
                    acc = v - acc;
                }
                o[c] = acc;
            }
            out[0][i] = o[0] * wet1 + o[1] * wet2 + in[0][i] * dry;
            out[1][i] = o[1] * wet1 + o[0] * wet2 + in[1][i] * dry;
        }
        return out;
    }

    @ParameterizedTest(name = "room {0} damping {1} wet {2} dry {3} width {4} at {5} Hz")
    @CsvSource({"0.5, 0.5, 0.33, 0.4, 1.0, 44100", "0.3, 0.5, 0.33, 0.4, 1.0, 44100", "0.8, 0.2, 0.5, 0.0, 0.5, 48000",
        "1.0, 0.0, 1.0, 1.0, 0.0, 96000"})
    void optimisedReverbMatchesTextbookFreeverb(double room, double damping, double wet, double dry, double width,
            double rate) {
        float[][] in = Signals.music(2, 30000, rate);
        float[][] expected = reference(in, rate, room, damping, wet, dry, width);
        String chain = "[{\"type\":\"reverb\",\"settings\":{\"room_size\":" + room + ",\"damping\":" + damping
                + ",\"wet_level\":" + wet + ",\"dry_level\":" + dry + ",\"width\":" + width + "}}]";
        float[][] actual = Signals.run(EffectMeasurementTest.effect(chain), in, rate, 512);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < in[0].length; i++) {
                assertEquals(expected[c][i], actual[c][i], 1e-5, "channel " + c + " sample " + i);
            }
        }
    }
}
