package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import studio.nexus.testing.Browser;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The listening side of the studio in headless Chromium: the zoomable waveform, a loop region marked by keyboard
 * fields and by a mouse drag, looped playback, A/B between original and processed keeping the position, the
 * browser metronome (beats scheduled on the audio clock 60/BPM apart, tap tempo, saving the project tempo), and an
 * AI transformation followed over its event stream whose output becomes a source of the player. Any browser console
 * error fails a test ({@link Browser}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlayerWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    /** 12 sung-like notes and a quarter second of silence either side: 6.5 s at 22.05 kHz. */
    static final double SECONDS = 6.5;
    static WebDriver driver;
    static String studioUrl;

    @BeforeAll
    static void start() {
        driver = browser.driver();
    }

    String canvas(String attribute) {
        return browser.byId("waveform").getDomAttribute(attribute);
    }

    double canvasNumber(String attribute) {
        return Double.parseDouble(canvas(attribute));
    }

    double currentTime() {
        return ((Number) browser.js("return document.getElementById('player').currentTime")).doubleValue();
    }

    /**
     * Opens the studio afresh (through "My projects": the same hash URL again would not leave the page), with its
     * Audio panel open.
     */
    void openStudio() {
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.open(studioUrl);
        browser.awaitHeading("Loop practice");
        browser.openPanel("audio");
        browser.waiting().until(d -> "true".equals(canvas("data-drawn")));
        browser.waiting().until(d -> browser.audioReady("original"));
    }

    @Test
    @Order(1)
    void theWaveformZoomsInWithButtonsAndKeysAndScrolls() throws Exception {
        browser.signUp("pia@example.com", "pia_loops", "correct horse battery");
        browser.createProject("Loop practice");
        studioUrl = driver.getCurrentUrl().replace(browser.base(), "");
        browser.uploadAudio(TestAudio.melodyWav(22_050, 12));
        assertThat(canvas("data-zoom")).isEqualTo("1");
        assertThat(canvas("data-samples-per-pixel")).isEqualTo("256");
        assertThat(browser.byId("waveform-scroll").isEnabled()).as("nothing to scroll at 1×").isFalse();
        long wholeLit = browser.waveformPixelsLit();
        int draws = Integer.parseInt(canvas("data-draws"));

        // buttons: 1× → 2× → 4×, the window is a quarter of the take, and the canvas drew it
        browser.byId("zoom-in").click();
        browser.byId("zoom-in").click();
        assertThat(canvas("data-zoom")).isEqualTo("4");
        assertThat(Integer.parseInt(canvas("data-draws"))).isGreaterThan(draws);
        assertThat(canvasNumber("data-view-end") - canvasNumber("data-view-start")).isCloseTo(0.25, within(1e-3));
        assertThat(browser.byId("zoom-level").getText()).isEqualTo("4×");

        // keys on the focused canvas: + zooms to 8×, where the stored 256-samples-per-pixel peaks are too coarse, so
        // a finer level is fetched and drawn: the notes' waves show, not a solid block
        WebElement waveform = browser.byId("waveform");
        browser.js("arguments[0].focus()", waveform);
        waveform.sendKeys("+");
        assertThat(canvas("data-zoom")).isEqualTo("8");
        browser.waiting().until(d -> Integer.parseInt(canvas("data-samples-per-pixel")) < 256);
        assertThat(browser.waveformPixelsLit()).as("lit pixels at 8× against the whole take").isNotEqualTo(wholeLit);
        waveform.sendKeys("-");
        assertThat(canvas("data-zoom")).isEqualTo("4");

        // scrolling: the slider and the arrow keys move the window
        double start = canvasNumber("data-view-start");
        WebElement scroll = browser.byId("waveform-scroll");
        assertThat(scroll.isEnabled()).isTrue();
        scroll.sendKeys(Keys.END);
        assertThat(canvasNumber("data-view-end")).isCloseTo(1.0, within(1e-3));
        waveform.sendKeys(Keys.ARROW_LEFT);
        assertThat(canvasNumber("data-view-start")).isLessThan(0.75).isNotEqualTo(start);

        // playing follows the playhead: it jumps to the start of the take, the window goes with it
        browser.js("const a = document.getElementById('player'); a.currentTime = 0.2; a.play().catch(() => {});");
        browser.waiting().until(d -> canvasNumber("data-view-start") < 0.05);
        browser.js("document.getElementById('player').pause()");

        browser.byId("zoom-fit").click();
        assertThat(canvas("data-zoom")).isEqualTo("1");
        assertThat(canvasNumber("data-view-start")).isZero();
    }

    @Test
    @Order(2)
    void aRegionMarkedByFieldsOrByDraggingLoopsThePlayback() {
        openStudio();
        // keyboard: labelled fields in seconds
        browser.input("Loop start (s)").sendKeys("1");
        browser.input("Loop end (s)").sendKeys("2", Keys.TAB);
        assertThat(canvas("data-loop-start")).isEqualTo("1.000");
        assertThat(canvas("data-loop-end")).isEqualTo("2.000");
        WebElement loop = browser.input("Loop");
        assertThat(loop.isEnabled()).isTrue();
        loop.click();

        // play from the start: playback jumps into the region and stays in it, going round several times
        List<Double> times = sampleWhilePlaying(0.0, 2600);
        assertThat(times).hasSizeGreaterThan(15).allSatisfy(t -> assertThat(t).isBetween(0.999, 2.1));
        assertThat(wraps(times)).as("loops back to the start: %s", times).isGreaterThanOrEqualTo(2);

        // clearing the region ends the loop
        browser.byId("loop-clear").click();
        assertThat(canvas("data-loop-start")).isNull();
        assertThat(browser.input("Loop start (s)").getDomProperty("value")).isEmpty();
        assertThat(loop.isSelected()).isFalse();
        assertThat(loop.isEnabled()).isFalse();

        // a click on the waveform seeks; a mouse drag from a quarter to three quarters marks a region
        WebElement waveform = browser.byId("waveform");
        int width = waveform.getRect().getWidth();
        new Actions(driver).moveToElement(waveform).click().perform();
        browser.waiting().until(d -> Math.abs(currentTime() - SECONDS / 2) < 0.1);
        assertThat(canvas("data-loop-start")).as("a click marks no region").isNull();
        new Actions(driver).moveToElement(waveform, -width / 4, 0).clickAndHold()
                .moveByOffset(width / 8, 0).moveByOffset(width / 8, 0).moveByOffset(width / 8, 0)
                .moveByOffset(width / 8, 0).release().perform();
        double from = canvasNumber("data-loop-start");
        double to = canvasNumber("data-loop-end");
        assertThat(from).isCloseTo(SECONDS / 4, within(0.1));
        assertThat(to).isCloseTo(SECONDS * 3 / 4, within(0.1));
        assertThat(Double.parseDouble(browser.input("Loop start (s)").getDomProperty("value"))).isCloseTo(from, within(0.01));
        assertThat(Double.parseDouble(browser.input("Loop end (s)").getDomProperty("value"))).isCloseTo(to, within(0.01));

        // narrow it by keyboard to 0.8 s and loop it
        browser.input("Loop end (s)").clear();
        browser.input("Loop end (s)").sendKeys(String.format(Locale.ROOT, "%.2f", from + 0.8), Keys.TAB);
        assertThat(canvasNumber("data-loop-end")).isCloseTo(from + 0.8, within(0.006));
        browser.input("Loop").click();
        List<Double> again = sampleWhilePlaying(SECONDS - 0.5, 2000);
        assertThat(again).allSatisfy(t -> assertThat(t).isBetween(from - 0.006, from + 0.8 + 0.1));
        assertThat(wraps(again)).isGreaterThanOrEqualTo(1);
    }

    /** Plays from `at`, samples currentTime every 100 ms for `millis`, pauses. */
    @SuppressWarnings("unchecked")
    List<Double> sampleWhilePlaying(double at, int millis) {
        List<Object> raw = (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const [at, millis, done] = arguments;
                const a = document.getElementById('player');
                const times = [];
                a.currentTime = at;
                a.play().then(() => {
                  const timer = setInterval(() => times.push(a.currentTime), 100);
                  setTimeout(() => { clearInterval(timer); a.pause(); done(times); }, millis);
                }, (e) => done(['failed: ' + e.message]));""", at, millis);
        return raw.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    static int wraps(List<Double> times) {
        int n = 0;
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) < times.get(i - 1) - 0.05) {
                n++;
            }
        }
        return n;
    }

    @Test
    @Order(3)
    void abSwitchesBetweenOriginalAndProcessedKeepingPositionAndPlayState() throws Exception {
        openStudio();
        assertThat(browser.byId("ab-toggle").isEnabled()).as("nothing to compare before a render").isFalse();
        // a render (an empty chain: the original with a tail) gives the processed audio
        browser.openPanel("render");
        driver.findElement(By.id("render")).click();
        browser.waiting(Duration.ofSeconds(90)).until(d ->
                "succeeded".equals(d.findElement(By.id("render-status")).getDomAttribute("data-status")));
        browser.waiting().until(d -> browser.audioReady("processed"));
        browser.openPanel("audio");

        // A/B while paused at 1.5 s: the other source, the same position, still paused
        browser.byId("source-original").click();
        browser.waiting().until(d -> browser.audioReady("original"));
        browser.js("document.getElementById('player').currentTime = 1.5");
        browser.byId("ab-toggle").click();
        browser.waiting().until(d -> browser.audioReady("processed"));
        assertThat(currentTime()).isCloseTo(1.5, within(0.1));
        assertThat(browser.byId("source-processed").isSelected()).isTrue();
        assertThat(browser.byId("ab-toggle").getDomAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.js("return document.getElementById('player').paused")).isEqualTo(true);

        // the B key switches back (focus anywhere but a text field)
        browser.js("document.activeElement.blur()");
        new Actions(driver).sendKeys("b").perform();
        browser.waiting().until(d -> browser.audioReady("original"));
        assertThat(currentTime()).isCloseTo(1.5, within(0.1));
        assertThat(browser.byId("source-original").isSelected()).isTrue();

        // while playing: it keeps playing on the other source from about where it was
        browser.js("document.getElementById('player').play()");
        browser.waiting().until(d -> currentTime() > 1.7);
        double before = currentTime();
        browser.byId("ab-toggle").click();
        browser.waiting().until(d -> browser.audioReady("processed"));
        assertThat(currentTime()).isBetween(before - 0.1, before + 1.0);
        browser.waiting().until(d -> Boolean.FALSE.equals(browser.js("return document.getElementById('player').paused"))
                && currentTime() > before + 0.2);
        browser.js("document.getElementById('player').pause()");

        // a region and 2× zoom, for the screenshots of the section
        browser.input("Loop start (s)").sendKeys("2");
        browser.input("Loop end (s)").sendKeys("3.5", Keys.TAB);
        browser.input("Loop").click();
        browser.byId("zoom-in").click();
        browser.js("document.getElementById('player').currentTime = 2.4");
        browser.screenshots("studio-player", "#h-audio");
    }

    @Test
    @Order(4)
    void theMetronomeSchedulesBeatsSixtyOverBpmApartTapsATempoAndSavesIt() throws Exception {
        openStudio();
        browser.openPanel("metronome");
        WebElement metronome = browser.byId("metronome");
        WebElement bpm = browser.input("Tempo (BPM)");
        assertThat(bpm.getDomProperty("value")).isEqualTo("120"); // the project's default
        new Select(browser.input("Beats per bar")).selectByValue("3");

        browser.byId("metronome-toggle").click();
        browser.waiting().until(d -> "running".equals(metronome.getDomAttribute("data-state")));
        browser.waiting().until(d -> Integer.parseInt(metronome.getDomAttribute("data-beats-scheduled")) >= 7);
        double[] times = Arrays.stream(metronome.getDomAttribute("data-beat-times").split(" "))
                .mapToDouble(Double::parseDouble).toArray();
        assertThat(times.length).isGreaterThanOrEqualTo(7);
        for (int i = 1; i < times.length; i++) {
            assertThat(times[i] - times[i - 1]).as("beat %d after %d", i, i - 1).isCloseTo(0.5, within(0.001));
        }
        String numbers = metronome.getDomAttribute("data-beat-numbers");
        assertThat(numbers).as("accents every 3 beats").matches("^([012] )+[012]$");
        assertThat(" " + numbers + " ").containsAnyOf(" 0 1 2 ", " 1 2 0 ", " 2 0 1 ");

        // a tempo change applies from the next beat
        bpm.clear();
        bpm.sendKeys("90", Keys.TAB);
        int scheduled = Integer.parseInt(metronome.getDomAttribute("data-beats-scheduled"));
        browser.waiting().until(d -> Integer.parseInt(metronome.getDomAttribute("data-beats-scheduled")) >= scheduled + 3);
        double[] slower = Arrays.stream(metronome.getDomAttribute("data-beat-times").split(" "))
                .mapToDouble(Double::parseDouble).toArray();
        int n = slower.length;
        assertThat(slower[n - 1] - slower[n - 2]).isCloseTo(60.0 / 90, within(0.001));
        browser.byId("metronome-toggle").click();
        assertThat(metronome.getDomAttribute("data-state")).isEqualTo("stopped");

        // tap tempo: four taps 400 ms apart are 150 BPM (one move to the button, then clicks in place: a move
        // between them would take time of its own)
        WebElement tap = browser.byId("tap-tempo");
        new Actions(driver).moveToElement(tap).click().pause(400).click().pause(400).click().pause(400).click().perform();
        assertThat(tap.getDomAttribute("data-taps")).isEqualTo("4");
        // the tempo is the one of the taps as the page received them: WebDriver's pauses stretch on a loaded
        // machine, so the expectation follows the taps' own times, which must still be about 400 ms apart
        double[] taps = Arrays.stream(tap.getDomAttribute("data-tap-times").split(" "))
                .mapToDouble(Double::parseDouble).toArray();
        assertThat(taps).hasSize(4);
        double interval = (taps[3] - taps[0]) / 3;
        assertThat(interval).as("ms between taps").isBetween(380.0, 600.0);
        double tapped = 60000 / interval;
        assertThat(Double.parseDouble(bpm.getDomProperty("value"))).isCloseTo(tapped, within(1.0));
        assertThat(Double.parseDouble(metronome.getDomAttribute("data-bpm"))).isCloseTo(tapped, within(1.0));

        // saved as the project's tempo and time signature, it is there after a reload
        bpm.clear();
        bpm.sendKeys("150", Keys.TAB);
        browser.byId("metronome-save").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#metronome .message.ok"), "150 BPM"));
        browser.screenshots("studio-metronome", "#h-metronome");
        openStudio();
        browser.openPanel("metronome");
        assertThat(browser.input("Tempo (BPM)").getDomProperty("value")).isEqualTo("150");
        assertThat(new Select(browser.input("Beats per bar")).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("3");
        assertThat(browser.byId("metronome-save").isEnabled()).as("nothing new to save").isFalse();
    }

    @Test
    @Order(5)
    void anAiTransformationReportsProgressOverItsStreamAndBecomesASource() {
        openStudio();
        browser.openPanel("ai");
        Select preset = new Select(browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ai-preset option"))).findElement(By.xpath("..")));
        preset.selectByVisibleText("Classical Orchestra");
        driver.findElement(By.id("ai-start")).click();
        WebElement status = browser.byId("ai-status");
        browser.waiting(Duration.ofSeconds(120)).until(d -> List.of("completed", "failed", "cancelled")
                .contains(String.valueOf(status.getDomAttribute("data-status"))));
        assertThat(status.getDomAttribute("data-status")).as(status.getText()).isEqualTo("completed");
        assertThat(status.getDomAttribute("data-via")).as("followed over the event stream").isEqualTo("stream");
        assertThat(Integer.parseInt(status.getDomAttribute("data-events"))).isGreaterThanOrEqualTo(1);

        // its output is a source of the player, in the same radio group
        browser.openPanel("audio");
        WebElement radio = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ai-sources input[name=source]")));
        String value = radio.getDomAttribute("value");
        assertThat(value).startsWith("transformation:");
        driver.findElement(By.cssSelector("label[for='" + radio.getDomAttribute("id") + "']")).click();
        browser.waiting().until(d -> browser.audioReady(value));
        assertThat(radio.isSelected()).isTrue();
        // A/B now compares the original with the AI result
        assertThat(browser.byId("ab-toggle").getDomAttribute("data-b")).isEqualTo(value);
        browser.byId("ab-toggle").click();
        browser.waiting().until(d -> browser.audioReady("original"));

        // when the stream breaks, polling takes over: a second one with an EventSource that fails at once
        browser.js("window.EventSource = class {"
                + " addEventListener(type, f) { if (type === 'error') setTimeout(f, 20); } close() {} };");
        browser.openPanel("ai");
        driver.findElement(By.id("ai-start")).click();
        browser.waiting().until(d -> "poll".equals(status.getDomAttribute("data-via")));
        browser.waiting(Duration.ofSeconds(120)).until(d -> List.of("completed", "failed", "cancelled")
                .contains(String.valueOf(status.getDomAttribute("data-status")))
                && d.findElements(By.cssSelector("#ai-sources input[name=source]")).size() == 2);
        assertThat(status.getDomAttribute("data-status")).as(status.getText()).isEqualTo("completed");

        // both are still sources after a reload
        openStudio();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ai-sources input[value='" + value + "']")));
        assertThat(driver.findElements(By.cssSelector("#ai-sources input[name=source]"))).hasSize(2);
    }
}
