package studio.nexus.audio.render;

/** The product's seed presets, verbatim. */
final class EffectChainParserTestSeeds {
    static final String VOCAL_WARMTH = "[{\"type\":\"equalizer\",\"settings\":{\"low\":1.2,\"mid\":1.0,\"high\":1.1}},"
            + "{\"type\":\"reverb\",\"settings\":{\"room_size\":0.3,\"damping\":0.5}}]";
    static final String AMBIENT_SPACE = "[{\"type\":\"reverb\",\"settings\":{\"room_size\":0.8,\"damping\":0.2}},"
            + "{\"type\":\"delay\",\"settings\":{\"time\":0.5,\"feedback\":0.3}}]";

    private EffectChainParserTestSeeds() {}
}
