package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The desk plays a track's effects (headless Chromium): while a three-minute stereo song plays, effects saved on its
 * track from the mixer strip's chain editor are heard within 2 s (the strip's {@code data-heard} says what the
 * playback graph plays of the track: its {@code preview} or its {@code clips}, and it passes through "rendering
 * effects…"); a preview that cannot be had leaves the track dry with a note on its strip; what the browser renders of
 * a song with previews for its tracks with effects is what the server's mixdown of it is (correlation ≥ 0.99 per
 * side); and a viewer mutes and solos the tracks for themselves (heard, shown as only theirs, nothing sent).
 * Screenshots go to {@code server/target/screenshots/track-preview*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrackPreviewWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers()
            .with("STUDIO_RATE_LIMIT_WRITES_PER_MINUTE", "0");
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static final int RATE = 44_100;
    static WebDriver driver;
    static Musician owner;
    static Musician viewer;
    static UUID song;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        owner = Musicians.signUp(server.http(), "fx");
        Musicians.setPlan(database, owner.id(), "pro");
        viewer = Musicians.signUp(server.http(), "ear");
        // three minutes of stereo: the length the issue asks a new sound within 2 s for
        song = TestProjects.projectWithAudio(server, owner, "Three minutes", TestAudio.wav(RATE, 2, 180));
        TestProjects.collaborate(server, owner, song, viewer, "viewer");
        warmUp();
        browser.signIn(owner.email(), Musicians.PASSWORD);
    }

    /**
     * The 2 s is a working server's: one that has rendered before. A fresh JVM's first previews also pay the
     * JIT's compilation of the mixer and the effects (bench/track-preview.sh: 0.6 s instead of 0.4 s for three
     * minutes), which on this busy two-core machine, beside Chromium playing, is the difference between passing and
     * not. So the server renders a short track with the same effects a few times first.
     */
    static void warmUp() {
        UUID other = TestProjects.projectWithAudio(server, owner, "Warm up", TestAudio.wav(RATE, 2, 20));
        String base = "/api/v1/projects/" + other;
        String track = arrangement(other).path("tracks").path(0).path("id").asText();
        assertThat(server.http().patch(base + "/tracks/" + track, owner.token(), Map.of("effects_chain", List.of(
                Map.of("type", "reverb", "settings", Map.of()), Map.of("type", "delay", "settings", Map.of()))))
                .status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(server.http().get(base + "/tracks/" + track + "/preview", owner.token()).status())
                    .isEqualTo(200);
        }
    }

    static JsonNode arrangement(UUID project) {
        Http.Response answer = server.http().get("/api/v1/projects/" + project + "/arrangement", owner.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    static WebElement desk() {
        return driver.findElement(By.id("studio-desk"));
    }

    static void openDesk(UUID project, String title) {
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.open("/#/projects/" + project);
        browser.awaitHeading(title);
        browser.waiting().until(d -> "true".equals(desk().getDomAttribute("data-ready")));
    }

    static void play() {
        driver.findElement(By.id("tl-play")).click();
        browser.waiting(Duration.ofSeconds(60)).until(d -> "playing".equals(d.findElement(By.cssSelector(".transport"))
                .getDomAttribute("data-state")));
    }

    static void stop() {
        driver.findElement(By.id("tl-stop")).click();
        browser.waiting().until(d -> "stopped".equals(d.findElement(By.cssSelector(".transport"))
                .getDomAttribute("data-state")));
    }

    /** Presses a button from the keyboard (Enter), as a musician tabbing through the chain editor does. */
    static void press(By control) {
        driver.findElement(control).sendKeys(Keys.ENTER);
    }

    /** Picks an effect in the open track chain editor and adds it. */
    static void addEffect(String type) {
        new Select(driver.findElement(By.id("track-effect-type"))).selectByValue(type);
        press(By.id("track-add-effect"));
    }

    static String strip(String trackId) {
        return ".strip[data-track-id='" + trackId + "']";
    }

    @Test
    @Order(1)
    void effectsSavedWhilePlayingAreHeardFromTheServersPreviewWithinTwoSeconds() throws Exception {
        openDesk(song, "Three minutes");
        String track = arrangement(song).path("tracks").path(0).path("id").asText();
        play();
        browser.waiting().until(d -> "clips".equals(d.findElement(By.cssSelector(strip(track)))
                .getDomAttribute("data-heard")));
        // every change of the strip's data-preview and data-heard, with the page's clock
        browser.js("""
                window.__changes = [];
                new MutationObserver((records) => {
                  for (const r of records) window.__changes.push({ name: r.attributeName,
                    value: r.target.getAttribute(r.attributeName), at: performance.now() });
                }).observe(document.querySelector(arguments[0]), { attributes: true,
                  attributeFilter: ['data-preview', 'data-heard'] });
                """, strip(track));

        press(By.cssSelector(strip(track) + " button.effects"));
        browser.waiting().until(d -> d.findElement(By.id("track-effects")).isDisplayed());
        addEffect("reverb");
        addEffect("delay");
        browser.js("window.__savedAt = performance.now();");
        press(By.id("track-save-effects"));
        browser.waiting().until(d -> "preview".equals(d.findElement(By.cssSelector(strip(track)))
                .getDomAttribute("data-heard")));
        assertThat(driver.findElement(By.cssSelector(strip(track))).getDomAttribute("data-preview"))
                .isEqualTo("ready");
        assertThat(driver.findElement(By.cssSelector(".transport")).getDomAttribute("data-state"))
                .as("still playing: the new sound took over the track").isEqualTo("playing");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> changes = (List<Map<String, Object>>) browser.js("return window.__changes;");
        double savedAt = ((Number) browser.js("return window.__savedAt;")).doubleValue();
        assertThat(changes).as("the strip said the effects were rendering")
                .anyMatch(c -> "data-preview".equals(c.get("name")) && "rendering".equals(c.get("value")));
        double heardAt = changes.stream()
                .filter(c -> "data-heard".equals(c.get("name")) && "preview".equals(c.get("value")))
                .mapToDouble(c -> ((Number) c.get("at")).doubleValue()).min().orElseThrow();
        Object timing = browser.js("""
                const e = performance.getEntriesByType('resource').filter((r) => r.name.includes('/preview')).pop();
                const patch = performance.getEntriesByType('resource').filter((r) => r.name.includes('/tracks/')
                  && !r.name.includes('/preview') && r.startTime >= arguments[0]).shift();
                return { saveAnswered: patch && patch.responseEnd - arguments[0],
                  previewAsked: e.startTime - arguments[0], firstByte: e.responseStart - arguments[0],
                  lastByte: e.responseEnd - arguments[0], bytes: e.encodedBodySize };
                """, savedAt);
        System.out.printf("[measure] a 3-minute stereo track's new effects (reverb + delay) heard %.0f ms after "
                + "the save click; ms after the click: %s%n", heardAt - savedAt, timing);
        assertThat(heardAt - savedAt).as("ms from the save click to the new sound in the playback graph")
                .isLessThan(2000);
        assertThat(arrangement(song).path("tracks").path(0).path("effects_chain")).hasSize(2);
        browser.screenshots("track-preview-playing");

        // a preview that cannot be had: the track falls back to its dry clips and its strip says so
        browser.js("""
                window.__fetch = window.fetch;
                window.fetch = (url, options) => String(url).includes('/preview')
                  ? Promise.reject(new TypeError('unreachable')) : window.__fetch(url, options);
                """);
        addEffect("gain");
        press(By.id("track-save-effects"));
        browser.waiting().until(d -> "failed".equals(d.findElement(By.cssSelector(strip(track)))
                .getDomAttribute("data-preview")));
        browser.waiting().until(d -> "clips".equals(d.findElement(By.cssSelector(strip(track)))
                .getDomAttribute("data-heard")));
        WebElement note = driver.findElement(By.cssSelector(strip(track) + " .fx-note"));
        assertThat(note.isDisplayed()).isTrue();
        assertThat(note.getText()).isEqualTo("effects not heard: playing dry");
        assertThat(note.getDomAttribute("title")).contains("could not be rendered");
        browser.screenshots("track-preview-failed");

        // reachable again: the next change of the track's effects is heard from its preview
        browser.js("window.fetch = window.__fetch;");
        press(By.cssSelector("#track-effects li.effect:last-child button[aria-label^='Remove']"));
        press(By.id("track-save-effects"));
        browser.waiting().until(d -> "preview".equals(d.findElement(By.cssSelector(strip(track)))
                .getDomAttribute("data-heard")));
        assertThat(driver.findElement(By.cssSelector(strip(track) + " .fx-note")).isDisplayed()).isFalse();
        stop();
    }

    @Test
    @Order(2)
    void whatTheBrowserPlaysWithPreviewsIsWhatTheServerMixesDownWithEffects() throws Exception {
        // three tracks: a mono melody with a reverb, a mono bass (panned, a clip gain, a fade, an equalizer and a
        // delay) and a stereo pad without effects; every track ends where the song ends, so no effect rings on
        UUID project = TestProjects.projectWithAudio(server, owner, "Wet mix", TestAudio.melodyWav(RATE, 8));
        String base = "/api/v1/projects/" + project;
        Http http = server.http();
        long end = arrangement(project).path("tracks").path(0).path("clips").path(0).path("length_frames").asLong();
        String melodyTrack = arrangement(project).path("tracks").path(0).path("id").asText();
        String bass = http.raw("POST", base + "/takes?name=Bass", owner.token(), "audio/wav",
                TestAudio.sineWav(RATE, 6.0, 110)).json().path("take").path("take").asText();
        String pad = http.raw("POST", base + "/takes?name=Pad", owner.token(), "audio/wav",
                TestAudio.wav(RATE, 2, 6.0)).json().path("take").path("take").asText();
        assertThat(http.patch(base + "/tracks/" + melodyTrack, owner.token(), Map.of("volume_db", -6.0, "pan", 0.2,
                "effects_chain", List.of(Map.of("type", "reverb", "settings", Map.of("room_size", 0.5,
                        "damping", 0.5, "wet_level", 0.25))))).status()).isEqualTo(200);
        String bassTrack = http.post(base + "/tracks", owner.token(), Map.of("name", "Bass", "volume_db", -8.0,
                "pan", -0.6, "effects_chain", List.of(
                        Map.of("type", "equalizer", "settings", Map.of("low", 1.4, "mid", 0.9, "high", 0.8)),
                        Map.of("type", "delay", "settings", Map.of("time", 0.25, "feedback", 0.3, "mix", 0.3)))))
                .json().path("id").asText();
        assertThat(http.post(base + "/tracks/" + bassTrack + "/clips", owner.token(), Map.of("take", bass,
                "start_frame", RATE / 2, "offset_frames", 4410, "length_frames", end - RATE / 2, "gain_db", -2.5,
                "fade_in_frames", RATE / 4)).status()).isEqualTo(201);
        String padTrack = http.post(base + "/tracks", owner.token(), Map.of("name", "Pad", "volume_db", -12.0,
                "pan", 0.5)).json().path("id").asText();
        assertThat(http.post(base + "/tracks/" + padTrack + "/clips", owner.token(), Map.of("take", pad,
                "start_frame", RATE, "length_frames", end - RATE)).status()).isEqualTo(201);
        Http.Response queued = http.post(base + "/mixdown", owner.token(), null);
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode job = TestProjects.awaitJob(server, owner, queued.json().path("id").asText(), Duration.ofSeconds(90));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");

        openDesk(project, "Wet mix");
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const id = arguments[0];
                (async () => {
                  const api = await import('/js/api.js');
                  const { renderArrangement } = await import('/js/studio/timeline/mix-graph.js');
                  const { hasEffects } = await import('/js/studio/timeline/track-previews.js');
                  const doc = await api.getArrangement(id);
                  const decoder = new OfflineAudioContext(2, 1, doc.sample_rate);
                  const buffers = new Map();
                  for (const t of doc.tracks) for (const c of t.clips) {
                    if (!buffers.has(c.take)) buffers.set(c.take, await decoder.decodeAudioData(await api.takeAudio(id, c.take)));
                  }
                  const previews = new Map();
                  for (const t of doc.tracks) {
                    if (hasEffects(t)) previews.set(t.id, await decoder.decodeAudioData(
                      await api.api('GET', `/projects/${id}/tracks/${t.id}/preview`, { as: 'arrayBuffer' })));
                  }
                  const theirs = await decoder.decodeAudioData(
                    await api.api('GET', `/projects/${id}/audio/processed`, { as: 'arrayBuffer' }));
                  const correlation = (a, b) => {
                    let ab = 0, aa = 0, bb = 0;
                    for (let i = 0; i < Math.min(a.length, b.length); i++) {
                      ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i];
                    }
                    return ab / Math.sqrt(aa * bb);
                  };
                  const wet = await renderArrangement(doc, buffers, { previews });
                  const dry = await renderArrangement(doc, buffers);
                  return { previews: previews.size, channels: [...previews.values()].map((b) => b.numberOfChannels),
                    browserFrames: wet.length, serverFrames: theirs.length,
                    left: correlation(wet.getChannelData(0), theirs.getChannelData(0)),
                    right: correlation(wet.getChannelData(1), theirs.getChannelData(1)),
                    dryLeft: correlation(dry.getChannelData(0), theirs.getChannelData(0)) };
                })().then(done, (e) => done(String(e)));
                """, project.toString());
        assertThat(result).as(String.valueOf(result)).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        System.out.println("[measure] browser with previews against the server's mixdown: " + r);
        assertThat(((Number) r.get("previews")).intValue()).isEqualTo(2);
        assertThat(r.get("channels")).as("mono tracks have mono previews").isEqualTo(List.of(1L, 1L));
        assertThat(((Number) r.get("browserFrames")).longValue()).isEqualTo(((Number) r.get("serverFrames")).longValue());
        assertThat(((Number) r.get("left")).doubleValue()).as("left: %s", r).isGreaterThanOrEqualTo(0.99);
        assertThat(((Number) r.get("right")).doubleValue()).as("right: %s", r).isGreaterThanOrEqualTo(0.99);
        assertThat(((Number) r.get("dryLeft")).doubleValue()).as("without the previews the effects are missing")
                .isLessThan(((Number) r.get("left")).doubleValue());
    }

    @Test
    @Order(3)
    void aViewerMutesAndSolosForThemselvesOnlyNothingIsSentAndTheSongStaysAsSaved() throws Exception {
        UUID project = TestProjects.projectWithAudio(server, owner, "Listen along", TestAudio.melodyWav(RATE, 8));
        TestProjects.collaborate(server, owner, project, viewer, "viewer");
        Http.Response second = server.http().post("/api/v1/projects/" + project + "/tracks", owner.token(),
                Map.of("name", "Empty"));
        assertThat(second.status()).isEqualTo(201);
        String track = arrangement(project).path("tracks").path(0).path("id").asText();
        browser.open("/#/projects");
        browser.signOut();
        browser.signIn(viewer.email(), Musicians.PASSWORD);
        try {
            openDesk(project, "Listen along");
            WebElement mute = driver.findElement(By.cssSelector(strip(track) + " button.mute"));
            WebElement solo = driver.findElement(By.cssSelector(strip(track) + " button.solo"));
            assertThat(mute.isEnabled()).isTrue();
            assertThat(driver.findElement(By.cssSelector(strip(track) + " input.fader")).isEnabled()).isFalse();
            WebElement onlyYou = driver.findElement(By.cssSelector(strip(track) + " .only-you"));
            assertThat(onlyYou.isDisplayed()).isTrue();
            assertThat(onlyYou.getText()).contains("only for you");
            assertThat(mute.getDomAttribute("aria-describedby")).isEqualTo(onlyYou.getDomAttribute("id"));
            // count what the page sends that is not a read
            browser.js("""
                    window.__writes = [];
                    const send = window.fetch;
                    window.fetch = (url, options) => {
                      if (options?.method && options.method !== 'GET') window.__writes.push(options.method + ' ' + url);
                      return send(url, options);
                    };
                    """);
            play();
            browser.waiting().until(d -> Double.parseDouble(d.findElement(By.cssSelector(".mixer"))
                    .getDomAttribute("data-master-peak")) > 0.01);
            mute.click();
            assertThat(mute.getDomAttribute("aria-pressed")).isEqualTo("true");
            browser.waiting().until(d -> Double.parseDouble(d.findElement(By.cssSelector(".mixer"))
                    .getDomAttribute("data-master-peak")) < 0.001);
            assertThat(driver.findElement(By.cssSelector(strip(track))).getDomAttribute("data-local-mix"))
                    .isEqualTo("true");
            browser.screenshots("track-preview-viewer");
            mute.click();
            browser.waiting().until(d -> Double.parseDouble(d.findElement(By.cssSelector(".mixer"))
                    .getDomAttribute("data-master-peak")) > 0.01);
            // solo the empty track: only it is heard, so nothing is
            String empty = arrangement(project).path("tracks").path(1).path("id").asText();
            driver.findElement(By.cssSelector(strip(empty) + " button.solo")).click();
            browser.waiting().until(d -> Double.parseDouble(d.findElement(By.cssSelector(".mixer"))
                    .getDomAttribute("data-master-peak")) < 0.001);
            assertThat(solo.getDomAttribute("aria-pressed")).isEqualTo("false");
            stop();
            assertThat((List<?>) browser.js("return window.__writes;")).as("nothing sent").isEmpty();
            JsonNode saved = arrangement(project);
            for (JsonNode t : saved.path("tracks")) {
                assertThat(t.path("muted").asBoolean()).isFalse();
                assertThat(t.path("soloed").asBoolean()).isFalse();
            }
        } finally {
            browser.signOut();
            browser.signIn(owner.email(), Musicians.PASSWORD);
        }
    }
}
