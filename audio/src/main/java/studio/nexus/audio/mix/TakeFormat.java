package studio.nexus.audio.mix;

/** What the studio knows of a take without opening it: its rate, channels and length (frames, −1 if unknown). */
public record TakeFormat(double sampleRate, int channels, long lengthFrames) {}
