package studio.nexus.audio.decode;

/**
 * The polyphase synthesis filterbank of MPEG audio (ISO/IEC 11172-3 2.4.3.5 / annex A.2), one channel: 32 subband
 * samples in, 32 PCM samples out. The matrixing of the standard is a 32-point DCT-II (computed by halving, Lee's
 * way: 80 multiplications instead of 2048), whose 32 values give the 64 of the V vector by symmetry; the
 * windowing then multiplies 16 rows of 32 by the window and sums them, in loops the JIT can vectorise.
 */
final class Mp3Synthesis {
    /** ISO/IEC 11172-3 table B.3, D[0..256] in units of 2^-16; D[512 - i] = -D[i] except where i is a multiple of 64. */
    private static final int[] WINDOW_HALF = {
        0, -1, -1, -1, -1, -1, -1, -2, -2, -2, -2, -3, -3, -4, -4, -5,
        -5, -6, -7, -7, -8, -9, -10, -11, -13, -14, -16, -17, -19, -21, -24, -26,
        -29, -31, -35, -38, -41, -45, -49, -53, -58, -63, -68, -73, -79, -85, -91, -97,
        -104, -111, -117, -125, -132, -139, -147, -154, -161, -169, -176, -183, -190, -196, -202, -208,
        213, 218, 222, 225, 227, 228, 228, 227, 224, 221, 215, 208, 200, 189, 177, 163,
        146, 127, 106, 83, 57, 29, -2, -36, -72, -111, -153, -197, -244, -294, -347, -401,
        -459, -519, -581, -645, -711, -779, -848, -919, -991, -1064, -1137, -1210, -1283, -1356, -1428, -1498,
        -1567, -1634, -1698, -1759, -1817, -1870, -1919, -1962, -2001, -2032, -2057, -2075, -2085, -2087, -2080, -2063,
        2037, 2000, 1952, 1893, 1822, 1739, 1644, 1535, 1414, 1280, 1131, 970, 794, 605, 402, 185,
        -45, -288, -545, -814, -1095, -1388, -1692, -2006, -2330, -2663, -3004, -3351, -3705, -4063, -4425, -4788,
        -5153, -5517, -5879, -6237, -6589, -6935, -7271, -7597, -7910, -8209, -8491, -8755, -8998, -9219, -9416, -9585,
        -9727, -9838, -9916, -9959, -9966, -9935, -9863, -9750, -9592, -9389, -9139, -8840, -8492, -8092, -7640, -7134,
        6574, 5959, 5288, 4561, 3776, 2935, 2037, 1082, 70, -998, -2122, -3300, -4533, -5818, -7154, -8540,
        -9975, -11455, -12980, -14548, -16155, -17799, -19478, -21189, -22929, -24694, -26482, -28289, -30112, -31947, -33791, -35640,
        -37489, -39336, -41176, -43006, -44821, -46617, -48390, -50137, -51853, -53534, -55178, -56778, -58333, -59838, -61289, -62684,
        -64019, -65290, -66494, -67629, -68692, -69679, -70590, -71420, -72169, -72835, -73415, -73908, -74313, -74630, -74856, -74992,
        75038,
    };
    /** The synthesis window D[i], scaled to unit gain. */
    private static final float[] WINDOW = new float[512];

    static {
        for (int i = 0; i < 257; i++) {
            float d = WINDOW_HALF[i] / 65536f;
            WINDOW[i] = d;
            if (i > 0 && i < 256) {
                WINDOW[512 - i] = i % 64 == 0 ? d : -d;
            }
        }
    }

    /**
     * The last 16 V vectors, each as the two halves the window reads: the first half while the vector is an even
     * number of slots old, the second while odd. {@code evenFirst} holds at block q the first half if q is even, the
     * second if odd; {@code oddFirst} the other way round; each twice (at q and q + 16). So the 16 rows the window
     * meets lie side by side, from {@link #newest} on, in one of the two: no copying and no wrapping.
     */
    private final float[] evenFirst = new float[32 * 32];
    private final float[] oddFirst = new float[32 * 32];
    private int newest;
    private final float[] dct = new float[32];
    private final float[] rows = new float[512];

    /** Filters one slot: {@code in[inOff..inOff+32)} (subbands 0-31) to {@code out[outOff..outOff+32)}. */
    void synthesize(float[] in, int inOff, float[] out, int outOff) {
        float[] a = dct;
        dct32(in, inOff, a);
        int n = (newest - 1) & 15;
        newest = n;
        // V[0..31] = a[16..31], 0, -a[31..17]; V[32..63] = -a[16..1], -a[0..15]
        float[] first = (n & 1) == 0 ? evenFirst : oddFirst;
        float[] second = (n & 1) == 0 ? oddFirst : evenFirst;
        int p = n * 32;
        int p2 = p + 512;
        for (int i = 0; i < 16; i++) {
            float v = a[16 + i];
            first[p + i] = v;
            first[p2 + i] = v;
            float u = -a[16 - i];
            second[p + i] = u;
            second[p2 + i] = u;
            float z = -a[i];
            second[p + 16 + i] = z;
            second[p2 + 16 + i] = z;
        }
        first[p + 16] = 0;
        first[p2 + 16] = 0;
        for (int i = 17; i < 32; i++) {
            float v = -a[48 - i];
            first[p + i] = v;
            first[p2 + i] = v;
        }
        // the 16 rows times the window in one long (vectorisable) loop, then summed pairwise down to one row: three
        // times faster here than 16 short multiply-add passes
        float[] f = rows;
        float[] w = WINDOW;
        for (int k = 0; k < 512; k++) {
            f[k] = first[p + k] * w[k];
        }
        for (int k = 0; k < 256; k++) {
            f[k] += f[k + 256];
        }
        for (int k = 0; k < 128; k++) {
            f[k] += f[k + 128];
        }
        for (int k = 0; k < 64; k++) {
            f[k] += f[k + 64];
        }
        for (int j = 0; j < 32; j++) {
            out[outOff + j] = f[j] + f[j + 32];
        }
    }

    /**
     * Unnormalised DCT-II of 32 values, out[m] = sum in[off + k] cos(pi m (2k + 1) / 64), by halving (Lee): a block's
     * DCT is the DCT of the sums x[k] + x[n-1-k] (its even outputs) and of the differences scaled by
     * 1 / (2 cos(pi (2k + 1) / 2n)) (each odd output the sum of two neighbours), down to blocks of one. Written out
     * straight (80 multiplications, 209 additions) from that recursion by a throwaway script: loops this short cost
     * more in bookkeeping than in arithmetic.
     */
    static void dct32(float[] in, int off, float[] out) {
        float x0 = in[off + 0];
        float x1 = in[off + 1];
        float x2 = in[off + 2];
        float x3 = in[off + 3];
        float x4 = in[off + 4];
        float x5 = in[off + 5];
        float x6 = in[off + 6];
        float x7 = in[off + 7];
        float x8 = in[off + 8];
        float x9 = in[off + 9];
        float x10 = in[off + 10];
        float x11 = in[off + 11];
        float x12 = in[off + 12];
        float x13 = in[off + 13];
        float x14 = in[off + 14];
        float x15 = in[off + 15];
        float x16 = in[off + 16];
        float x17 = in[off + 17];
        float x18 = in[off + 18];
        float x19 = in[off + 19];
        float x20 = in[off + 20];
        float x21 = in[off + 21];
        float x22 = in[off + 22];
        float x23 = in[off + 23];
        float x24 = in[off + 24];
        float x25 = in[off + 25];
        float x26 = in[off + 26];
        float x27 = in[off + 27];
        float x28 = in[off + 28];
        float x29 = in[off + 29];
        float x30 = in[off + 30];
        float x31 = in[off + 31];
        float t1 = x0 + x31;
        float t2 = x1 + x30;
        float t3 = x2 + x29;
        float t4 = x3 + x28;
        float t5 = x4 + x27;
        float t6 = x5 + x26;
        float t7 = x6 + x25;
        float t8 = x7 + x24;
        float t9 = x8 + x23;
        float t10 = x9 + x22;
        float t11 = x10 + x21;
        float t12 = x11 + x20;
        float t13 = x12 + x19;
        float t14 = x13 + x18;
        float t15 = x14 + x17;
        float t16 = x15 + x16;
        float t17 = (x0 - x31) * 0.5006029982351963f;
        float t18 = (x1 - x30) * 0.5054709598975436f;
        float t19 = (x2 - x29) * 0.5154473099226246f;
        float t20 = (x3 - x28) * 0.5310425910897841f;
        float t21 = (x4 - x27) * 0.5531038960344445f;
        float t22 = (x5 - x26) * 0.5829349682061339f;
        float t23 = (x6 - x25) * 0.6225041230356648f;
        float t24 = (x7 - x24) * 0.6748083414550057f;
        float t25 = (x8 - x23) * 0.7445362710022986f;
        float t26 = (x9 - x22) * 0.8393496454155268f;
        float t27 = (x10 - x21) * 0.9725682378619608f;
        float t28 = (x11 - x20) * 1.1694399334328847f;
        float t29 = (x12 - x19) * 1.4841646163141662f;
        float t30 = (x13 - x18) * 2.057781009953411f;
        float t31 = (x14 - x17) * 3.407608418468719f;
        float t32 = (x15 - x16) * 10.190008123548033f;
        float t33 = t1 + t16;
        float t34 = t2 + t15;
        float t35 = t3 + t14;
        float t36 = t4 + t13;
        float t37 = t5 + t12;
        float t38 = t6 + t11;
        float t39 = t7 + t10;
        float t40 = t8 + t9;
        float t41 = (t1 - t16) * 0.5024192861881557f;
        float t42 = (t2 - t15) * 0.5224986149396889f;
        float t43 = (t3 - t14) * 0.5669440348163577f;
        float t44 = (t4 - t13) * 0.6468217833599901f;
        float t45 = (t5 - t12) * 0.7881546234512502f;
        float t46 = (t6 - t11) * 1.060677685990347f;
        float t47 = (t7 - t10) * 1.7224470982383342f;
        float t48 = (t8 - t9) * 5.101148618689155f;
        float t49 = t33 + t40;
        float t50 = t34 + t39;
        float t51 = t35 + t38;
        float t52 = t36 + t37;
        float t53 = (t33 - t40) * 0.5097955791041592f;
        float t54 = (t34 - t39) * 0.6013448869350453f;
        float t55 = (t35 - t38) * 0.8999762231364156f;
        float t56 = (t36 - t37) * 2.5629154477415055f;
        float t57 = t49 + t52;
        float t58 = t50 + t51;
        float t59 = (t49 - t52) * 0.541196100146197f;
        float t60 = (t50 - t51) * 1.3065629648763764f;
        float t61 = t57 + t58;
        float t62 = (t57 - t58) * 0.7071067811865475f;
        float t63 = t59 + t60;
        float t64 = (t59 - t60) * 0.7071067811865475f;
        float t65 = t63 + t64;
        float t66 = t53 + t56;
        float t67 = t54 + t55;
        float t68 = (t53 - t56) * 0.541196100146197f;
        float t69 = (t54 - t55) * 1.3065629648763764f;
        float t70 = t66 + t67;
        float t71 = (t66 - t67) * 0.7071067811865475f;
        float t72 = t68 + t69;
        float t73 = (t68 - t69) * 0.7071067811865475f;
        float t74 = t72 + t73;
        float t75 = t70 + t74;
        float t76 = t74 + t71;
        float t77 = t71 + t73;
        float t78 = t41 + t48;
        float t79 = t42 + t47;
        float t80 = t43 + t46;
        float t81 = t44 + t45;
        float t82 = (t41 - t48) * 0.5097955791041592f;
        float t83 = (t42 - t47) * 0.6013448869350453f;
        float t84 = (t43 - t46) * 0.8999762231364156f;
        float t85 = (t44 - t45) * 2.5629154477415055f;
        float t86 = t78 + t81;
        float t87 = t79 + t80;
        float t88 = (t78 - t81) * 0.541196100146197f;
        float t89 = (t79 - t80) * 1.3065629648763764f;
        float t90 = t86 + t87;
        float t91 = (t86 - t87) * 0.7071067811865475f;
        float t92 = t88 + t89;
        float t93 = (t88 - t89) * 0.7071067811865475f;
        float t94 = t92 + t93;
        float t95 = t82 + t85;
        float t96 = t83 + t84;
        float t97 = (t82 - t85) * 0.541196100146197f;
        float t98 = (t83 - t84) * 1.3065629648763764f;
        float t99 = t95 + t96;
        float t100 = (t95 - t96) * 0.7071067811865475f;
        float t101 = t97 + t98;
        float t102 = (t97 - t98) * 0.7071067811865475f;
        float t103 = t101 + t102;
        float t104 = t99 + t103;
        float t105 = t103 + t100;
        float t106 = t100 + t102;
        float t107 = t90 + t104;
        float t108 = t104 + t94;
        float t109 = t94 + t105;
        float t110 = t105 + t91;
        float t111 = t91 + t106;
        float t112 = t106 + t93;
        float t113 = t93 + t102;
        float t114 = t17 + t32;
        float t115 = t18 + t31;
        float t116 = t19 + t30;
        float t117 = t20 + t29;
        float t118 = t21 + t28;
        float t119 = t22 + t27;
        float t120 = t23 + t26;
        float t121 = t24 + t25;
        float t122 = (t17 - t32) * 0.5024192861881557f;
        float t123 = (t18 - t31) * 0.5224986149396889f;
        float t124 = (t19 - t30) * 0.5669440348163577f;
        float t125 = (t20 - t29) * 0.6468217833599901f;
        float t126 = (t21 - t28) * 0.7881546234512502f;
        float t127 = (t22 - t27) * 1.060677685990347f;
        float t128 = (t23 - t26) * 1.7224470982383342f;
        float t129 = (t24 - t25) * 5.101148618689155f;
        float t130 = t114 + t121;
        float t131 = t115 + t120;
        float t132 = t116 + t119;
        float t133 = t117 + t118;
        float t134 = (t114 - t121) * 0.5097955791041592f;
        float t135 = (t115 - t120) * 0.6013448869350453f;
        float t136 = (t116 - t119) * 0.8999762231364156f;
        float t137 = (t117 - t118) * 2.5629154477415055f;
        float t138 = t130 + t133;
        float t139 = t131 + t132;
        float t140 = (t130 - t133) * 0.541196100146197f;
        float t141 = (t131 - t132) * 1.3065629648763764f;
        float t142 = t138 + t139;
        float t143 = (t138 - t139) * 0.7071067811865475f;
        float t144 = t140 + t141;
        float t145 = (t140 - t141) * 0.7071067811865475f;
        float t146 = t144 + t145;
        float t147 = t134 + t137;
        float t148 = t135 + t136;
        float t149 = (t134 - t137) * 0.541196100146197f;
        float t150 = (t135 - t136) * 1.3065629648763764f;
        float t151 = t147 + t148;
        float t152 = (t147 - t148) * 0.7071067811865475f;
        float t153 = t149 + t150;
        float t154 = (t149 - t150) * 0.7071067811865475f;
        float t155 = t153 + t154;
        float t156 = t151 + t155;
        float t157 = t155 + t152;
        float t158 = t152 + t154;
        float t159 = t122 + t129;
        float t160 = t123 + t128;
        float t161 = t124 + t127;
        float t162 = t125 + t126;
        float t163 = (t122 - t129) * 0.5097955791041592f;
        float t164 = (t123 - t128) * 0.6013448869350453f;
        float t165 = (t124 - t127) * 0.8999762231364156f;
        float t166 = (t125 - t126) * 2.5629154477415055f;
        float t167 = t159 + t162;
        float t168 = t160 + t161;
        float t169 = (t159 - t162) * 0.541196100146197f;
        float t170 = (t160 - t161) * 1.3065629648763764f;
        float t171 = t167 + t168;
        float t172 = (t167 - t168) * 0.7071067811865475f;
        float t173 = t169 + t170;
        float t174 = (t169 - t170) * 0.7071067811865475f;
        float t175 = t173 + t174;
        float t176 = t163 + t166;
        float t177 = t164 + t165;
        float t178 = (t163 - t166) * 0.541196100146197f;
        float t179 = (t164 - t165) * 1.3065629648763764f;
        float t180 = t176 + t177;
        float t181 = (t176 - t177) * 0.7071067811865475f;
        float t182 = t178 + t179;
        float t183 = (t178 - t179) * 0.7071067811865475f;
        float t184 = t182 + t183;
        float t185 = t180 + t184;
        float t186 = t184 + t181;
        float t187 = t181 + t183;
        float t188 = t171 + t185;
        float t189 = t185 + t175;
        float t190 = t175 + t186;
        float t191 = t186 + t172;
        float t192 = t172 + t187;
        float t193 = t187 + t174;
        float t194 = t174 + t183;
        float t195 = t142 + t188;
        float t196 = t188 + t156;
        float t197 = t156 + t189;
        float t198 = t189 + t146;
        float t199 = t146 + t190;
        float t200 = t190 + t157;
        float t201 = t157 + t191;
        float t202 = t191 + t143;
        float t203 = t143 + t192;
        float t204 = t192 + t158;
        float t205 = t158 + t193;
        float t206 = t193 + t145;
        float t207 = t145 + t194;
        float t208 = t194 + t154;
        float t209 = t154 + t183;
        out[0] = t61;
        out[1] = t195;
        out[2] = t107;
        out[3] = t196;
        out[4] = t75;
        out[5] = t197;
        out[6] = t108;
        out[7] = t198;
        out[8] = t65;
        out[9] = t199;
        out[10] = t109;
        out[11] = t200;
        out[12] = t76;
        out[13] = t201;
        out[14] = t110;
        out[15] = t202;
        out[16] = t62;
        out[17] = t203;
        out[18] = t111;
        out[19] = t204;
        out[20] = t77;
        out[21] = t205;
        out[22] = t112;
        out[23] = t206;
        out[24] = t64;
        out[25] = t207;
        out[26] = t113;
        out[27] = t208;
        out[28] = t73;
        out[29] = t209;
        out[30] = t102;
        out[31] = t183;
    }
}
