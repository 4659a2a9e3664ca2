package studio.nexus.audio.decode;

import studio.nexus.audio.AudioSource;

/** A streaming decoder: an {@link AudioSource} plus what was learnt from the header. Not thread-safe. */
public interface DecodedAudio extends AudioSource {
    AudioFormatInfo info();

    @Override
    default double sampleRate() {
        return info().sampleRate();
    }

    @Override
    default int channels() {
        return info().channels();
    }

    @Override
    default long lengthFrames() {
        return info().lengthFrames();
    }
}
