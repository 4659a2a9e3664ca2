package studio.nexus.audio.mix;

/**
 * The pan law (the Web Audio API's {@code StereoPannerNode}, see the package documentation) with the fader folded
 * in, as a 2×2 matrix: left = ll·inL + rl·inR, right = lr·inL + rr·inR. A mono input is inL alone.
 */
record PanLaw(double ll, double rl, double lr, double rr) {

    static PanLaw of(int channels, double pan, double fader) {
        if (channels == 1) {
            double x = (pan + 1) / 2 * Math.PI / 2;
            return new PanLaw(fader * cos(x), 0, fader * sin(x), 0);
        }
        if (pan <= 0) {
            double x = (pan + 1) * Math.PI / 2;
            return new PanLaw(fader, fader * cos(x), 0, fader * sin(x));
        }
        double x = pan * Math.PI / 2;
        return new PanLaw(fader * cos(x), 0, fader * sin(x), fader);
    }

    // cos(π/2) is 6e-17 in doubles: snap the ends so a centred stereo track is passed exactly and hard pans are clean
    private static double cos(double x) {
        return x == Math.PI / 2 ? 0 : Math.cos(x);
    }

    private static double sin(double x) {
        return x == Math.PI / 2 ? 1 : Math.sin(x);
    }
}
