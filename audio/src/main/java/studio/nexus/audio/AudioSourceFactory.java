package studio.nexus.audio;

import java.io.IOException;

/**
 * Opens a fresh {@link AudioSource} positioned at the start each time. Renders that need a first
 * analysis pass (e.g. {@code normalize}) read the input twice, so they take a factory rather than a source.
 */
@FunctionalInterface
public interface AudioSourceFactory {
    AudioSource open() throws IOException;
}
