package studio.nexus.audio.effects;

/** {@code distortion}: tanh waveshaper after a {@code drive_db} boost (as pedalboard's Distortion). */
final class DistortionEffect extends BlockEffect {
    private final Automation driveDb;
    private final Ramp drive = new Ramp();
    private final double[] drives = new double[CONTROL_INTERVAL];

    DistortionEffect(EffectSettings settings) {
        driveDb = settings.number("drive_db");
    }

    @Override
    protected void allocate(Spec spec) {}

    @Override
    protected void clearState() {
        drive.jumpTo(dbToGain(driveDb.valueAt(0)));
    }

    @Override
    protected void updateControls(double seconds) {
        drive.rampTo(dbToGain(driveDb.valueAt(seconds)));
    }

    @Override
    protected void processSlice(float[][] ch, int offset, int frames) {
        drive.fill(drives, frames);
        for (int c = 0; c < channelCount; c++) {
            float[] x = ch[c];
            for (int i = 0; i < frames; i++) {
                x[offset + i] = (float) Math.tanh(x[offset + i] * drives[i]);
            }
        }
    }
}
