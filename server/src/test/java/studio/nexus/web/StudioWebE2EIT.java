package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import studio.nexus.App;
import studio.nexus.testing.Browser;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The web studio in a real headless Chromium (Debian {@code chromium} + {@code chromium-driver}), driven by Selenium
 * against the real server: a musician signs up, creates a project, uploads a WAV, sees its waveform, builds an
 * effects chain, renders it and plays the processed audio. Any browser console error (including CSP violations)
 * fails the test (see {@link Browser}). Screenshots go to {@code server/target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static WebDriver driver;
    static String base;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        base = browser.base();

        // someone else's public project, so explore has something to show and like
        Musician ben = Musicians.named("ben_web").publicProfile().signedIn(server);
        Http.Response made = server.http().post("/api/v1/projects", ben.token(), Map.of(
                "title", "Night <b>drive</b> & rain", "genre", "synthwave", "tags", List.of("night", "demo"),
                "is_public", true, "description", "<script>alert(1)</script> stays text"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
    }

    @Test
    @Order(1)
    void theWebAppIsServedWithAStrictCspAndTheApiKeepsItsAnswers() {
        Http http = server.http();
        Http.Response index = http.get("/", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(index.body()).contains("<script type=\"module\" src=\"/js/main.js\">");
        assertThat(index.header("Content-Security-Policy")).isEqualTo(App.WEB_CSP)
                .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'");
        Http.Response script = http.get("/js/api.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).contains("javascript");
        assertThat(script.header("Content-Security-Policy")).isEqualTo(App.WEB_CSP);
        assertThat(http.get("/css/app.css", null).header("Content-Security-Policy")).isEqualTo(App.WEB_CSP);

        assertThat(http.get("/health", null).status()).isEqualTo(200);
        assertThat(http.get("/api/openapi.json", null).status()).isEqualTo(200);
        Http.Response docs = http.get("/docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.header("Content-Security-Policy")).isNull();
        Http.Response unknown = http.offContract().get("/api/v1/no-such-thing", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().path("code").asText()).isEqualTo("route_not_found");
    }

    @Test
    @Order(2)
    void aMusicianSignsUpUploadsShapesRendersAndPlays() throws Exception {
        browser.viewport(1280, 800);
        driver.get(base + "/#/signup");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));

        // sign up (labels lead to the inputs)
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='Create your account']")));
        browser.input("Email").sendKeys("cleo@example.com");
        browser.input("Username").sendKeys("cleo_web");
        browser.input("Password").sendKeys("correct horse battery");
        driver.findElement(By.cssSelector("form button[type=submit]")).click();

        // my projects: create one
        wait.until(d -> !d.findElements(By.xpath("//h1[text()='My projects']")).isEmpty()
                || !d.findElements(By.cssSelector(".message.error")).isEmpty());
        assertThat(driver.findElements(By.cssSelector(".message.error"))).extracting(WebElement::getText).isEmpty();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='My projects']")));
        assertThat(driver.findElement(By.id("nav")).getText()).contains("@cleo_web", "Sign out");
        browser.input("Title").sendKeys("First <i>take</i>");
        browser.input("Genre").sendKeys("ambient");
        browser.input("Tags").sendKeys("vocals, demo");
        driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();

        // the studio: upload a WAV through the file picker of the Audio panel
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='First <i>take</i>']")));
        browser.openPanel("audio");
        Path wav = Files.createTempFile("sine", ".wav");
        Files.write(wav, TestAudio.sineWav(44_100, 2.0, 440));
        driver.findElement(By.id("audio-file")).sendKeys(wav.toAbsolutePath().toString());
        wait.until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn")));
        WebElement canvas = driver.findElement(By.id("waveform"));
        assertThat(Integer.parseInt(canvas.getDomAttribute("data-columns"))).isGreaterThan(100);
        assertThat(browser.waveformPixelsLit()).as("lit pixels on the canvas").isGreaterThan(1000);
        assertThat(driver.findElement(By.cssSelector(".dropzone .message")).getText()).contains("Uploaded");
        wait.until(d -> browser.audioReady("original"));

        // the playhead follows playback position
        browser.js("const a = document.getElementById('player'); a.currentTime = a.duration / 2;");
        wait.until(d -> Double.parseDouble(d.findElement(By.id("waveform")).getDomAttribute("data-playhead")) > 0.3);

        // effects: reverb and delay, with labelled number inputs carrying unit and range
        browser.openPanel("effects");
        Select type = new Select(driver.findElement(By.id("effect-type")));
        type.selectByValue("reverb");
        driver.findElement(By.id("add-effect")).click();
        type.selectByValue("delay");
        driver.findElement(By.id("add-effect")).click();
        List<WebElement> effects = driver.findElements(By.cssSelector("#effects-chain li.effect"));
        assertThat(effects).extracting(e -> e.getDomAttribute("data-effect")).containsExactly("reverb", "delay");
        WebElement roomSize = driver.findElement(By.cssSelector("li[data-effect=reverb] input[data-param=room_size]"));
        assertThat(roomSize.getDomAttribute("min")).isEqualTo("0");
        assertThat(roomSize.getDomAttribute("max")).isEqualTo("1");
        assertThat(driver.findElement(By.cssSelector("label[for='" + roomSize.getDomAttribute("id") + "']")).getText())
                .isEqualToIgnoringCase("room size");
        WebElement delaySeconds = driver.findElement(
                By.cssSelector("li[data-effect=delay] input[data-param=delay_seconds]"));
        assertThat(driver.findElement(By.cssSelector("label[for='" + delaySeconds.getDomAttribute("id") + "']"))
                .getText()).containsIgnoringCase("(s)");
        delaySeconds.clear();
        delaySeconds.sendKeys("0.25\t");

        // render with live progress, then the processed audio plays
        browser.openPanel("render");
        driver.findElement(By.id("render")).click();
        new WebDriverWait(driver, Duration.ofSeconds(90)).until(d ->
                "succeeded".equals(d.findElement(By.id("render-status")).getDomAttribute("data-status")));
        wait.until(d -> browser.audioReady("processed"));
        assertThat(driver.findElement(By.id("source-processed")).isSelected()).isTrue();
        Object played = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const a = document.getElementById('player'); a.currentTime = 0;"
                        + "a.play().then(() => setTimeout(() => { a.pause(); done(a.currentTime); }, 400),"
                        + " e => done('failed: ' + e.message));");
        assertThat(played).isInstanceOf(Number.class);
        assertThat(((Number) played).doubleValue()).isGreaterThan(0);

        // the chain was stored on the server as edited
        String projectId = driver.getCurrentUrl().replaceAll(".*#/projects/", "");
        Http.Response project = server.http().get("/api/v1/projects/" + projectId, null);
        assertThat(project.status()).isEqualTo(404); // private: not for anonymous callers

        browser.screenshots("studio");
        Files.deleteIfExists(wav);
    }

    @Test
    @Order(3)
    void exploreShowsPublicProjectsAsTextAndLikesThem() throws Exception {
        browser.viewport(1280, 800);
        driver.get(base + "/#/explore");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#explore-results li.project")));
        // user text is shown as text, never interpreted as markup
        assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo("Night <b>drive</b> & rain");
        assertThat(card.findElements(By.tagName("b"))).isEmpty();
        assertThat(card.findElements(By.tagName("script"))).isEmpty();
        assertThat(card.getText()).contains("by @ben_web", "synthwave", "#night");

        WebElement like = card.findElement(By.cssSelector("button.like"));
        like.click();
        wait.until(d -> "true".equals(d.findElement(By.cssSelector("#explore-results button.like"))
                .getDomAttribute("aria-pressed")));
        assertThat(driver.findElement(By.cssSelector("#explore-results button.like .count")).getText())
                .isEqualTo("1");

        // filter by a tag and by a search that matches nothing
        browser.input("Search").sendKeys("nothing-matches-this");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("explore-results"), "Nothing matches"));
        browser.input("Search").clear();
        browser.input("Tags").sendKeys("night");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#explore-results li.project")));

        browser.screenshots("explore");
    }

    @Test
    @Order(4)
    void theFreePlanProjectLimitIsShownInWordsAndSignOutWorks() {
        browser.viewport(1280, 800);
        driver.get(base + "/#/projects");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        // cleo has one project; the free plan allows three
        for (int i = 2; i <= 4; i++) {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='My projects']")));
            browser.input("Title").sendKeys("Take " + i);
            driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();
            if (i < 4) {
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='Take " + i + "']")));
                driver.get(base + "/#/projects");
            }
        }
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#new-project .message.error")));
        assertThat(message.getText()).contains("free plan allows 3 projects");
        // a refused request is a 402 the page handled: drop its network log line, keep everything else
        browser.consoleErrors().removeIf(e -> e.contains("402"));

        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='Sign in']")));
        assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    @Order(5)
    void anOwnerInvitesACollaboratorWhoAcceptsAndOpensTheSharedProject() {
        browser.viewport(1280, 800);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        // the invitee signs up in the browser, then leaves
        driver.get(base + "/#/signup");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='Create your account']")));
        browser.input("Email").sendKeys("dana@example.com");
        browser.input("Username").sendKeys("dana_web");
        browser.input("Password").sendKeys("another horse battery");
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='My projects']")));
        browser.signOut();

        // the owner invites her as an editor from the studio
        browser.signIn("cleo@example.com", "correct horse battery");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("First <i>take</i>"))).click();
        browser.openPanel("collaborators");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h2[text()='Collaborators']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("collaborators"), "Nobody else"));
        browser.input("Username to invite").sendKeys("dana_web");
        new Select(browser.input("Role")).selectByValue("editor");
        driver.findElement(By.cssSelector("#invite-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#collaborators li[data-username=dana_web]")));
        assertThat(driver.findElement(By.cssSelector("#collaborators li[data-username=dana_web]")).getText())
.contains("@dana_web", "pending");
        // the role can be changed in place, by keyboard-usable select
        Select danaRole = new Select(driver.findElement(By.cssSelector("select[data-role-of=dana_web]")));
        assertThat(danaRole.getFirstSelectedOption().getText()).isEqualTo("editor");
        danaRole.selectByValue("viewer");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#invite-form ~ .message.ok"),
                "@dana_web is now viewer"));
        danaRole.selectByValue("editor");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#invite-form ~ .message.ok"),
                "@dana_web is now editor"));
        // an unknown username is refused in words
        browser.input("Username to invite").sendKeys("nobody_at_all");
        driver.findElement(By.cssSelector("#invite-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#invite-form ~ .message.error")));
        browser.consoleErrors().removeIf(e -> e.contains("/collaborators") && e.matches("(?s).*\\b(404|422)\\b.*"));
        browser.signOut();

        // the invitee accepts and finds the project among hers, marked shared, and opens it
        browser.signIn("dana@example.com", "another horse battery");
        driver.findElement(By.linkText("Invitations")).click();
        WebElement invitation = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#invitations li.invitation")));
        assertThat(invitation.getText()).contains("First <i>take</i>", "@cleo_web invites you as editor");
        invitation.findElement(By.xpath(".//button[text()='Accept']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("invitations"), "No invitations"));
        driver.findElement(By.linkText("My projects")).click();
        WebElement shared = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#my-projects li.project")));
        assertThat(shared.getText()).contains("First <i>take</i>", "by @cleo_web", "shared with you (editor)");
        shared.findElement(By.linkText("First <i>take</i>")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='First <i>take</i>']")));
        browser.openPanel("audio");
        wait.until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn")));
        assertThat(driver.findElements(By.id("invite-form"))).as("editors do not manage collaborators").isEmpty();
    }

    @Test
    @Order(6)
    void aSungMelodyBecomesAnOrchestraThatIsKeptAsAVersion() throws Exception {
        browser.viewport(1280, 800);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(base + "/#/projects"); // dana, still signed in
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='My projects']")));
        browser.input("Title").sendKeys("Hummed tune");
        driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='Hummed tune']")));
        Path wav = Files.createTempFile("melody", ".wav");
        Files.write(wav, TestAudio.melodyWav(22_050, 8));
        browser.openPanel("audio");
        driver.findElement(By.id("audio-file")).sendKeys(wav.toAbsolutePath().toString());
        wait.until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn")));
        long melodyPixels = browser.waveformPixelsLit();
        browser.openPanel("versions");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("versions"), "No versions"));

        browser.openPanel("ai");
        Select preset = new Select(wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ai-preset option"))).findElement(By.xpath("..")));
        preset.selectByVisibleText("Classical Orchestra");
        driver.findElement(By.id("ai-start")).click();
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> List.of("completed", "failed", "cancelled")
                .contains(String.valueOf(d.findElement(By.id("ai-status")).getDomAttribute("data-status"))));
        assertThat(driver.findElement(By.id("ai-status")).getDomAttribute("data-status"))
                .as(driver.findElement(By.id("ai-status")).getText()).isEqualTo("completed");
        wait.until(d -> Boolean.TRUE.equals(browser.js("const a = document.getElementById('ai-player');"
                + "return !!a && a.readyState >= 1 && a.duration > 0;")));

        new Select(browser.input("Your rating")).selectByValue("4");
        driver.findElement(By.id("ai-rate")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-result"), "rating is saved"));
        // AI plays along: the orchestra's instruments become tracks of their own under the melody
        driver.findElement(By.id("ai-add-tracks")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-result"),
                "Added 5 tracks: AI lead, AI doubling, AI rhythm, AI chords, AI bass."));
        driver.findElement(By.id("ai-keep")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-result"), "Kept"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#versions li[data-version]")));
        assertThat(driver.findElements(By.cssSelector("#versions li[data-version]"))).isNotEmpty();
        wait.until(d -> browser.audioReady("original"));
        // the kept arrangement is now the project's audio, and the waveform shows it, not the melody's peaks
        browser.openPanel("audio");
        wait.until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn"))
                && browser.waveformPixelsLit() != melodyPixels);
        browser.openPanel("ai");
        browser.screenshots("studio-ai", "#h-ai");
        browser.openPanel("versions");
        // restoring the version saved before the keep asks first, says the current take will be kept, and brings
        // the melody back; the arrangement is then a version of its own
        int newest = driver.findElements(By.cssSelector("#versions li[data-version]")).stream()
                .mapToInt(li -> Integer.parseInt(li.getDomAttribute("data-version"))).max().orElseThrow();
        WebElement before = driver.findElement(By.xpath(
                "//ol[@id='versions']/li[contains(., 'Before AI transformation')]"));
        String beforeNumber = before.getDomAttribute("data-version");
        before.findElement(By.xpath(".//button[text()='Restore…']")).click();
        WebElement question = before.findElement(By.cssSelector(".confirm"));
        wait.until(ExpectedConditions.visibilityOf(question));
        assertThat(question.getText()).contains("its take, render, tracks, effects, master fader and tempo",
                "What is current now will be kept as version " + (newest + 1));
        browser.screenshots("studio-restore", "#h-versions");
        question.findElement(By.xpath(".//button[text()='Cancel']")).click();
        wait.until(ExpectedConditions.invisibilityOf(question));
        assertThat(driver.findElements(By.cssSelector("#versions li[data-version]"))).hasSize(newest);
        before.findElement(By.xpath(".//button[text()='Restore…']")).click();
        question.findElement(By.xpath(".//button[starts-with(text(), 'Yes, restore version')]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#h-versions ~ .message"),
                "is current again; what was current is kept as version " + (newest + 1)));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//ol[@id='versions']/li[@data-version='"
                + (newest + 1) + "' and contains(., 'Before restoring version " + beforeNumber + "')]")));
        browser.openPanel("audio");
        wait.until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn"))
                && Math.abs(browser.waveformPixelsLit() - melodyPixels) < melodyPixels / 20);
        Files.deleteIfExists(wav);
    }

    @Test
    @Order(7)
    void aTakeIsRecordedFromTheMicrophoneAfterACountInAndUploaded() throws Exception {
        browser.viewport(1280, 800);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(base + "/#/projects"); // dana, with Chromium's fake microphone
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='My projects']")));
        browser.input("Title").sendKeys("Voice memo");
        driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='Voice memo']")));
        browser.openPanel("record");
        assertThat(driver.findElement(By.id("count-in")).isSelected()).isTrue();
        driver.findElement(By.id("record")).click();
        wait.until(d -> "count-in".equals(d.findElement(By.id("record-status")).getDomAttribute("data-state"))
                || "recording".equals(d.findElement(By.id("record-status")).getDomAttribute("data-state")));
        wait.until(d -> "recording".equals(d.findElement(By.id("record-status")).getDomAttribute("data-state")));
        Browser.sleep(2000);
        wait.until(d -> Double.parseDouble(String.valueOf(browser.js(
                "return document.getElementById('input-level').dataset.max || '0'"))) > 0.01);
        driver.findElement(By.id("record-stop")).click();
        browser.openPanel("audio");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".dropzone .message"),
                "Uploaded recording-"));
        wait.until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn")));
        assertThat(browser.waveformPixelsLit()).as("lit pixels on the canvas").isGreaterThan(1000);
        wait.until(d -> browser.audioReady("original"));
        double seconds = ((Number) browser.js("return document.getElementById('player').duration")).doubleValue();
        assertThat(seconds).isBetween(1.5, 5.0);
        browser.openPanel("record");
        browser.screenshots("studio-record", "#h-record");
    }

    @Test
    @Order(8)
    void profilesAreFollowedAndThePagesFitDesktopAndPhone() throws Exception {
        browser.viewport(1280, 800);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(base + "/#/explore"); // dana follows ben from his project card
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#explore-results li.project")));
        browser.screenshots("explore-signed-in");
        card.findElement(By.linkText("@ben_web")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='@ben_web']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("follow-counts"), "0 followers"));
        driver.findElement(By.id("follow")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("follow-counts"), "1 followers"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#followers li[data-username=dana_web]")));
        assertThat(driver.findElement(By.id("follow")).getText()).isEqualTo("Unfollow");
        browser.screenshots("profile");
        driver.findElement(By.id("follow")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("follow-counts"), "0 followers"));
        driver.findElement(By.id("follow")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("follow-counts"), "1 followers"));
        // her own profile lists whom she follows
        driver.findElement(By.linkText("@dana_web")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#following li[data-username=ben_web]")));
        assertThat(driver.findElements(By.id("follow"))).isEmpty();
    }

    @Test
    @Order(9)
    void theAccessibleNameCheckCatchesAnUnlabelledControl() {
        browser.open("/#/explore");
        browser.awaitHeading("Explore");
        assertThat(browser.unnamedControls()).isEmpty();
        browser.js("const i = document.createElement('input'); i.id = 'nameless'; document.querySelector('main').append(i);");
        assertThat(browser.unnamedControls()).singleElement().asString().contains("nameless");
        browser.js("document.getElementById('nameless').setAttribute('aria-label', 'Now named');");
        assertThat(browser.unnamedControls()).isEmpty();
    }
}
