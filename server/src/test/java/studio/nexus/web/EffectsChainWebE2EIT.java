package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import studio.nexus.testing.Browser;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The studio's effects chain editor, presets, render and export in a real headless Chromium: a musician builds a
 * chain, undoes and redoes by button and by keyboard, bypasses an effect that stays bypassed after a reload (and in
 * the API's answer), applies a preset and undoes it, renders, and exports in several formats while the page shows
 * the exports quota going down. Any browser console error fails a test (see {@link Browser}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EffectsChainWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static final String TITLE = "Chain <b>lab</b>";
    static WebDriver driver;
    static Musician mia;
    static String projectId;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        Http http = server.http();
        mia = Musicians.signUp(http, "mia");
        Http.Response made = http.post("/api/v1/projects", mia.token(), Map.of("title", TITLE));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        projectId = made.json().path("id").asText();
        Http.Response uploaded = http.raw("PUT", "/api/v1/projects/" + projectId + "/audio", mia.token(),
                "audio/wav", TestAudio.sineWav(44_100, 1.5, 330));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        browser.signIn(mia.email(), Musicians.PASSWORD);
    }

    /**
     * Opens the project's studio afresh (through "My projects": the same URL again would not reload it), with its
     * Effects panel open.
     */
    private static void openStudio() {
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.open("/#/projects/" + projectId);
        browser.awaitHeading(TITLE);
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("effects-chain")));
        browser.openPanel("effects");
    }

    /** The effects shown, in order, e.g. ["reverb", "delay"]. */
    private static List<String> chainShown() {
        return driver.findElements(By.cssSelector("#effects-chain li.effect")).stream()
                .map(e -> e.getDomAttribute("data-effect")).toList();
    }

    private static WebElement param(String effect, String name) {
        return driver.findElement(By.cssSelector("li[data-effect=" + effect + "] input[data-param=" + name + "]"));
    }

    private static WebElement slider(String effect, String name) {
        return driver.findElement(By.cssSelector("li[data-effect=" + effect + "] input[data-slider-for=" + name + "]"));
    }

    private static String value(WebElement input) {
        return input.getDomProperty("value");
    }

    private static WebElement undo() {
        return browser.byId("chain-undo");
    }

    private static WebElement redo() {
        return browser.byId("chain-redo");
    }

    private static void add(String type) {
        new Select(browser.byId("effect-type")).selectByValue(type);
        browser.byId("add-effect").click();
    }

    /** Ctrl (+ Shift) + key with the keyboard focus inside the chain editor. */
    private static void chord(boolean shift, String key) {
        Actions actions = new Actions(driver).keyDown(Keys.CONTROL);
        if (shift) {
            actions.keyDown(Keys.SHIFT);
        }
        actions.sendKeys(key);
        if (shift) {
            actions.keyUp(Keys.SHIFT);
        }
        actions.keyUp(Keys.CONTROL).perform();
    }

    private static void focusChain() {
        browser.js("document.getElementById('effects-chain').focus()");
    }

    private static JsonNode storedChain() {
        Http.Response project = server.http().get("/api/v1/projects/" + projectId, mia.token());
        assertThat(project.status()).as(project.toString()).isEqualTo(200);
        return project.json().path("effects_settings").path("chain");
    }

    @Test
    @Order(1)
    void threeEffectsAreAddedEditedUndoneAndRedoneByButtonAndKeyboard() {
        openStudio();
        assertThat(chainShown()).isEmpty();
        assertThat(undo().isEnabled()).as("nothing to undo yet").isFalse();
        assertThat(redo().isEnabled()).isFalse();
        assertThat(undo().getDomAttribute("aria-label")).isEqualTo("Undo (nothing to undo)");

        add("reverb");
        add("delay");
        add("compressor");
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        assertThat(undo().isEnabled()).isTrue();
        assertThat(undo().getDomAttribute("aria-label")).isEqualTo("Undo add Compressor");

        // every number parameter: a labelled number box with unit and range, and a slider named by the same label
        WebElement roomSize = param("reverb", "room_size");
        assertThat(roomSize.getDomAttribute("min")).isEqualTo("0");
        assertThat(roomSize.getDomAttribute("max")).isEqualTo("1");
        assertThat(browser.input("Room size")).isEqualTo(roomSize);
        WebElement roomSlider = slider("reverb", "room_size");
        String labelId = driver.findElement(By.cssSelector("label[for='" + roomSize.getDomAttribute("id") + "']"))
                .getDomAttribute("id");
        assertThat(roomSlider.getDomAttribute("aria-labelledby")).isEqualTo(labelId);
        assertThat(driver.findElement(By.cssSelector("label[for='"
                + param("delay", "delay_seconds").getDomAttribute("id") + "']")).getText()).contains("(s)");

        // a parameter change; the slider follows the number box
        roomSize.clear();
        roomSize.sendKeys("0.8\t");
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.8");
        assertThat(value(slider("reverb", "room_size"))).isEqualTo("0.8");
        assertThat(undo().getDomAttribute("aria-label")).isEqualTo("Undo room size of Reverb 1");

        // undo by button: the parameter goes back
        undo().click();
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.5");
        assertThat(value(slider("reverb", "room_size"))).isEqualTo("0.5");
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        // undo by keyboard: the last effect added goes
        focusChain();
        chord(false, "z");
        assertThat(chainShown()).containsExactly("reverb", "delay");
        assertThat(driver.findElement(By.id("chain-history-status")).getDomProperty("textContent"))
                .contains("Undone: add Compressor");
        // redo by keyboard (Ctrl+Shift+Z), then by button
        chord(true, "z");
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        assertThat(redo().isEnabled()).isTrue();
        redo().click();
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.8");
        assertThat(redo().isEnabled()).as("nothing left to redo").isFalse();
        // Ctrl+Y redoes too
        undo().click();
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.5");
        chord(false, "y");
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.8");

        // reorder and remove are edits like any other
        driver.findElement(By.cssSelector("button[aria-label='Move compressor up']")).click();
        assertThat(chainShown()).containsExactly("reverb", "compressor", "delay");
        focusChain();
        chord(false, "z");
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        driver.findElement(By.cssSelector("button[aria-label='Remove delay']")).click();
        assertThat(chainShown()).containsExactly("reverb", "compressor");
        undo().click();
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.8");

        // the slider, moved by keyboard, writes the number box, and is undone in one step
        WebElement delaySlider = slider("delay", "delay_seconds");
        delaySlider.sendKeys(Keys.ARROW_RIGHT);
        assertThat(value(param("delay", "delay_seconds"))).isEqualTo("0.6");
        chord(false, "z"); // focus is still on the slider, inside the editor
        assertThat(value(param("delay", "delay_seconds"))).isEqualTo("0.5");
        assertThat(browser.byId("chain-save-state").getText()).isEqualTo("Unsaved changes");
    }

    @Test
    @Order(2)
    void aBypassedEffectIsSavedStaysBypassedAfterAReloadAndIsLeftOutOfTheRender() throws Exception {
        WebElement bypass = driver.findElement(By.cssSelector("li[data-effect=delay] input[type=checkbox]"));
        assertThat(driver.findElement(By.cssSelector("label[for='" + bypass.getDomAttribute("id") + "']")).getText())
                .isEqualTo("Bypass");
        bypass.click();
        assertThat(driver.findElement(By.cssSelector("li[data-effect=delay]")).getDomAttribute("data-bypassed"))
                .isEqualTo("true");
        assertThat(undo().getDomAttribute("aria-label")).isEqualTo("Undo bypass of Delay 2");
        browser.byId("save-effects").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#h-effects ~ .chain-editor .message.ok"), "Effects chain saved."));
        assertThat(browser.byId("chain-save-state").getText()).isEqualTo("Saved");

        // the API shows what was saved
        JsonNode chain = storedChain();
        assertThat(chain).hasSize(3);
        assertThat(chain.get(0).path("type").asText()).isEqualTo("reverb");
        assertThat(chain.get(0).path("settings").path("room_size").asDouble()).isEqualTo(0.8);
        assertThat(chain.get(0).has("bypass")).isFalse();
        assertThat(chain.get(1).path("type").asText()).isEqualTo("delay");
        assertThat(chain.get(1).path("bypass").isBoolean()).isTrue();
        assertThat(chain.get(1).path("bypass").asBoolean()).isTrue();

        // a reload shows it as saved, in the panel that was open (the tab remembers it)
        driver.navigate().refresh();
        browser.awaitHeading(TITLE);
        browser.waiting().until(d -> chainShown().size() == 3);
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("panel-effects")));
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        assertThat(driver.findElement(By.cssSelector("li[data-effect=delay] input[type=checkbox]")).isSelected())
                .isTrue();
        assertThat(driver.findElement(By.cssSelector("li[data-effect=delay]")).getDomAttribute("data-bypassed"))
                .isEqualTo("true");
        assertThat(driver.findElement(By.cssSelector("li[data-effect=delay] legend")).getText()).contains("bypassed");
        assertThat(value(param("reverb", "room_size"))).isEqualTo("0.8");
        assertThat(undo().isEnabled()).as("a fresh page has no history").isFalse();
        assertThat(browser.byId("chain-save-state").getText()).isEqualTo("Saved");

        // render: live progress, then the processed audio plays
        browser.openPanel("render");
        browser.byId("render").click();
        browser.waiting(Duration.ofSeconds(90)).until(d ->
                "succeeded".equals(d.findElement(By.id("render-status")).getDomAttribute("data-status")));
        browser.waiting().until(d -> browser.audioReady("processed"));
        // the render's figures, each with its unit
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("render-master")));
        assertThat(figure("render-master", "sample_peak_dbfs")).endsWith(" dBFS");
        assertThat(figure("render-master", "true_peak_dbtp")).endsWith(" dBTP");
        assertThat(figure("render-master", "integrated_lufs")).endsWith(" LUFS");
        assertThat(figure("render-master", "safety_limiter")).isEqualTo("off");

        browser.openPanel("effects");
        browser.screenshots("effects-chain", "#h-effects");
        browser.screenshots("effects-chain-bypassed", "li[data-effect=delay]");
    }

    @Test
    @Order(3)
    void aPresetIsAppliedWithItsDescriptionShownAndUndone() {
        Http.Response created = server.http().post("/api/v1/effects-presets", mia.token(), Map.of(
                "name", "Tape <i>echo</i>", "category", "vocal",
                "description", "A short slap-back echo; the <b>room</b> is there but switched off.",
                "effects_chain", List.of(
                        Map.of("type", "delay", "settings", Map.of("time", 0.12, "feedback", 0.2)),
                        Map.of("type", "reverb", "settings", Map.of("room_size", 0.3), "bypass", true))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String presetId = created.json().path("id").asText();

        openStudio();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#preset-select option[value='" + presetId + "']")));
        assertThat(browser.byId("apply-preset").isEnabled()).isFalse();
        new Select(browser.input("Preset")).selectByValue(presetId);
        assertThat(driver.findElement(By.cssSelector("#preset-select option[value='" + presetId + "']")).getText())
                .isEqualTo("Tape <i>echo</i> (vocal)");
        assertThat(browser.byId("preset-description").getText())
                .isEqualTo("A short slap-back echo; the <b>room</b> is there but switched off. — Delay → Reverb (bypassed).");
        assertThat(driver.findElements(By.cssSelector("#preset-description b"))).isEmpty();

        browser.byId("apply-preset").click();
        assertThat(chainShown()).containsExactly("delay", "reverb");
        assertThat(value(param("delay", "delay_seconds"))).as("the preset's legacy 'time'").isEqualTo("0.12");
        assertThat(driver.findElement(By.cssSelector("li[data-effect=reverb] input[type=checkbox]")).isSelected())
                .isTrue();
        assertThat(browser.byId("chain-save-state").getText()).isEqualTo("Unsaved changes");
        assertThat(undo().getDomAttribute("aria-label")).isEqualTo("Undo apply preset “Tape <i>echo</i>”");

        // undo (keyboard) brings the saved chain back, redo applies the preset again, and a save stores it
        focusChain();
        chord(false, "z");
        assertThat(chainShown()).containsExactly("reverb", "delay", "compressor");
        assertThat(browser.byId("chain-save-state").getText()).isEqualTo("Saved");
        redo().click();
        assertThat(chainShown()).containsExactly("delay", "reverb");
        browser.byId("save-effects").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain-save-state"), "Saved"));
        JsonNode chain = storedChain();
        assertThat(chain.get(0).path("settings").path("delay_seconds").asDouble()).isEqualTo(0.12);
        assertThat(chain.get(0).path("settings").has("time")).as("stored under its canonical name").isFalse();
        assertThat(chain.get(1).path("bypass").asBoolean()).isTrue();
        // and the preset applied from the page is undoable back to the previous chain, saved again
        undo().click();
        browser.byId("save-effects").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain-save-state"), "Saved"));
        assertThat(storedChain()).hasSize(3);
    }

    private static String figure(String box, String name) {
        return driver.findElement(By.cssSelector("#" + box + " dd[data-figure=" + name + "]")).getText();
    }

    /** A figure such as "−1.2 dBTP" as a number. */
    private static double decibels(String shown) {
        return Double.parseDouble(shown.replace('−', '-').replaceAll(" .*", ""));
    }

    private static int remainingExports() {
        String remaining = browser.byId("export-quota").getDomAttribute("data-remaining");
        return remaining == null || remaining.isEmpty() ? -1 : Integer.parseInt(remaining);
    }

    private static WebElement exportAs(String format, String source, int quotaBefore) {
        new Select(browser.byId("export-format")).selectByValue(format);
        new Select(browser.byId("export-source")).selectByValue(source);
        browser.byId("export").click();
        WebElement link = browser.waiting(Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#export-downloads a[data-format=" + format + "]")));
        assertThat(browser.byId("export-status").getDomAttribute("data-status")).isEqualTo("succeeded");
        browser.waiting().until(d -> remainingExports() == quotaBefore - 1);
        return link;
    }

    @Test
    @Order(4)
    void exportsInSeveralFormatsOfferADownloadAndTheQuotaGoesDown() throws Exception {
        openStudio();
        browser.openPanel("export");
        browser.waiting().until(d -> remainingExports() >= 0);
        int before = remainingExports();
        assertThat(before).isEqualTo(10); // the free plan: 10 a month
        assertThat(browser.byId("export-quota").getText()).startsWith("10 of 10 exports left this month on your free plan");
        assertThat(new Select(browser.byId("export-source")).getFirstSelectedOption().getDomAttribute("value"))
                .as("a rendered project offers its processed audio first").isEqualTo("processed");

        WebElement wav = exportAs("wav16", "original", before);
        assertThat(wav.getDomAttribute("download")).isEqualTo("chain-b-lab-b-original-16bit.wav");
        assertThat(wav.getDomAttribute("href")).startsWith("blob:");
        assertThat(Long.parseLong(wav.getDomAttribute("data-size"))).isGreaterThanOrEqualTo(44L + 2 * 66_150);

        WebElement flac = exportAs("flac", "processed", before - 1);
        assertThat(flac.getDomAttribute("download")).isEqualTo("chain-b-lab-b-processed.flac");
        assertThat(Long.parseLong(flac.getDomAttribute("data-size"))).isGreaterThan(1000);

        // exports run the safety limiter unless it is switched off, and show what they wrote
        assertThat(browser.byId("export-limiter").isSelected()).isTrue();
        assertThat(figure("export-master", "safety_limiter")).isEqualTo("on, ceiling −1.0 dBTP");
        assertThat(decibels(figure("export-master", "true_peak_dbtp"))).isLessThanOrEqualTo(-0.9);
        assertThat(figure("export-master", "clipped_samples")).isEqualTo("0");

        WebElement mp3 = exportAs("mp3-320", "processed", before - 2);
        assertThat(mp3.getDomAttribute("download")).isEqualTo("chain-b-lab-b-processed-320k.mp3");
        assertThat(browser.byId("export-quota").getText()).startsWith("7 of 10 exports left");

        Http.Response usage = server.http().get("/api/v1/usage", mia.token());
        JsonNode exports = null;
        for (JsonNode r : usage.json().path("resources")) {
            if (r.path("resource_type").asText().equals("exports")) {
                exports = r;
            }
        }
        assertThat(exports).isNotNull();
        assertThat(exports.path("used").asInt()).isEqualTo(3);
        browser.screenshots("effects-export", "#h-export");
    }

    @Test
    @Order(5)
    void aRenderThatClipsSaysHowManySamplesAndTheSafetyLimiterCuresIt() throws Exception {
        Http.Response hot = server.http().put("/api/v1/projects/" + projectId + "/effects", mia.token(),
                Map.of("chain", List.of(Map.of("type", "gain", "settings", Map.of("gain_db", 12)))));
        assertThat(hot.status()).as(hot.toString()).isEqualTo(200);
        openStudio();
        browser.openPanel("render");
        assertThat(driver.findElement(By.cssSelector("label[for=render-limiter]")).getText())
                .startsWith("Safety limiter");
        assertThat(browser.byId("render-limiter").isSelected()).as("off for renders unless asked").isFalse();
        assertThat(browser.byId("render-ceiling").isEnabled()).isFalse();

        browser.byId("render").click();
        browser.waiting(Duration.ofSeconds(90)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#render-master")));
        WebElement figures = browser.byId("render-master");
        long clipped = Long.parseLong(figures.getDomAttribute("data-clipped"));
        assertThat(clipped).isGreaterThan(1000);
        String warning = figures.findElement(By.cssSelector(".message.warning")).getText();
        assertThat(warning).endsWith(" samples clipped — turn down or use the safety limiter.");
        assertThat(warning.replaceAll("\\D", "")).as("the count, grouped as the browser's locale does")
                .isEqualTo(Long.toString(clipped));
        assertThat(decibels(figure("render-master", "sample_peak_dbfs"))).isGreaterThan(5);

        browser.byId("render-limiter").click();
        WebElement ceiling = browser.byId("render-ceiling");
        assertThat(ceiling.isEnabled()).isTrue();
        assertThat(driver.findElement(By.cssSelector("label[for=render-ceiling]")).getText()).contains("(dBTP)");
        ceiling.clear();
        ceiling.sendKeys("-2");
        browser.byId("render").click();
        browser.waiting(Duration.ofSeconds(90)).until(d -> {
            List<WebElement> box = d.findElements(By.id("render-master"));
            return !box.isEmpty() && "0".equals(box.get(0).getDomAttribute("data-clipped"));
        });
        assertThat(driver.findElements(By.cssSelector("#render-master .message.warning"))).isEmpty();
        assertThat(figure("render-master", "safety_limiter")).isEqualTo("on, ceiling −2.0 dBTP");
        assertThat(decibels(figure("render-master", "true_peak_dbtp"))).isLessThanOrEqualTo(-1.9);
        browser.screenshots("render-figures", "#h-render");
    }
    @Test
    @Order(6)
    void theThreeBandEqIsSetInDecibelsAndStoredAsTheGainFactorPresetsUse() {
        Http.Response cleared = server.http().put("/api/v1/projects/" + projectId + "/effects", mia.token(),
                Map.of("chain", List.of()));
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        openStudio();
        add("equalizer");
        WebElement low = param("equalizer", "low");
        assertThat(driver.findElement(By.cssSelector("label[for='" + low.getDomAttribute("id") + "']")).getText())
                .contains("(dB)");
        assertThat(value(low)).isEqualTo("0");
        low.clear();
        low.sendKeys("6", Keys.TAB);
        browser.byId("save-effects").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain-save-state"), "Saved"));
        JsonNode eq = storedChain().get(0);
        assertThat(eq.path("type").asText()).isEqualTo("equalizer");
        assertThat(eq.path("settings").path("low").asDouble()).isCloseTo(1.9953, org.assertj.core.data.Offset.offset(1e-4));
        openStudio();
        assertThat(value(param("equalizer", "low"))).isEqualTo("6");
    }
}
