package com.jcraft.jorbis;

import com.jcraft.jogg.Buffer;

/**
 * JOrbis' mapping header reader with the channel-coupling field widths the Vorbis I specification gives
 * (section 4.2.4.5: {@code ilog(audio_channels - 1)} bits). JOrbis reads {@code floor(log2(channels))}
 * bits, which is the same for 1, 2, 4 and 8 channels but one bit short for 3, 5, 6 and 7, so it refused
 * every 5.1 file libvorbis writes. Only the header reading changes; decoding stays JOrbis' own.
 * JOrbis is unmaintained, so the fix lives here, in its package (its FuncMapping table is package-private).
 * {@link #install()} is idempotent and thread-safe.
 */
public final class SurroundMapping extends Mapping0 {
    private SurroundMapping() {}

    /** Makes every JOrbis decoder in this JVM read mapping headers with this class. */
    public static synchronized void install() {
        if (!(FuncMapping.mapping_P[0] instanceof SurroundMapping)) {
            FuncMapping.mapping_P[0] = new SurroundMapping();
        }
    }

    @Override
    Object unpack(Info vi, Buffer opb) {
        InfoMapping0 info = new InfoMapping0();
        info.submaps = opb.read(1) != 0 ? opb.read(4) + 1 : 1;
        if (opb.read(1) != 0) {
            info.coupling_steps = opb.read(8) + 1;
            int bits = ilog(vi.channels - 1);
            for (int i = 0; i < info.coupling_steps; i++) {
                int magnitude = info.coupling_mag[i] = opb.read(bits);
                int angle = info.coupling_ang[i] = opb.read(bits);
                if (magnitude < 0 || angle < 0 || magnitude == angle || magnitude >= vi.channels
                        || angle >= vi.channels) {
                    return null;
                }
            }
        }
        if (opb.read(2) != 0) { // reserved: must be zero
            return null;
        }
        if (info.submaps > 1) {
            for (int i = 0; i < vi.channels; i++) {
                info.chmuxlist[i] = opb.read(4);
                if (info.chmuxlist[i] < 0 || info.chmuxlist[i] >= info.submaps) {
                    return null;
                }
            }
        }
        for (int i = 0; i < info.submaps; i++) {
            info.timesubmap[i] = opb.read(8);
            info.floorsubmap[i] = opb.read(8);
            info.residuesubmap[i] = opb.read(8);
            if (info.timesubmap[i] < 0 || info.timesubmap[i] >= vi.times || info.floorsubmap[i] < 0
                    || info.floorsubmap[i] >= vi.floors || info.residuesubmap[i] < 0
                    || info.residuesubmap[i] >= vi.residues) {
                return null;
            }
        }
        return info;
    }

    private static int ilog(int v) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(0, v));
    }
}
