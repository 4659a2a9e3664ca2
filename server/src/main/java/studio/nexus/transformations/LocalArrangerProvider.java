package studio.nexus.transformations;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import studio.nexus.audio.ArrayAudioSource;
import studio.nexus.audio.AudioSink;
import studio.nexus.audio.arrange.Arranger;
import studio.nexus.audio.arrange.MidiRenderer;
import studio.nexus.audio.arrange.Style;
import studio.nexus.audio.decode.DecodedAudio;
import studio.nexus.audio.decode.Decoders;
import studio.nexus.audio.effects.EffectChainParser;
import studio.nexus.audio.encode.WavEncoder;
import studio.nexus.audio.render.OfflineRenderer;
import studio.nexus.bounce.Bounce;
import studio.nexus.jobs.JobContext;
import studio.nexus.jobs.JobFailure;
import studio.nexus.storage.Storage;

/**
 * The offline provider: the audio library's {@link Arranger} (pitch tracking, key, chords, GM arrangement rendered
 * by the JDK synthesizer). Parameters: {@code style} (else the transformation type), {@code tempo} (else the
 * project's metronome), {@code instruments} (role -> GM program), {@code mix_original} (0–1). Thread-safe.
 */
public final class LocalArrangerProvider implements TransformationProvider {
    static final double MAX_SECONDS = 15 * 60;

    private final Storage storage;
    private final Path soundFont;

    public LocalArrangerProvider(Storage storage, Path soundFont) {
        this.storage = storage;
        this.soundFont = soundFont;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Output transform(Request request, JobContext context) throws Exception {
        JsonNode p = request.parameters();
        // the style names the arranger knows, else the transformation type (the seed's presets say "classical",
        // "edm", "smooth_jazz" as style and orchestral / electronic / jazz as type)
        String styleName = p.path("style").asText(request.transformationType());
        Style style = Style.of(styleName).or(() -> Style.of(request.transformationType()))
                .orElseThrow(() -> TransformationProvider.unsupported(
                        "The local arranger plays orchestral, electronic and jazz; not " + request.transformationType()));
        double projectBpm = p.path("project_bpm").isNumber() ? p.path("project_bpm").asDouble() : 120;
        JsonNode tempo = p.path("tempo");
        double bpm = tempo.isNumber() ? tempo.asDouble() : switch (tempo.asText("")) {
            case "slow" -> 80;
            case "moderate" -> 100;
            case "fast" -> 128;
            default -> projectBpm;
        };
        Map<String, Integer> programs = new HashMap<>();
        p.path("instruments").fields().forEachRemaining(e -> {
            if (e.getValue().canConvertToInt()) {
                programs.put(e.getKey(), e.getValue().asInt());
            }
        });
        double mix = p.path("mix_original").asDouble(0);
        Arranger.Options options;
        try {
            options = new Arranger.Options(style, bpm, programs, mix, soundFont, 44100);
        } catch (IllegalArgumentException e) {
            throw new JobFailure("invalid_parameters", e.getMessage(), false);
        }
        try (Bounce bounce = new Bounce(storage, context, "The project's audio")) {
            DecodedInput input = bounce.decoding(() -> readWhole(request.input()));
            float[][] audio = input.audio();
            double rate = input.sampleRate();
            if (audio[0].length < rate / 2) {
                throw new JobFailure("input_too_short", "The audio is shorter than half a second", false);
            }
            context.progress(0.1, "listening");
            Bounce.Progress arranging = bounce.progress(0.1, 0.45, "transcribing");
            Arranger.Result result;
            try {
                result = Arranger.arrange(audio, rate, options, fraction -> {
                    arranging.report(fraction, fraction < 0.4 ? "transcribing" : "rendering");
                    if (arranging.mustStop()) {
                        throw new Stop();
                    }
                });
            } catch (Stop stop) {
                throw arranging.stopped();
            }
            if (result.notes().isEmpty()) {
                throw new JobFailure("no_melody", "No sung or played melody was found in the audio", false);
            }
            Path wav = bounce.temporaryFile(".wav");
            bounce.render(() -> new ArrayAudioSource(result.audio(), result.sampleRate()),
                    EffectChainParser.parse("[]").instantiate(),
                    WavEncoder.create(wav, result.sampleRate(), 2, WavEncoder.SampleFormat.PCM_16),
                    new OfflineRenderer.Options(8192, 0), bounce.progress(0.55, 0.05, "rendering"));
            Path midi = bounce.temporaryFile(".mid");
            Files.write(midi, result.midiFile());
            List<Part> parts = renderParts(result, options, bounce, bounce.progress(0.6, 0.35, "rendering the parts"));
            context.progress(0.95, "storing");
            // the transformation handler stores them all and deletes them
            List<Part> handed = new ArrayList<>();
            for (Part part : parts) {
                handed.add(new Part(part.role(), bounce.handOver(part.wav())));
            }
            return new Output(bounce.handOver(wav), "wav", bounce.handOver(midi), null, Arranger.MODEL_VERSION,
                    result.confidence(), handed);
        }
    }

    /**
     * Each instrument alone, as long as the whole result and brought up by the same gain, streamed to a WAV per part
     * (24-bit: a part is mixed again, so it keeps its detail).
     */
    private List<Part> renderParts(Arranger.Result result, Arranger.Options options, Bounce bounce,
                                   Bounce.Progress progress) throws IOException, JobContext.JobStopped {
        List<Arranger.Part> parts = Arranger.parts(result.sequence());
        long frames = result.audio()[0].length;
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Arranger.Part part = parts.get(i);
            Path file = bounce.temporaryFile(".wav");
            int index = i;
            try (WavEncoder wav = WavEncoder.create(file, result.sampleRate(), 2, WavEncoder.SampleFormat.PCM_24)) {
                MidiRenderer.render(part.sequence(), options.bpm(), result.sampleRate(), soundFont, frames,
                        new GainSink(wav, (float) result.gain()), fraction -> {
                            progress.report((index + fraction) / parts.size(), "rendering the " + part.role());
                            if (progress.mustStop()) {
                                throw new Stop();
                            }
                        });
            } catch (Stop stop) {
                throw progress.stopped();
            }
            out.add(new Part(part.role(), file));
        }
        return out;
    }

    /** Passes audio on scaled by a gain (into a buffer of its own: the caller's arrays are not changed). */
    private static final class GainSink implements AudioSink {
        private final AudioSink next;
        private final float gain;
        private float[][] scaled = new float[0][0];

        GainSink(AudioSink next, float gain) {
            this.next = next;
            this.gain = gain;
        }

        @Override
        public void write(float[][] buffer, int frames) throws IOException {
            if (scaled.length != buffer.length || scaled[0].length < frames) {
                scaled = new float[buffer.length][frames];
            }
            for (int c = 0; c < buffer.length; c++) {
                for (int i = 0; i < frames; i++) {
                    scaled[c][i] = buffer[c][i] * gain;
                }
            }
            next.write(scaled, frames);
        }

        @Override
        public void close() throws IOException {
            next.close();
        }
    }

    private record DecodedInput(float[][] audio, double sampleRate) {}

    /** The whole input in memory (the arranger listens to all of it at once), at most {@link #MAX_SECONDS} long. */
    private static DecodedInput readWhole(Path file) throws IOException, JobFailure {
        try (DecodedAudio in = Decoders.open(file)) {
            double rate = in.sampleRate();
            long max = (long) (MAX_SECONDS * rate);
            int channels = in.channels();
            float[][] buffer = new float[channels][8192];
            float[][] all = new float[channels][1 << 16];
            int frames = 0;
            int n;
            while ((n = in.read(buffer, 8192)) > 0) {
                if (frames + n > max) {
                    throw new JobFailure("input_too_long", "The audio is longer than " + (int) MAX_SECONDS + " s", false);
                }
                if (frames + n > all[0].length) {
                    for (int c = 0; c < channels; c++) {
                        all[c] = java.util.Arrays.copyOf(all[c], Math.max(frames + n, all[c].length * 2));
                    }
                }
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(buffer[c], 0, all[c], frames, n);
                }
                frames += n;
            }
            float[][] audio = new float[channels][];
            for (int c = 0; c < channels; c++) {
                audio[c] = java.util.Arrays.copyOf(all[c], frames);
            }
            return new DecodedInput(audio, rate);
        }
    }

    /** Carries a job stop out of the arranger's progress callback. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    public static Path defaultSoundFont(java.util.Optional<String> configured) throws IOException {
        if (configured.isPresent()) {
            Path path = Path.of(configured.get());
            if (!Files.isReadable(path)) {
                throw new IOException("STUDIO_AI_SOUNDFONT " + path + " is not readable");
            }
            return path;
        }
        return MidiRenderer.defaultSoundFont();
    }
}
