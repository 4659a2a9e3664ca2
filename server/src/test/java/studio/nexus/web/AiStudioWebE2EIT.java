package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
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
 * The studio's AI section in a real browser: a project's earlier results are listed after a reload (newest first,
 * with their preset, time, state and rating) and can still be opened, played, rated, added as tracks and kept; the
 * MIDI of an arrangement downloads under the song's name; a free musician sees the Pro presets as Pro and cannot
 * start one; a failed transformation says why once; and a plan's limit leads, by a link, to where the way out is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AiStudioWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database).withWorkers();
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static final Duration ARRANGING = Duration.ofSeconds(120);
    static WebDriver driver;
    static Musician musician;
    static UUID song;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        musician = Musicians.signUp(server.http(), "ai");
        song = TestProjects.projectWithAudio(server, musician, "Hummed tune", TestAudio.melodyWav(22_050, 8));
        browser.signIn(musician.email(), Musicians.PASSWORD);
    }

    /** Opens a project's studio; when it is open already, the page is loaded again (a reload, as a musician's). */
    static void openStudio(UUID project, String title) {
        String path = "/#/projects/" + project;
        if (driver.getCurrentUrl().endsWith(path)) {
            driver.navigate().refresh();
        } else {
            browser.open(path);
        }
        browser.awaitHeading(title);
        browser.openPanel("ai");
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ai-preset option")));
        browser.waiting().until(d -> !d.findElements(By.cssSelector("#ai-results li")).isEmpty());
    }

    static WebElement aiSection() {
        return driver.findElement(By.cssSelector("section[aria-labelledby=h-ai]"));
    }

    static List<WebElement> results() {
        return driver.findElements(By.cssSelector("#ai-results li[data-transformation]"));
    }

    static String awaitOutcome() {
        browser.waiting(ARRANGING).until(d -> List.of("completed", "failed", "cancelled")
                .contains(String.valueOf(d.findElement(By.id("ai-status")).getDomAttribute("data-status"))));
        return browser.byId("ai-status").getDomAttribute("data-status");
    }

    static int transformationsOf(UUID project) {
        Http.Response listed = server.http().get("/api/v1/projects/" + project + "/transformations", musician.token());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().path("items").size();
    }

    /** The screenshots a test took, also where the notes of this work keep them. */
    static void keepShots(String name) throws IOException {
        Path notes = Paths.get("/work/notes/shots");
        if (!Files.isDirectory(notes.getParent())) {
            return;
        }
        Files.createDirectories(notes);
        for (String size : List.of("1280x800", "390x844")) {
            Path shot = Paths.get("target", "screenshots", name + "-" + size + ".png");
            if (Files.exists(shot)) {
                Files.copy(shot, notes.resolve(shot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    @Order(1)
    void aFreeMusicianSeesTheProPresetsAsProAndCannotStartOne() {
        openStudio(song, "Hummed tune");
        WebElement pro = driver.findElement(By.xpath("//select[@id='ai-preset']/option[starts-with(., 'Jazz with your voice')]"));
        assertThat(pro.getText()).isEqualTo("Jazz with your voice (Pro plan only)");
        assertThat(pro.isEnabled()).as("a Pro preset cannot be chosen on the free plan").isFalse();
        Select preset = new Select(browser.byId("ai-preset"));
        assertThatThrownBy(() -> preset.selectByVisibleText("Jazz with your voice (Pro plan only)"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(preset.getFirstSelectedOption().isEnabled()).as("an open preset is chosen").isTrue();
        WebElement note = browser.byId("ai-plan");
        assertThat(note.getText()).contains("need the Pro plan", "Free plan");

        // even chosen behind the page's back, it is explained here and never sent
        browser.js("const s = document.getElementById('ai-preset'); s.value = arguments[0].value;", pro);
        browser.byId("ai-start").click();
        WebElement message = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#h-ai ~ .message.error")));
        assertThat(message.getText()).contains("“Jazz with your voice” needs the Pro plan.",
                "See plans and how to upgrade");
        assertThat(transformationsOf(song)).isZero();

        // the way to upgrade is one link away
        note.findElement(By.linkText("See plans and how to upgrade")).click();
        browser.awaitHeading("Usage");
        WebElement plans = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("plans")));
        assertThat(plans.getText()).contains("Plans and how to upgrade", "Pro", "How to upgrade",
                "administrators of this studio");
    }

    @Test
    @Order(2)
    void earlierResultsSurviveAReloadAndAreRatedAddedAsTracksAndTheirMidiDownloads() throws Exception {
        openStudio(song, "Hummed tune");
        assertThat(driver.findElement(By.id("ai-results")).getText()).contains("No results yet");
        new Select(browser.byId("ai-preset")).selectByVisibleText("Classical Orchestra");
        browser.byId("ai-start").click();
        assertThat(awaitOutcome()).as(browser.byId("ai-status").getText()).isEqualTo("completed");
        browser.waiting().until(d -> Boolean.TRUE.equals(browser.js("const a = document.getElementById('ai-player');"
                + "return !!a && a.readyState >= 1 && a.duration > 0;")));

        // after a reload the result is still there, newest first, with its preset, time, state and rating
        openStudio(song, "Hummed tune");
        assertThat(results()).hasSize(1);
        WebElement earlier = results().get(0);
        assertThat(earlier.getText()).contains("Classical Orchestra", "Done", "Not rated yet");
        assertThat(browser.byId("ai-result").isDisplayed()).isFalse();
        earlier.findElement(By.xpath(".//button[text()='Open']")).click();
        browser.waiting().until(d -> Boolean.TRUE.equals(browser.js("const a = document.getElementById('ai-player');"
                + "return !!a && a.readyState >= 1 && a.duration > 0;")));
        assertThat(browser.byId("ai-result-title").getText()).startsWith("Classical Orchestra · ");

        // rated: the list says so, and still does after another reload
        new Select(browser.input("Your rating")).selectByValue("4");
        browser.byId("ai-rate").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-result"), "rating is saved"));
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-results"), "Rated 4 of 5"));

        // the MIDI of the arrangement, named after the song
        WebElement midi = browser.byId("ai-midi");
        assertThat(midi.getText()).isEqualTo("Download MIDI");
        assertThat(midi.getDomAttribute("download")).isEqualTo("hummed-tune-classical-orchestra.mid");
        assertThat(midi.getDomAttribute("aria-label")).contains("Hummed tune");
        assertThat(midi.getDomAttribute("href")).startsWith("blob:");
        // the browser saves it where it saves downloads: a Standard MIDI File
        Path downloads = Files.createTempDirectory("ai-midi");
        ((ChromiumDriver) driver).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));
        midi.click();
        Path file = downloads.resolve("hummed-tune-classical-orchestra.mid");
        browser.waiting().until(d -> Files.exists(file) && file.toFile().length() > 14);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("MThd");
        assertThat(Long.parseLong(midi.getDomAttribute("data-size"))).isEqualTo(bytes.length);
        Files.delete(file);
        Files.delete(downloads);

        openStudio(song, "Hummed tune");
        WebElement rated = results().get(0);
        assertThat(rated.getText()).contains("Rated 4 of 5");
        assertThat(rated.getDomAttribute("data-rating")).isEqualTo("4");
        rated.findElement(By.xpath(".//button[text()='Open']")).click();
        browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("ai-add-tracks")));
        assertThat(new Select(browser.input("Your rating")).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("4");
        browser.screenshots("ai-section", "#h-ai");
        keepShots("ai-section");
        browser.screenshots("ai-section-result", "#ai-result-title");
        keepShots("ai-section-result");

        // an earlier result plays along as tracks, and is kept as a version
        browser.byId("ai-add-tracks").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-result"), "Added 5 tracks"));
        JsonNode arrangement = server.http().get("/api/v1/projects/" + song + "/arrangement", musician.token()).json();
        assertThat(arrangement.path("tracks").findValuesAsText("name")).contains("AI lead", "AI bass");
        browser.byId("ai-keep").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("ai-result"), "Kept"));
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//ol[@id='versions']/li[contains(., 'Before AI transformation')]")));
    }

    @Test
    @Order(3)
    void aFailedTransformationSaysWhyOnce() throws Exception {
        UUID tooShort = TestProjects.projectWithAudio(server, musician, "Too short", TestAudio.wav(22_050, 1, 0.3));
        openStudio(tooShort, "Too short");
        new Select(browser.byId("ai-preset")).selectByVisibleText("Classical Orchestra");
        browser.byId("ai-start").click();
        assertThat(awaitOutcome()).isEqualTo("failed");
        String reason = "shorter than half a second";
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(
                "#ai-results li[data-status=failed]"), "Failed"));
        assertThat(browser.byId("ai-status").getText()).contains("The transformation failed", reason);
        assertThat(aiSection().getText().split(reason, -1)).as(aiSection().getText()).hasSize(2);
        assertThat(driver.findElements(By.cssSelector("#h-ai ~ .message"))).allMatch(m -> !m.isDisplayed());
        assertThat(results().get(0).getText()).contains("Failed").doesNotContain(reason);
        browser.screenshots("ai-section-failed", "#h-ai");
        keepShots("ai-section-failed");

        // after a reload the status line is quiet, and the list says why
        openStudio(tooShort, "Too short");
        assertThat(browser.byId("ai-status").getText()).isEmpty();
        assertThat(results().get(0).getText()).contains("Failed: The audio is " + reason);
        assertThat(aiSection().getText().split(reason, -1)).hasSize(2);
    }

    @Test
    @Order(4)
    void aPlanLimitLeadsToTheWayOut() {
        // every AI transformation of the month used: the refusal says so once, with the link to the plans
        Musician spent = Musicians.signUp(server.http(), "spent");
        UUID project = TestProjects.projectWithAudio(server, spent, "Spent", TestAudio.melodyWav(22_050, 4));
        database.one(String.class, "SELECT public.consume_usage(:id, 'ai_transformations', 5, NULL, '{}'::jsonb)::text",
                Map.of("id", spent.id()));
        browser.signIn(spent.email(), Musicians.PASSWORD);
        browser.open("/#/projects/" + project);
        browser.awaitHeading("Spent");
        browser.openPanel("ai");
        browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("ai-start"))).click();
        WebElement message = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#h-ai ~ .message.error")));
        assertThat(message.getText()).contains("free plan allows 5 AI transformations per month");
        browser.consoleErrors().removeIf(e -> e.contains("402"));
        message.findElement(By.linkText("See plans and how to upgrade")).click();
        browser.awaitHeading("Usage");

        // three projects on the free plan: a fourth is refused with the way out, and deleting one makes room
        TestProjects.project(server, spent, "Second");
        TestProjects.project(server, spent, "Third");
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.input("Title").sendKeys("Fourth");
        driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();
        WebElement refused = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#new-project .message.error")));
        assertThat(refused.getText()).contains("free plan allows 3 projects", "Delete one or upgrade your plan",
                "See plans and how to upgrade");
        assertThat(refused.findElement(By.linkText("See plans and how to upgrade")).getDomAttribute("href"))
                .isEqualTo("#/usage");
        browser.consoleErrors().removeIf(e -> e.contains("402"));
        WebElement third = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//ul[@id='my-projects']/li[.//a[text()='Third']]")));
        third.findElement(By.xpath(".//button[text()='Delete…']")).click();
        third.findElement(By.xpath(".//button[text()='Yes, delete it']")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#new-project .message.ok"), "Deleted “Third”."));
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.xpath(
                "//ul[@id='my-projects']/li[.//a[text()='Third']]")));
        driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();
        browser.awaitHeading("Fourth");
    }
}
