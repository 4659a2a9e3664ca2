package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import studio.nexus.testing.Browser;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * "Record a new track" on the desk, with Chromium's fake microphone: a count-in, then the song plays from the playhead
 * while the microphone records; Stop ends both, the recording lands in the take pool and on a new track "Recording n"
 * at the playhead minus the device's latency setting (exactly, in frames at the song's rate; before the song's start
 * the clip skips into the take instead), in one step that undo takes back. On a desktop and on a phone. The count-in
 * chosen on the transport (none, one or two bars) is the one heard and is remembered by the browser.
 * Screenshots: {@code server/target/screenshots/record-track*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordTrackWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static final int RATE = 44_100;
    static final int LATENCY_MS = 50;
    static WebDriver driver;
    static Musician musician;
    static UUID project;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        musician = Musicians.signUp(server.http(), "rec");
        project = TestProjects.projectWithAudio(server, musician, "Band demo", TestAudio.melodyWav(RATE, 12));
        browser.signIn(musician.email(), Musicians.PASSWORD);
    }

    static JsonNode get(String path) {
        Http.Response answer = server.http().get("/api/v1/projects/" + project + path, musician.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    static JsonNode awaitArrangement(Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        browser.waiting().until(d -> {
            last[0] = get("/arrangement");
            return condition.test(last[0]);
        });
        return last[0];
    }

    static WebElement desk() {
        return driver.findElement(By.id("studio-desk"));
    }

    static long playhead() {
        return Long.parseLong(desk().getDomAttribute("data-playhead-frame"));
    }

    static void openStudio(int width, int height) {
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.viewport(width, height);
        driver.get(browser.base() + "/#/projects/" + project);
        browser.awaitHeading("Band demo");
        browser.waiting().until(d -> "true".equals(desk().getDomAttribute("data-ready")));
        browser.waiting().until(d -> !d.findElements(By.cssSelector(".clip[data-drawn='true']")).isEmpty());
    }

    /** Records about a second with the desk's record button; Stop ends it. Answers the arrangement afterwards. */
    static JsonNode recordASecond(int tracksBefore, String screenshot) throws Exception {
        WebElement record = driver.findElement(By.id("tl-record"));
        assertThat(record.getDomAttribute("aria-label")).isEqualTo("Record a new track");
        record.click();
        browser.waiting().until(d -> "count-in".equals(desk().getDomAttribute("data-recording"))
                || "recording".equals(desk().getDomAttribute("data-recording")));
        browser.waiting().until(d -> "recording".equals(desk().getDomAttribute("data-recording")));
        // the song plays against the recording: the transport plays and the playhead moves on
        long from = playhead();
        assertThat(driver.findElement(By.cssSelector("#studio-desk .transport")).getDomAttribute("data-state"))
                .isEqualTo("playing");
        assertThat(driver.findElement(By.id("tl-record")).getDomAttribute("aria-pressed")).isEqualTo("true");
        if (screenshot != null) {
            browser.screenshots(screenshot, "#studio-desk");
        }
        Browser.sleep(1000);
        browser.waiting().until(d -> playhead() > from + RATE / 2);
        driver.findElement(By.id("tl-stop")).click();
        browser.waiting().until(d -> "idle".equals(desk().getDomAttribute("data-recording")));
        JsonNode now = awaitArrangement(a -> a.path("tracks").size() == tracksBefore + 1);
        browser.waiting().until(d -> "false".equals(driver.findElement(By.cssSelector("#studio-desk .transport"))
                .getDomAttribute("data-busy")));
        return now;
    }

    static JsonNode take(String handle) {
        for (JsonNode take : get("/takes").path("items")) {
            if (take.path("take").asText().equals(handle)) {
                return take;
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void aRecordingMadeAgainstTheSongLandsOnANewTrackAtThePlayheadMinusTheLatencyAndUndoTakesItBack()
            throws Exception {
        openStudio(1280, 800);
        // the latency of this device, set in the Record panel, remembered in the browser
        browser.openPanel("record");
        WebElement latency = browser.input("Latency (ms)");
        latency.clear();
        latency.sendKeys(String.valueOf(LATENCY_MS), Keys.TAB);
        assertThat(browser.js("return localStorage.getItem('studio.recordingLatencyMs')")).isEqualTo("50");
        browser.byId("panel-close-record").click();
        browser.waiting().until(d -> !d.findElement(By.id("studio-dock")).isDisplayed());
        // the playhead into the song (a click on the ruler, over the clip's middle)
        WebElement ruler = driver.findElement(By.cssSelector(".tl-ruler"));
        WebElement clip = driver.findElement(By.cssSelector("#studio-desk .clip"));
        int clipCentre = clip.getRect().getX() + clip.getSize().getWidth() / 2;
        int rulerCentre = ruler.getRect().getX() + ruler.getSize().getWidth() / 2;
        new Actions(driver).moveToElement(ruler, clipCentre - rulerCentre, 0).click().perform();
        long at = playhead();
        assertThat(at).isGreaterThan(RATE);

        JsonNode now = recordASecond(1, "record-track-recording");
        int rate = now.path("sample_rate").asInt();
        long latencyFrames = Math.round(LATENCY_MS * rate / 1000.0);
        JsonNode track = now.path("tracks").get(1);
        assertThat(track.path("name").asText()).isEqualTo("Recording 1");
        assertThat(track.path("clips")).hasSize(1);
        JsonNode placed = track.path("clips").get(0);
        assertThat(placed.path("start_frame").asLong()).isEqualTo(at - latencyFrames);
        assertThat(placed.path("offset_frames").asLong()).isZero();
        assertThat(placed.path("length_frames").asLong()).isBetween((long) (0.8 * rate), (long) (4.0 * rate));
        JsonNode inPool = take(placed.path("take").asText());
        assertThat(inPool).as("the recording in the take pool").isNotNull();
        assertThat(inPool.path("name").asText()).isEqualTo("Recording 1");
        // the playhead goes back to where recording started; the new track is drawn
        assertThat(playhead()).isEqualTo(at);
        browser.waiting().until(d -> d.findElements(By.cssSelector(".tl-row")).size() == 2);
        browser.waiting().until(d -> d.findElements(By.cssSelector(".clip[data-drawn='true']")).size() == 2);
        browser.screenshots("record-track", "#studio-desk");

        // one undo takes the new track away; the recording stays in the pool
        driver.findElement(By.id("tl-undo")).click();
        awaitArrangement(a -> a.path("tracks").size() == 1);
        assertThat(take(placed.path("take").asText())).isNotNull();
    }

    @Test
    @Order(2)
    void onAPhoneARecordingFromTheSongsStartSkipsTheLatencyIntoTheTake() throws Exception {
        openStudio(390, 844);
        assertThat(browser.input("Latency (ms)").getDomProperty("value")).isEqualTo("50");
        driver.findElement(By.id("tl-home")).click();
        assertThat(playhead()).isZero();

        JsonNode now = recordASecond(1, null);
        int rate = now.path("sample_rate").asInt();
        long latencyFrames = Math.round(LATENCY_MS * rate / 1000.0);
        JsonNode track = now.path("tracks").get(1);
        assertThat(track.path("name").asText()).isEqualTo("Recording 2");
        JsonNode placed = track.path("clips").get(0);
        assertThat(placed.path("start_frame").asLong()).isZero();
        assertThat(placed.path("offset_frames").asLong()).isEqualTo(latencyFrames);
        JsonNode inPool = take(placed.path("take").asText());
        assertThat(inPool.path("name").asText()).isEqualTo("Recording 2");
        browser.screenshots("record-track-phone", "#studio-desk");
    }

    /** From now on, window.recordingStates collects the desk's recording states as they come, with the page's clock. */
    static void watchRecordingStates() {
        browser.js("const desk = document.getElementById('studio-desk'); window.recordingStates = [];"
                + "new MutationObserver(() => window.recordingStates.push([desk.dataset.recording, performance.now()]))"
                + ".observe(desk, {attributes: true, attributeFilter: ['data-recording']});");
    }

    @SuppressWarnings("unchecked")
    static List<String> recordingStates() {
        return ((List<List<Object>>) browser.js("return window.recordingStates")).stream()
                .map(state -> String.valueOf(state.get(0))).toList();
    }

    /** Seconds from the first "count-in" to the first "recording" that window.recordingStates saw. */
    @SuppressWarnings("unchecked")
    static double countInSeconds() {
        List<List<Object>> states = (List<List<Object>>) browser.js("return window.recordingStates");
        double countIn = -1;
        for (List<Object> state : states) {
            double at = ((Number) state.get(1)).doubleValue();
            if ("count-in".equals(state.get(0)) && countIn < 0) {
                countIn = at;
            } else if ("recording".equals(state.get(0)) && countIn >= 0) {
                return (at - countIn) / 1000;
            }
        }
        throw new AssertionError("no count-in followed by recording in " + states);
    }

    static String countInShown() {
        return new Select(browser.byId("tl-count-in")).getFirstSelectedOption().getDomAttribute("value");
    }

    @Test
    @Order(3)
    void theCountInIsNoneOneOrTwoBarsAsChosenOnTheTransportAndThisBrowserRemembersTheChoice() throws Exception {
        openStudio(1280, 800);
        Select countIn = new Select(browser.byId("tl-count-in"));
        assertThat(countIn.getOptions()).extracting(WebElement::getText)
                .containsExactly("No count-in", "Count-in: 1 bar", "Count-in: 2 bars");
        assertThat(countInShown()).as("one bar until another is chosen").isEqualTo("1");
        countIn.selectByValue("2");
        assertThat(browser.js("return localStorage.getItem('studio.countInBars')")).isEqualTo("2");

        // a fresh page still counts in two bars: 4 s at 120 BPM in 4/4 (one bar would be 2 s)
        openStudio(1280, 800);
        assertThat(countInShown()).isEqualTo("2");
        int tracks = get("/arrangement").path("tracks").size();
        watchRecordingStates();
        recordASecond(tracks, null);
        assertThat(countInSeconds()).as("the count-in of two bars").isBetween(3.0, 6.5);

        // none: the recording starts at once, with no count-in; also remembered
        new Select(browser.byId("tl-count-in")).selectByValue("0");
        assertThat(browser.js("return localStorage.getItem('studio.countInBars')")).isEqualTo("0");
        watchRecordingStates();
        JsonNode now = recordASecond(tracks + 1, null);
        assertThat(recordingStates()).contains("recording").doesNotContain("count-in");
        assertThat(now.path("tracks").get(tracks + 1).path("clips")).hasSize(1);
        openStudio(1280, 800);
        assertThat(countInShown()).isEqualTo("0");
        browser.screenshots("record-track-count-in", "#studio-desk");
    }
}
