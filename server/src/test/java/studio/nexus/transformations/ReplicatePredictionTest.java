package studio.nexus.transformations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import studio.nexus.core.Json;

class ReplicatePredictionTest {
    static ReplicateClient.Prediction parse(String json) throws Exception {
        return ReplicateClient.Prediction.of(Json.MAPPER.readTree(json));
    }

    @Test
    void theOutputIsAUrlOrTheFirstOfAList() throws Exception {
        assertThat(parse("{\"id\":\"p\",\"status\":\"succeeded\",\"output\":\"https://r.example/a.wav\"}").outputUrl())
                .isEqualTo("https://r.example/a.wav");
        assertThat(parse("{\"id\":\"p\",\"status\":\"succeeded\",\"output\":[\"https://r.example/b.mp3\",\"x\"]}")
                .outputUrl()).isEqualTo("https://r.example/b.mp3");
        assertThat(parse("{\"id\":\"p\",\"status\":\"processing\",\"output\":null}").outputUrl()).isNull();
        assertThat(parse("{\"id\":\"p\",\"status\":\"succeeded\",\"output\":[]}").outputUrl()).isNull();
    }

    @Test
    void errorsAreTextOrNull() throws Exception {
        assertThat(parse("{\"id\":\"p\",\"status\":\"failed\",\"error\":\"CUDA out of memory\"}").error())
                .isEqualTo("CUDA out of memory");
        assertThat(parse("{\"id\":\"p\",\"status\":\"succeeded\",\"error\":null}").error()).isNull();
        assertThat(parse("{\"status\":\"failed\"}").id()).isNull();
    }

    @Test
    void theStoredExtensionComesFromTheUrlPath() {
        assertThat(ReplicateClient.extension("/x/out.MP3")).isEqualTo("mp3");
        assertThat(ReplicateClient.extension("/x/out.wav")).isEqualTo("wav");
        assertThat(ReplicateClient.extension("/x/out")).isEqualTo("wav");
        assertThat(ReplicateClient.extension(null)).isEqualTo("wav");
    }
}
