package studio.nexus.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our AAC-LC decoder's pure parts: the codebooks as the standard prints them, and the inverse transform. */
class AacLcDecoderTest {
    static final int[][] CODES = {AacTables.CODES_1, AacTables.CODES_2, AacTables.CODES_3, AacTables.CODES_4,
        AacTables.CODES_5, AacTables.CODES_6, AacTables.CODES_7, AacTables.CODES_8, AacTables.CODES_9,
        AacTables.CODES_10, AacTables.CODES_11, AacTables.SCALEFACTOR_CODES};
    static final int[][] LENGTHS = {AacTables.LENGTHS_1, AacTables.LENGTHS_2, AacTables.LENGTHS_3,
        AacTables.LENGTHS_4, AacTables.LENGTHS_5, AacTables.LENGTHS_6, AacTables.LENGTHS_7, AacTables.LENGTHS_8,
        AacTables.LENGTHS_9, AacTables.LENGTHS_10, AacTables.LENGTHS_11, AacTables.SCALEFACTOR_LENGTHS};
    static final int[] SIZES = {81, 81, 81, 81, 81, 81, 64, 64, 169, 169, 289, 121};

    @Test
    void everyCodebookIsCompletePrefixFreeAndEveryCodewordDecodesBackToItsIndex() throws Exception {
        for (int b = 0; b < CODES.length; b++) {
            int[] codes = CODES[b];
            int[] lengths = LENGTHS[b];
            assertEquals(SIZES[b], codes.length, "book " + (b + 1) + " size");
            double kraft = 0;
            for (int i = 0; i < codes.length; i++) {
                assertTrue(lengths[i] >= 1 && lengths[i] <= 19 && codes[i] >>> lengths[i] == 0, "book " + (b + 1));
                kraft += Math.pow(2, -lengths[i]);
                for (int j = 0; j < codes.length; j++) { // no codeword is the start of another
                    if (j != i && lengths[j] >= lengths[i]) {
                        assertTrue(codes[j] >>> (lengths[j] - lengths[i]) != codes[i],
                                "book " + (b + 1) + ": " + i + " prefixes " + j);
                    }
                }
            }
            assertEquals(1.0, kraft, 1e-12, "book " + (b + 1) + " uses every bit pattern");
            for (int primary : new int[] {6, 10}) {
                int[] table = AacBits.table(codes, lengths, primary);
                for (int i = 0; i < codes.length; i++) {
                    byte[] frame = new byte[8 + AacBits.PADDING];
                    long word = ((long) codes[i] << (64 - lengths[i])) | (0x5a5aL << (48 - lengths[i]));
                    for (int k = 0; k < 8; k++) {
                        frame[k] = (byte) (word >>> (56 - 8 * k));
                    }
                    AacBits in = new AacBits();
                    in.set(frame, 8);
                    assertEquals(i, in.decode(table, primary), "book " + (b + 1) + " index " + i);
                    assertEquals(lengths[i], in.position(), "book " + (b + 1) + " index " + i + " length");
                }
            }
        }
    }

    @Test
    void theInverseTransformMatchesTheStandardsFormula() {
        Random r = new Random(5);
        for (int n : new int[] {256, 2048}) {
            float[] in = new float[n / 2];
            for (int k = 0; k < in.length; k++) {
                in[k] = (float) r.nextGaussian();
            }
            float[] out = new float[n];
            new AacImdct(n, 1).transform(in, 0, out, 0);
            double n0 = (n / 2.0 + 1) / 2;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int k = 0; k < n / 2; k++) {
                    sum += in[k] * Math.cos(2 * Math.PI / n * (i + n0) * (k + 0.5));
                }
                worst = Math.max(worst, Math.abs(2.0 / n * sum - out[i]));
            }
            assertTrue(worst < 1e-5, n + ": off by " + worst);
        }
    }
}
