package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * The studio's desk in headless Chromium: the timeline of a project with an uploaded take (track 1 and its clip,
 * drawn), tracks added, clips moved (also to another track), trimmed and split by dragging and by keys, every edit
 * stored through the API and undone and redone exactly; the mixer's mute, solo, fader and pan reaching the track;
 * playback moving the playhead and the meters; the offline render with the server's laws; a take uploaded in the
 * Takes panel landing on its own track, its gain and fades edited and undone; the server's mixdown of a three-track
 * song matching what the browser renders of it (correlation ≥ 0.99 per side); the master fader stored with the
 * song, undoable, and played by the browser's render; a track's effects chain edited from its mixer strip; and the
 * phone layout
 * (tracks scroll vertically, time horizontally, the transport stays in view). Any browser console error fails a
 * test ({@link Browser}). Screenshots go to {@code server/target/screenshots/timeline*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimelineWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    /** 12 sung-like notes at 44.1 kHz: 6.5 s. */
    static final int RATE = 44_100;
    static WebDriver driver;
    static Musician musician;
    static UUID project;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        musician = Musicians.signUp(server.http(), "tl");
        project = TestProjects.projectWithAudio(server, musician, "Night song", TestAudio.melodyWav(RATE, 12));
        browser.signIn(musician.email(), Musicians.PASSWORD);
    }

    // Helpers ---------------------------------------------------------------------------------------------------------

    static JsonNode arrangement() {
        Http.Response answer = server.http().get("/api/v1/projects/" + project + "/arrangement", musician.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    /** The arrangement without times of change (and without ids when asked), clips in timeline order. */
    static JsonNode normalized(JsonNode arrangement, boolean ids) {
        ObjectNode copy = arrangement.deepCopy();
        // edit versions move with every write, undo included: the song is the same without them
        ((ObjectNode) copy.path("master")).remove(List.of("version", "chain_version"));
        for (JsonNode track : copy.withArray("tracks")) {
            ObjectNode t = (ObjectNode) track;
            t.remove(List.of("created_at", "updated_at", "version", "chain_version"));
            List<JsonNode> clips = new ArrayList<>();
            for (JsonNode clip : t.withArray("clips")) {
                ObjectNode c = (ObjectNode) clip;
                c.remove(List.of("created_at", "updated_at", "version"));
                if (!ids) {
                    c.remove(List.of("id", "track_id"));
                }
                clips.add(c);
            }
            clips.sort(Comparator.comparingLong((JsonNode c) -> c.path("start_frame").asLong())
                    .thenComparingLong(c -> c.path("offset_frames").asLong()));
            ArrayNode sorted = t.putArray("clips");
            clips.forEach(sorted::add);
            if (!ids) {
                t.remove("id");
            }
        }
        return copy;
    }

    static JsonNode track(JsonNode arrangement, int position) {
        return arrangement.path("tracks").get(position);
    }

    /** Waits until the server's arrangement satisfies the condition; answers it. */
    static JsonNode awaitArrangement(Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        browser.waiting().until(d -> {
            last[0] = arrangement();
            return condition.test(last[0]);
        });
        return last[0];
    }

    /** Waits until every edit the page queued has been answered. */
    static void settled() {
        browser.waiting().until(d -> "false".equals(d.findElement(By.cssSelector("#studio-desk .transport"))
                .getDomAttribute("data-busy")));
    }

    static void openStudio() {
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.open("/#/projects/" + project);
        browser.awaitHeading("Night song");
        browser.waiting().until(d -> "true".equals(desk().getDomAttribute("data-ready")));
        browser.waiting().until(d -> !d.findElements(By.cssSelector(".clip[data-drawn='true']")).isEmpty());
    }

    static WebElement desk() {
        return driver.findElement(By.id("studio-desk"));
    }

    static List<WebElement> clips() {
        return driver.findElements(By.cssSelector("#studio-desk .clip"));
    }

    static WebElement clip(String id) {
        return driver.findElement(By.cssSelector(".clip[data-clip-id='" + id + "']"));
    }

    static double snapFrames() {
        return Double.parseDouble(desk().getDomAttribute("data-snap-frames"));
    }

    /** A frame on the snap grid: a whole number of grid steps, rounded to a frame. */
    static void assertOnGrid(long frame) {
        double steps = frame / snapFrames();
        assertThat(Math.abs(frame - Math.round(Math.round(steps) * snapFrames()))).as("frame %d on the grid", frame)
                .isLessThanOrEqualTo(1);
    }

    /** Drags from an element's centre (plus fromX) by dx, dy, in small steps as a hand does. */
    static void drag(WebElement element, int fromX, int dx, int dy) {
        Actions actions = new Actions(driver).moveToElement(element, fromX, 0).clickAndHold();
        for (int i = 1; i <= 5; i++) {
            actions.moveByOffset(dx / 5, dy / 5);
        }
        actions.release().perform();
    }

    /** Presses key with the modifiers held (Ctrl+Z, Ctrl+Shift+Z, Alt+→) on whatever has the focus. */
    static void chord(CharSequence key, Keys... modifiers) {
        Actions actions = new Actions(driver);
        for (Keys modifier : modifiers) {
            actions.keyDown(modifier);
        }
        actions.sendKeys(key);
        for (int i = modifiers.length - 1; i >= 0; i--) {
            actions.keyUp(modifiers[i]);
        }
        actions.perform();
    }

    static long number(JsonNode node, String field) {
        return node.path(field).asLong();
    }

    // Tests -----------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theStudioOpensOnTrackOneWithItsClipDrawnAndDeskTransportTimelineAndMixerOnOneScreen() throws Exception {
        openStudio();
        JsonNode now = arrangement();
        assertThat(now.path("tracks")).hasSize(1);
        JsonNode clip = track(now, 0).path("clips").get(0);
        assertThat(driver.findElements(By.cssSelector(".tl-row"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector(".tl-row .track-name")).getDomProperty("value"))
                .isEqualTo("Track 1");
        WebElement shown = clip(clip.path("id").asText());
        assertThat(shown.getDomAttribute("data-start-frame")).isEqualTo("0");
        assertThat(shown.getDomAttribute("data-length-frames")).isEqualTo(clip.path("length_frames").asText());
        assertThat(number(clip, "length_frames")).isBetween((long) (6.4 * RATE), (long) (6.6 * RATE));
        assertThat(Integer.parseInt(shown.getDomAttribute("data-columns"))).as("waveform columns drawn")
                .isGreaterThan(200);
        assertThat(driver.findElement(By.id("tl-position")).getText()).contains("1:1", "0:00.000");
        assertThat(driver.findElement(By.cssSelector(".transport .tempo")).getText()).isEqualTo("120 BPM · 4/4");
        assertThat(driver.findElement(By.cssSelector(".strip .strip-name")).getText()).isEqualTo("Track 1");
        // transport, timeline and mixer on the first screen
        Number bottom = (Number) browser.js("return document.querySelector('#studio-desk .mixer')"
                + ".getBoundingClientRect().bottom");
        Number height = (Number) browser.js("return window.innerHeight");
        assertThat(bottom.doubleValue()).as("the mixer's bottom edge").isLessThanOrEqualTo(height.doubleValue());
        assertThat(driver.findElements(By.cssSelector("#takes li.take"))).hasSize(1);
        browser.screenshots("timeline-opened");
    }

    @Test
    @Order(2)
    void tracksAndClipsAreEditedByDragAndKeysThroughTheApiAndUndoRedoRestoreTheArrangementExactly() throws Exception {
        openStudio();
        JsonNode initial = arrangement();
        String track1 = track(initial, 0).path("id").asText();
        String clipId = track(initial, 0).path("clips").get(0).path("id").asText();
        long length = number(track(initial, 0).path("clips").get(0), "length_frames");
        int edits = 0;
        // zoomed out a step, so the whole clip stays on screen while it is moved about
        driver.findElement(By.id("tl-zoom-out")).click();

        // 1. add a track
        driver.findElement(By.id("tl-add-track")).click();
        JsonNode now = awaitArrangement(a -> a.path("tracks").size() == 2);
        String track2 = track(now, 1).path("id").asText();
        edits++;
        browser.waiting().until(d -> d.findElements(By.cssSelector(".tl-row")).size() == 2);

        // 2. drag the clip to the right: it lands on the grid
        drag(clip(clipId), 0, 120, 0);
        now = awaitArrangement(a -> number(track(a, 0).path("clips").get(0), "start_frame") > 0);
        long start = number(track(now, 0).path("clips").get(0), "start_frame");
        assertOnGrid(start);
        assertThat(start).isBetween(RATE / 2L, RATE * 2L);
        edits++;
        settled();

        // 3. drag it down onto track 2, at the same time
        int rowHeight = driver.findElement(By.cssSelector(".tl-row")).getSize().getHeight();
        drag(clip(clipId), 0, 0, rowHeight);
        now = awaitArrangement(a -> track(a, 1).path("clips").size() == 1);
        assertThat(track(now, 0).path("clips")).isEmpty();
        assertThat(number(track(now, 1).path("clips").get(0), "start_frame")).isEqualTo(start);
        edits++;
        settled();

        // 4. drag its end edge to the left: a trim to the grid
        int width = clip(clipId).getSize().getWidth();
        drag(clip(clipId), width / 2 - 3, -90, 0);
        now = awaitArrangement(a -> number(track(a, 1).path("clips").get(0), "length_frames") < length);
        JsonNode trimmed = track(now, 1).path("clips").get(0);
        assertOnGrid(number(trimmed, "start_frame") + number(trimmed, "length_frames"));
        assertThat(number(trimmed, "offset_frames")).isZero();
        edits++;
        settled();

        // 5. keys on the selected clip: Alt+→ trims its start by a grid step, → moves it by one
        long step = Math.round(snapFrames());
        clip(clipId).click();
        chord(Keys.ARROW_RIGHT, Keys.ALT);
        now = awaitArrangement(a -> number(track(a, 1).path("clips").get(0), "offset_frames") > 0);
        JsonNode startTrimmed = track(now, 1).path("clips").get(0);
        assertThat(number(startTrimmed, "offset_frames")).isCloseTo(step, within(1L));
        assertThat(number(startTrimmed, "start_frame")).isCloseTo(start + step, within(1L));
        edits++;
        settled();
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        now = awaitArrangement(a -> number(track(a, 1).path("clips").get(0), "start_frame")
                > number(startTrimmed, "start_frame"));
        JsonNode moved = track(now, 1).path("clips").get(0);
        assertThat(number(moved, "start_frame")).isCloseTo(start + 2 * step, within(1L));
        edits++;
        settled();

        // 6. the playhead into the clip (a click on the ruler), then S splits it there
        WebElement ruler = driver.findElement(By.cssSelector(".tl-ruler"));
        int clipCentre = clip(clipId).getRect().getX() + clip(clipId).getSize().getWidth() / 2;
        int rulerCentre = ruler.getRect().getX() + ruler.getSize().getWidth() / 2;
        new Actions(driver).moveToElement(ruler, clipCentre - rulerCentre, 0).click().perform();
        long playhead = Long.parseLong(desk().getDomAttribute("data-playhead-frame"));
        assertOnGrid(playhead);
        new Actions(driver).sendKeys("s").perform();
        now = awaitArrangement(a -> track(a, 1).path("clips").size() == 2);
        JsonNode left = track(now, 1).path("clips").get(0);
        JsonNode right = track(now, 1).path("clips").get(1);
        assertThat(left.path("id").asText()).isEqualTo(clipId);
        assertThat(number(right, "start_frame")).isEqualTo(playhead);
        assertThat(number(left, "length_frames") + number(right, "length_frames"))
                .isEqualTo(number(moved, "length_frames"));
        assertThat(number(right, "offset_frames")).isEqualTo(number(left, "offset_frames")
                + number(left, "length_frames"));
        edits++;
        settled();
        browser.waiting().until(d -> clips().size() == 2);
        browser.screenshots("timeline-edited");

        // 7. the second part selected and deleted with the Delete key
        clip(right.path("id").asText()).click();
        new Actions(driver).sendKeys(Keys.DELETE).perform();
        now = awaitArrangement(a -> track(a, 1).path("clips").size() == 1);
        edits++;
        settled();
        JsonNode edited = now;

        // undo every edit (Ctrl+Z): the arrangement is what it was, track 1 and its clip keep their ids
        for (int i = 0; i < edits; i++) {
            chord("z", Keys.CONTROL);
            settled();
        }
        JsonNode undone = awaitArrangement(a -> a.path("tracks").size() == 1);
        assertThat(normalized(undone, true)).isEqualTo(normalized(initial, true));
        assertThat(track(undone, 0).path("id").asText()).isEqualTo(track1);
        assertThat(driver.findElement(By.id("tl-undo")).isEnabled()).isFalse();
        browser.waiting().until(d -> clips().size() == 1 && "0".equals(clips().get(0).getDomAttribute("data-start-frame")));

        // redo every edit (Ctrl+Shift+Z, then the button): the edited arrangement again (new ids for what was
        // made again: the second track, the split's second part)
        for (int i = 0; i < edits; i++) {
            if (i % 2 == 0) {
                chord("z", Keys.CONTROL, Keys.SHIFT);
            } else {
                driver.findElement(By.id("tl-redo")).click();
            }
            settled();
        }
        JsonNode redone = awaitArrangement(a -> a.path("tracks").size() == 2);
        assertThat(normalized(redone, false)).isEqualTo(normalized(edited, false));
        assertThat(driver.findElement(By.id("tl-redo")).isEnabled()).isFalse();
        assertThat(track2).isNotEqualTo(track(redone, 1).path("id").asText());
    }

    @Test
    @Order(3)
    void muteSoloFaderAndPanChangeTheTrackThroughTheApiAndAreUndoable() throws Exception {
        openStudio();
        String first = track(arrangement(), 0).path("id").asText();
        String strip = ".strip[data-track-id='" + first + "']";
        String row = ".tl-row[data-track-id='" + first + "']";

        driver.findElement(By.cssSelector(row + " button.mute")).click();
        awaitArrangement(a -> track(a, 0).path("muted").asBoolean());
        assertThat(driver.findElement(By.cssSelector(strip + " button.mute")).getDomAttribute("aria-pressed"))
                .isEqualTo("true");
        driver.findElement(By.cssSelector(strip + " button.solo")).click();
        awaitArrangement(a -> track(a, 0).path("soloed").asBoolean());
        assertThat(driver.findElement(By.cssSelector(row)).getDomAttribute("class")).contains("silent");

        // the fader's level box: −6 dB exactly
        WebElement box = driver.findElement(By.cssSelector(strip + " input.db"));
        assertThat(box.getDomAttribute("aria-label")).startsWith("Volume of ");
        box.clear();
        box.sendKeys("-6", Keys.ENTER);
        awaitArrangement(a -> Math.abs(track(a, 0).path("volume_db").asDouble() + 6) < 1e-9);
        // the fader itself, by keys (one debounced change when the hand rests)
        WebElement fader = driver.findElement(By.cssSelector(strip + " input.fader"));
        fader.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN);
        JsonNode lowered = awaitArrangement(a -> track(a, 0).path("volume_db").asDouble() < -6.1);
        assertThat(fader.getDomAttribute("aria-valuetext")).endsWith("dB");
        // pan: five steps left
        WebElement pan = driver.findElement(By.cssSelector(strip + " input.pan"));
        pan.sendKeys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT);
        awaitArrangement(a -> Math.abs(track(a, 0).path("pan").asDouble() + 0.05) < 1e-9);
        assertThat(driver.findElement(By.cssSelector(strip + " .pan-text")).getText()).isEqualTo("L 5");
        settled();
        browser.screenshots("timeline-mixer");

        // undo the pan and the fader: back to −6 dB, centre
        driver.findElement(By.id("tl-undo")).click();
        settled();
        driver.findElement(By.id("tl-undo")).click();
        settled();
        JsonNode back = awaitArrangement(a -> Math.abs(track(a, 0).path("volume_db").asDouble() + 6) < 1e-9);
        assertThat(track(back, 0).path("pan").asDouble()).isZero();
        assertThat(lowered).isNotNull();
        // the box takes −∞ too, and silence is stored as null
        box.clear();
        box.sendKeys("-inf", Keys.ENTER);
        awaitArrangement(a -> track(a, 0).path("volume_db").isNull());
        box.clear();
        box.sendKeys("0", Keys.ENTER);
        // unmute and unsolo for the tests after
        driver.findElement(By.cssSelector(row + " button.mute")).click();
        driver.findElement(By.cssSelector(row + " button.solo")).click();
        JsonNode clean = awaitArrangement(a -> !track(a, 0).path("muted").asBoolean()
                && !track(a, 0).path("soloed").asBoolean() && track(a, 0).path("volume_db").asDouble(-1) == 0);
        assertThat(track(clean, 0).path("pan").asDouble()).isZero();
    }

    @Test
    @Order(4)
    void playMovesThePlayheadAndTheMetersAndSpacePauses() throws Exception {
        openStudio();
        driver.findElement(By.id("tl-home")).click();
        driver.findElement(By.id("tl-play")).click();
        browser.waiting().until(d -> "playing".equals(d.findElement(By.cssSelector(".transport"))
                .getDomAttribute("data-state")));
        browser.waiting().until(d -> Long.parseLong(desk().getDomAttribute("data-playhead-frame")) > RATE / 2);
        browser.waiting().until(d -> Double.parseDouble(d.findElement(By.cssSelector(".mixer"))
                .getDomAttribute("data-master-peak")) > 0.01);
        assertThat(driver.findElement(By.id("tl-position")).getText()).doesNotContain("0:00.000");
        browser.screenshots("timeline-playing");
        // Space (the focus on the page, not on a button) pauses; the playhead stays where it was
        browser.js("document.activeElement?.blur()");
        new Actions(driver).sendKeys(" ").perform();
        browser.waiting().until(d -> "stopped".equals(d.findElement(By.cssSelector(".transport"))
                .getDomAttribute("data-state")));
        long paused = Long.parseLong(desk().getDomAttribute("data-playhead-frame"));
        Browser.sleep(400);
        assertThat(Long.parseLong(desk().getDomAttribute("data-playhead-frame"))).isEqualTo(paused).isPositive();
        browser.js("document.activeElement?.blur()");
        new Actions(driver).sendKeys(Keys.HOME).perform();
        browser.waiting().until(d -> "0".equals(desk().getDomAttribute("data-playhead-frame")));
    }

    @Test
    @Order(5)
    void theBrowserRendersTheArrangementOfflineWithTheServersLaws() {
        openStudio();
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const api = await import('/js/api.js');
                  const { renderArrangement } = await import('/js/studio/timeline/mix-graph.js');
                  const { panLaw } = await import('/js/studio/timeline/mix-laws.js');
                  const doc = await api.getArrangement(arguments[0]);
                  const decoder = new OfflineAudioContext(1, 1, doc.sample_rate);
                  const buffers = new Map();
                  for (const t of doc.tracks) for (const c of t.clips) {
                    if (!buffers.has(c.take)) buffers.set(c.take, await decoder.decodeAudioData(await api.takeAudio(arguments[0], c.take)));
                  }
                  const rms = (x) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
                  const centre = await renderArrangement(doc, buffers);
                  const left = await renderArrangement({ ...doc, tracks: doc.tracks.map((t) => ({ ...t, pan: -1 })) }, buffers);
                  const quiet = await renderArrangement({ ...doc, tracks: doc.tracks.map((t) => ({ ...t, volume_db: -6 })) }, buffers);
                  const law = panLaw(1, 0, 1);
                  return { frames: centre.length, end: Math.max(...doc.tracks.flatMap((t) => t.clips.map((c) => c.start_frame + c.length_frames))),
                    rate: centre.sampleRate, centreL: rms(centre.getChannelData(0)), centreR: rms(centre.getChannelData(1)),
                    leftL: rms(left.getChannelData(0)), leftR: rms(left.getChannelData(1)),
                    quietL: rms(quiet.getChannelData(0)), lawLL: law.ll, lawLR: law.lr };
                })().then(done, (e) => done(String(e)));
                """, project.toString());
        assertThat(result).as(String.valueOf(result)).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        double centreL = ((Number) r.get("centreL")).doubleValue();
        assertThat(((Number) r.get("frames")).longValue()).isEqualTo(((Number) r.get("end")).longValue());
        assertThat(((Number) r.get("rate")).intValue()).isEqualTo(RATE);
        // a mono track in the centre: −3 dB on both sides (cos and sin of π/4)
        assertThat(((Number) r.get("lawLL")).doubleValue()).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(((Number) r.get("lawLR")).doubleValue()).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(centreL).isGreaterThan(0.01);
        assertThat(((Number) r.get("centreR")).doubleValue()).isCloseTo(centreL, within(centreL * 1e-4));
        // hard left: all of it on the left (√2 louder than in the centre), nothing on the right
        assertThat(((Number) r.get("leftL")).doubleValue()).isCloseTo(centreL * Math.sqrt(2), within(centreL * 1e-3));
        assertThat(((Number) r.get("leftR")).doubleValue()).isLessThan(1e-6);
        // the fader at −6 dB: half the amplitude (10^(−6/20))
        assertThat(((Number) r.get("quietL")).doubleValue()).isCloseTo(centreL * Math.pow(10, -6 / 20.0),
                within(centreL * 1e-3));
    }

    @Test
    @Order(6)
    void aTakeUploadedInTheTakesPanelLandsOnANewTrackNamedAfterItsFileWithItsGainAndFadesEditable() throws Exception {
        openStudio();
        int tracksBefore = arrangement().path("tracks").size();
        Path dir = Files.createTempDirectory("takes");
        Path wav = dir.resolve("bass-line.wav");
        Files.write(wav, TestAudio.sineWav(RATE, 3.0, 110));
        try {
            browser.openPanel("takes");
            assertThat(new Select(driver.findElement(By.id("take-track"))).getFirstSelectedOption().getText())
                    .isEqualTo("A new track");
            driver.findElement(By.id("take-file")).sendKeys(wav.toAbsolutePath().toString());
            JsonNode now = awaitArrangement(a -> a.path("tracks").size() == tracksBefore + 1);
            JsonNode bass = track(now, tracksBefore);
            assertThat(bass.path("name").asText()).isEqualTo("bass-line");
            JsonNode clip = bass.path("clips").get(0);
            assertThat(number(clip, "start_frame")).isZero();
            assertThat(number(clip, "length_frames")).isEqualTo(3L * RATE);
            browser.waiting().until(d -> d.findElements(By.cssSelector("#takes li.take")).size() == 2);
            browser.waiting().until(d -> "true".equals(clip(clip.path("id").asText()).getDomAttribute("data-drawn")));

            // the selected clip's fade in and gain, each its own step to undo
            clip(clip.path("id").asText()).click();
            WebElement fadeIn = browser.input("Fade in (ms)");
            fadeIn.clear();
            fadeIn.sendKeys("250", Keys.ENTER);
            awaitArrangement(a -> number(track(a, tracksBefore).path("clips").get(0), "fade_in_frames") == RATE / 4);
            WebElement gain = browser.input("Clip gain (dB)");
            gain.clear();
            gain.sendKeys("-3", Keys.ENTER);
            awaitArrangement(a -> track(a, tracksBefore).path("clips").get(0).path("gain_db").asDouble() == -3);
            settled();
            browser.screenshots("timeline-takes");
            for (int i = 0; i < 2; i++) {
                driver.findElement(By.id("tl-undo")).click();
                settled();
            }
            JsonNode undone = awaitArrangement(a -> track(a, tracksBefore).path("clips").get(0)
                    .path("gain_db").asDouble() == 0);
            assertThat(number(track(undone, tracksBefore).path("clips").get(0), "fade_in_frames")).isZero();
            // one more undo takes the placed take off, its track with it; the take stays in the pool
            driver.findElement(By.id("tl-undo")).click();
            awaitArrangement(a -> a.path("tracks").size() == tracksBefore);
            assertThat(driver.findElements(By.cssSelector("#takes li.take"))).hasSize(2);
            // closed again: this tab would open it with the studio from now on
            driver.findElement(By.id("panel-close-takes")).click();
            browser.waiting().until(d -> !d.findElement(By.id("studio-dock")).isDisplayed());
        } finally {
            Files.deleteIfExists(wav);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @Order(7)
    void whatTheBrowserPlaysIsWhatTheServerMixesDown() throws Exception {
        // three tracks without effects: a mono melody, a mono bass (faded in, panned left, a clip gain, an offset
        // into its take) and a stereo take panned right; faders below 0 dB so nothing clips
        UUID song = TestProjects.projectWithAudio(server, musician, "Three parts", TestAudio.melodyWav(RATE, 8));
        String base = "/api/v1/projects/" + song;
        Http http = server.http();
        String bass = http.raw("POST", base + "/takes?name=Bass", musician.token(), "audio/wav",
                TestAudio.sineWav(RATE, 3.0, 110)).json().path("take").path("take").asText();
        String pad = http.raw("POST", base + "/takes?name=Pad", musician.token(), "audio/wav",
                TestAudio.wav(RATE, 2, 2.5)).json().path("take").path("take").asText();
        String melodyTrack = track(http.get(base + "/arrangement", musician.token()).json(), 0).path("id").asText();
        assertThat(http.patch(base + "/tracks/" + melodyTrack, musician.token(),
                Map.of("volume_db", -4.0, "pan", 0.2)).status()).isEqualTo(200);
        String bassTrack = http.post(base + "/tracks", musician.token(), Map.of("name", "Bass", "volume_db", -6.0,
                "pan", -0.6)).json().path("id").asText();
        assertThat(http.post(base + "/tracks/" + bassTrack + "/clips", musician.token(), Map.of("take", bass,
                "start_frame", RATE / 2, "offset_frames", 4410, "length_frames", 2 * RATE, "gain_db", -2.5,
                "fade_in_frames", RATE / 4, "fade_out_frames", RATE / 10)).status()).isEqualTo(201);
        String padTrack = http.post(base + "/tracks", musician.token(), Map.of("name", "Pad", "volume_db", -9.0,
                "pan", 0.5)).json().path("id").asText();
        assertThat(http.post(base + "/tracks/" + padTrack + "/clips", musician.token(), Map.of("take", pad,
                "start_frame", RATE, "length_frames", 2 * RATE)).status()).isEqualTo(201);

        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.open("/#/projects/" + song);
        browser.awaitHeading("Three parts");
        browser.waiting().until(d -> "true".equals(desk().getDomAttribute("data-ready")));
        driver.findElement(By.id("tl-mixdown")).click();
        browser.waiting(Duration.ofSeconds(90)).until(d ->
                "succeeded".equals(d.findElement(By.id("bounce-status")).getDomAttribute("data-status")));
        assertThat(driver.findElement(By.id("bounce-status")).getText()).startsWith("Mixed: true peak");
        assertThat(driver.findElement(By.id("bounce-status")).getDomAttribute("data-clipped")).isEqualTo("false");

        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const id = arguments[0];
                (async () => {
                  const api = await import('/js/api.js');
                  const { renderArrangement } = await import('/js/studio/timeline/mix-graph.js');
                  const doc = await api.getArrangement(id);
                  const decoder = new OfflineAudioContext(2, 1, doc.sample_rate);
                  const buffers = new Map();
                  for (const t of doc.tracks) for (const c of t.clips) {
                    if (!buffers.has(c.take)) {
                      buffers.set(c.take, await decoder.decodeAudioData(await api.takeAudio(id, c.take)));
                    }
                  }
                  const mine = await renderArrangement(doc, buffers);
                  const theirs = await decoder.decodeAudioData(
                    await api.api('GET', `/projects/${id}/audio/processed`, { as: 'arrayBuffer' }));
                  const correlation = (a, b) => {
                    let ab = 0, aa = 0, bb = 0;
                    for (let i = 0; i < Math.min(a.length, b.length); i++) {
                      ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i];
                    }
                    return ab / Math.sqrt(aa * bb);
                  };
                  let difference = 0;
                  for (let c = 0; c < 2; c++) {
                    const a = mine.getChannelData(c), b = theirs.getChannelData(c);
                    for (let i = 0; i < Math.min(a.length, b.length); i++) {
                      difference = Math.max(difference, Math.abs(a[i] - b[i]));
                    }
                  }
                  return { browserFrames: mine.length, serverFrames: theirs.length, rate: theirs.sampleRate,
                    left: correlation(mine.getChannelData(0), theirs.getChannelData(0)),
                    right: correlation(mine.getChannelData(1), theirs.getChannelData(1)), difference };
                })().then(done, (e) => done(String(e)));
                """, song.toString());
        assertThat(result).as(String.valueOf(result)).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) result;
        assertThat(r.get("rate").intValue()).isEqualTo(RATE);
        assertThat(r.get("browserFrames").longValue()).as("the same length: %s", r)
                .isEqualTo(r.get("serverFrames").longValue());
        assertThat(r.get("left").doubleValue()).as("left side: %s", r).isGreaterThanOrEqualTo(0.99);
        assertThat(r.get("right").doubleValue()).as("right side: %s", r).isGreaterThanOrEqualTo(0.99);
        browser.screenshots("timeline-mixdown");
    }

    @Test
    @Order(8)
    void theMasterFaderIsTheSongsItIsStoredUndoableAndTheBrowserRenderPlaysIt() throws Exception {
        openStudio();
        assertThat(arrangement().path("master").path("volume_db").asDouble(-1)).isEqualTo(0.0);
        WebElement box = driver.findElement(By.cssSelector(".strip.master input.db"));
        WebElement fader = driver.findElement(By.id("fader-master"));
        assertThat(fader.isEnabled()).isTrue();
        // the level box: −6 dB exactly, stored with the song
        box.clear();
        box.sendKeys("-6", Keys.ENTER);
        awaitArrangement(a -> Math.abs(a.path("master").path("volume_db").asDouble() + 6) < 1e-9);
        // the fader by keys: one debounced change when the hand rests, one step to undo
        fader.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
        awaitArrangement(a -> Math.abs(a.path("master").path("volume_db").asDouble() + 7) < 1e-9);
        settled();
        driver.findElement(By.id("tl-undo")).click();
        settled();
        awaitArrangement(a -> Math.abs(a.path("master").path("volume_db").asDouble() + 6) < 1e-9);
        browser.waiting().until(d -> "−6.0".equals(box.getDomProperty("value")));

        // a reload shows the song's level (not this device's)
        openStudio();
        assertThat(driver.findElement(By.cssSelector(".strip.master input.db")).getDomProperty("value"))
                .isEqualTo("−6.0");

        // what the browser renders of the song plays the master fader: −6 dB is half the amplitude of 0 dB
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const api = await import('/js/api.js');
                  const { renderArrangement } = await import('/js/studio/timeline/mix-graph.js');
                  const doc = await api.getArrangement(arguments[0]);
                  const decoder = new OfflineAudioContext(1, 1, doc.sample_rate);
                  const buffers = new Map();
                  for (const t of doc.tracks) for (const c of t.clips) {
                    if (!buffers.has(c.take)) buffers.set(c.take, await decoder.decodeAudioData(await api.takeAudio(arguments[0], c.take)));
                  }
                  const rms = (x) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
                  const song = await renderArrangement(doc, buffers);
                  const unity = await renderArrangement(doc, buffers, { masterDb: 0 });
                  return { master: doc.master.volume_db, song: rms(song.getChannelData(0)), unity: rms(unity.getChannelData(0)) };
                })().then(done, (e) => done(String(e)));
                """, project.toString());
        assertThat(result).as(String.valueOf(result)).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) result;
        assertThat(r.get("master").doubleValue()).isEqualTo(-6.0);
        assertThat(r.get("unity").doubleValue()).isGreaterThan(0.01);
        assertThat(r.get("song").doubleValue()).isCloseTo(r.get("unity").doubleValue() * Math.pow(10, -6 / 20.0),
                within(r.get("unity").doubleValue() * 1e-3));

        // −∞ is stored as null; then back to 0 dB for the tests after
        WebElement again = driver.findElement(By.cssSelector(".strip.master input.db"));
        again.clear();
        again.sendKeys("-inf", Keys.ENTER);
        awaitArrangement(a -> a.path("master").has("volume_db") && a.path("master").path("volume_db").isNull());
        again.clear();
        again.sendKeys("0", Keys.ENTER);
        awaitArrangement(a -> a.path("master").path("volume_db").asDouble(-1) == 0);
        settled();
    }

    @Test
    @Order(9)
    void aTracksEffectsButtonOpensTheChainEditorForThatTrackAndSavingStoresTheTracksChainUndoably() throws Exception {
        openStudio();
        String first = track(arrangement(), 0).path("id").asText();
        assertThat(track(arrangement(), 0).path("effects_chain")).isEmpty();
        driver.findElement(By.cssSelector(".strip[data-track-id='" + first + "'] button.effects")).click();
        browser.waiting().until(d -> d.findElement(By.id("track-effects")).isDisplayed());
        assertThat(driver.findElement(By.id("track-effects")).getDomAttribute("data-track-id")).isEqualTo(first);
        new Select(driver.findElement(By.id("track-effect-type"))).selectByValue("gain");
        driver.findElement(By.id("track-add-effect")).click();
        assertThat(driver.findElement(By.id("track-chain-save-state")).getText()).isEqualTo("Unsaved changes");
        driver.findElement(By.id("track-save-effects")).click();
        JsonNode saved = awaitArrangement(a -> track(a, 0).path("effects_chain").size() == 1);
        assertThat(track(saved, 0).path("effects_chain").path(0).path("type").asText()).isEqualTo("gain");
        browser.waiting().until(d -> "Saved".equals(d.findElement(By.id("track-chain-save-state")).getText()));
        assertThat(driver.findElement(By.cssSelector(".strip[data-track-id='" + first + "'] button.effects"))
                .getDomAttribute("data-count")).isEqualTo("1");
        assertThat(driver.findElements(By.cssSelector("#effects-chain li.effect")))
                .as("the master bus chain is not the track's").isEmpty();
        browser.screenshots("timeline-track-effects");

        // the save is one step of the desk's history: undo takes the effect off the track again
        driver.findElement(By.id("track-effects-close")).click();
        settled();
        driver.findElement(By.id("tl-undo")).click();
        settled();
        awaitArrangement(a -> track(a, 0).path("effects_chain").isEmpty());
    }

    @Test
    @Order(10)
    void onAPhoneTracksScrollVerticallyTimeScrollsSidewaysAndTheTransportStaysInView() throws Exception {
        for (int i = 0; i < 6; i++) {
            Http.Response made = server.http().post("/api/v1/projects/" + project + "/tracks", musician.token(),
                    Map.of("name", "Part " + (i + 2)));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
        }
        openStudio();
        browser.viewport(390, 844);
        browser.waiting().until(d -> d.findElements(By.cssSelector(".tl-row")).size() >= 7);
        Browser.sleep(300);
        String scroller = "document.querySelector('.tl-scroll')";
        // the tracks scroll vertically inside the timeline
        assertThat((Boolean) browser.js("const s = " + scroller + "; return s.scrollHeight > s.clientHeight;"))
                .isTrue();
        // zoomed in, time scrolls sideways while the track headers stay at the left edge
        for (int i = 0; i < 4; i++) {
            driver.findElement(By.id("tl-zoom-in")).click();
        }
        assertThat((Boolean) browser.js("const s = " + scroller + "; return s.scrollWidth > s.clientWidth * 2;"))
                .isTrue();
        browser.js(scroller + ".scrollLeft = 400;");
        Browser.sleep(200);
        Number headLeft = (Number) browser.js("return document.querySelector('.tl-head').getBoundingClientRect().left"
                + " - " + scroller + ".getBoundingClientRect().left;");
        assertThat(headLeft.doubleValue()).isCloseTo(0, within(1.0));
        // the transport stays on screen wherever the page is scrolled
        for (String where : List.of("0", "document.body.scrollHeight")) {
            browser.js("window.scrollTo(0, " + where + ")");
            Browser.sleep(150);
            @SuppressWarnings("unchecked")
            Map<String, Number> rect = (Map<String, Number>) browser.js("const r = document.querySelector("
                    + "'.transport').getBoundingClientRect(); return {top: r.top, bottom: r.bottom, width: r.width,"
                    + " height: window.innerHeight};");
            assertThat(rect.get("top").doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(rect.get("bottom").doubleValue()).isLessThanOrEqualTo(rect.get("height").doubleValue());
            assertThat(rect.get("width").doubleValue()).isLessThanOrEqualTo(390);
        }
        assertThat(driver.findElement(By.id("tl-play")).isDisplayed()).isTrue();
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling of the page itself").isTrue();
        browser.screenshots("timeline-phone");
    }
}
