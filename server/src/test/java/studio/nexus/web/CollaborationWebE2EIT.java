package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import studio.nexus.testing.Browser;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * Two people in one song, through the web studio: an edit made against something a collaborator changed meanwhile
 * is refused by the server (412), and the page shows their change and says so instead of applying ours over it.
 */
class CollaborationWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static WebDriver driver;
    static Musician owner;
    static Musician editor;
    static UUID project;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        owner = Musicians.signUp(server.http(), "band_owner");
        editor = Musicians.signUp(server.http(), "band_editor");
        project = TestProjects.projectWithAudio(server, owner, "Two of us", TestAudio.melodyWav(44_100, 4));
        TestProjects.collaborate(server, owner, project, editor, "editor");
        browser.signIn(editor.email(), Musicians.PASSWORD);
    }

    static JsonNode firstTrack() {
        Http.Response answer = server.http().get("/api/v1/projects/" + project + "/arrangement", owner.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().path("tracks").get(0);
    }

    static JsonNode awaitFirstTrack(Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        browser.waiting().until(d -> condition.test(last[0] = firstTrack()));
        return last[0];
    }

    static void openStudio() {
        browser.open("/#/projects/" + project);
        browser.awaitHeading("Two of us");
        browser.waiting().until(d -> "true".equals(d.findElement(By.id("studio-desk")).getDomAttribute("data-ready")));
    }

    @Test
    void aFaderMovedBySomeoneElseMeanwhileIsShownAndOurStaleChangeIsNotAppliedOverIt() {
        openStudio();
        String trackId = firstTrack().path("id").asText();
        String strip = ".strip[data-track-id='" + trackId + "']";

        // the owner, elsewhere, pulls the fader down after the editor's page read the song
        Http.Response owners = server.http().patch("/api/v1/projects/" + project + "/tracks/" + trackId,
                owner.token(), Map.of("volume_db", -9.0));
        assertThat(owners.status()).as(owners.toString()).isEqualTo(200);

        // the editor mutes the track from the page as it was: refused, and said
        driver.findElement(By.cssSelector(strip + " button.mute")).click();
        WebElement message = browser.waiting().until(d -> d.findElements(By.cssSelector(".message"))
                .stream().filter(m -> m.getDomAttribute("hidden") == null
                        && m.getDomProperty("textContent").contains("Someone else changed"))
                .findFirst().orElse(null));
        assertThat(message.getDomProperty("textContent")).contains("their change is shown now", "yours was not applied");
        // the refusal the page answered in words (the browser logs every 4xx as a failed load)
        browser.consoleErrors().removeIf(e -> e.contains("/tracks/" + trackId) && e.contains("412"));
        // their fader is what the page shows now; nothing of ours reached the server
        browser.waiting().until(d -> d.findElement(By.cssSelector(strip + " input.db")).getDomProperty("value")
                .replace('\u2212', '-').startsWith("-9"));
        JsonNode kept = firstTrack();
        assertThat(kept.path("volume_db").asDouble()).isEqualTo(-9.0);
        assertThat(kept.path("muted").asBoolean()).isFalse();
        assertThat(driver.findElement(By.cssSelector(strip + " button.mute")).getDomAttribute("aria-pressed"))
                .isEqualTo("false");

        // made again, over what is there now, it goes through
        driver.findElement(By.cssSelector(strip + " button.mute")).click();
        JsonNode muted = awaitFirstTrack(t -> t.path("muted").asBoolean());
        assertThat(muted.path("volume_db").asDouble()).as("their fader stays").isEqualTo(-9.0);
    }
}
