package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import studio.nexus.testing.Browser;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestAudio;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestProjects;
import studio.nexus.testing.TestServer;

/**
 * The studio as a studio, in headless Chromium: at 1280 × 800 the transport, the timeline with its tracks and the mixer
 * are on the first screen, and every section opens in a panel beside the desk that leaves them there (one at a time,
 * closed by its button or Escape with the focus back on its toggle, reopened after a reload); on a phone (390 × 844)
 * a panel is a sheet over the desk with the transport still in view; the Project settings panel saves title,
 * description, genre, tags and visibility (the server's words for what it refuses), shows collaborators what their
 * role lets them change, and deletes the project once its title is typed. Screenshots: {@code studio-desk*},
 * {@code studio-panel*}, {@code studio-settings*} in {@code server/target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioPanelsWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static final String TITLE = "Panel song";
    static final List<String> PANELS = List.of("takes", "audio", "metronome", "record", "effects", "render",
            "export", "ai", "versions", "collaborators", "transfer", "settings");

    static WebDriver driver;
    static Musician owner;
    static Musician editor;
    static Musician viewer;
    static UUID project;

    @BeforeAll
    static void start() {
        driver = browser.driver();
        Http http = server.http();
        owner = Musicians.signUp(http, "panels");
        editor = Musicians.signUp(http, "paneled");
        viewer = Musicians.signUp(http, "panelvw");
        project = TestProjects.projectWithAudio(server, owner, TITLE, TestAudio.melodyWav(44_100, 6));
        // five coloured tracks: the take's track and four more
        Map<String, String> colours = Map.of("Bass", "#57ab5a", "Drums", "#c69026", "Keys", "#b083f0", "Strings", "#e5534b");
        for (String name : List.of("Bass", "Drums", "Keys", "Strings")) {
            Http.Response made = http.post("/api/v1/projects/" + project + "/tracks", owner.token(),
                    Map.of("name", name, "colour", colours.get(name)));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
        }
        TestProjects.collaborate(server, owner, project, editor, "editor");
        TestProjects.collaborate(server, owner, project, viewer, "viewer");
        browser.signIn(owner.email(), Musicians.PASSWORD);
    }

    static void openStudio(String title) {
        browser.open("/#/projects");
        browser.awaitHeading("My projects");
        browser.open("/#/projects/" + project);
        browser.awaitHeading(title);
        browser.waiting().until(d -> "true".equals(d.findElement(By.id("studio-desk")).getDomAttribute("data-ready")));
    }

    /** The element's box in the viewport: {top, bottom, left, right}. */
    @SuppressWarnings("unchecked")
    static Map<String, Number> box(String selector) {
        return (Map<String, Number>) browser.js("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                + "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};", selector);
    }

    /** The element is wholly inside the viewport. */
    static void assertOnScreen(String selector, String what) {
        Map<String, Number> r = box(selector);
        Number width = (Number) browser.js("return window.innerWidth");
        Number height = (Number) browser.js("return window.innerHeight");
        assertThat(r.get("top").doubleValue()).as(what + ": top").isGreaterThanOrEqualTo(0);
        assertThat(r.get("left").doubleValue()).as(what + ": left").isGreaterThanOrEqualTo(0);
        assertThat(r.get("bottom").doubleValue()).as(what + ": bottom").isLessThanOrEqualTo(height.doubleValue());
        assertThat(r.get("right").doubleValue()).as(what + ": right").isLessThanOrEqualTo(width.doubleValue());
    }

    /** The element that a person sees at the middle of what {@code selector} selects lies inside that element. */
    static boolean uncovered(String selector) {
        return Boolean.TRUE.equals(browser.js("const el = document.querySelector(arguments[0]);"
                + "const r = el.getBoundingClientRect();"
                + "return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));", selector));
    }

    /** Transport, timeline with its first three tracks, and mixer: on screen and not covered by anything. */
    static void assertDeskInView(String when) {
        assertOnScreen("#studio-desk .transport", when + ": the transport");
        assertOnScreen("#studio-desk .tl-scroll", when + ": the timeline");
        for (int row = 1; row <= 3; row++) {
            assertOnScreen("#studio-desk .tl-row:nth-child(" + row + ") .tl-head", when + ": track " + row);
        }
        assertOnScreen("#studio-desk .mixer", when + ": the mixer");
        for (String part : List.of("#tl-play", "#studio-desk .tl-row:nth-child(3) .tl-head", ".strip .fader")) {
            assertThat(uncovered(part)).as(when + ": " + part + " is not covered").isTrue();
        }
        assertThat(((Number) browser.js("return document.scrollingElement.scrollTop")).intValue())
                .as(when + ": the page did not scroll").isZero();
    }

    String focused() {
        return String.valueOf(browser.js("return document.activeElement && document.activeElement.id"));
    }

    @Test
    @Order(1)
    void atDesktopSizeTheDeskIsOnOneScreenAndEveryPanelOpensBesideItLeavingItThere() throws Exception {
        openStudio(TITLE); // in a viewport of 1280 × 800
        assertThat(driver.findElements(By.cssSelector(".tl-row"))).hasSize(5);
        assertDeskInView("no panel open");
        assertThat(driver.findElement(By.id("studio-dock")).isDisplayed()).isFalse();
        browser.screenshots("studio-desk");

        // the toolbar: a toggle per section, each naming the panel it opens and whether it is open
        List<WebElement> toggles = driver.findElements(By.cssSelector(".panel-bar button.panel-toggle"));
        assertThat(toggles).extracting(t -> t.getDomAttribute("data-panel")).containsExactlyElementsOf(PANELS);
        assertThat(driver.findElement(By.cssSelector(".panel-bar")).getDomAttribute("role")).isEqualTo("toolbar");
        for (String name : PANELS) {
            WebElement toggle = browser.byId("panel-toggle-" + name);
            assertThat(toggle.getDomAttribute("aria-controls")).isEqualTo("panel-" + name);
            toggle.click();
            browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("panel-" + name)));
            assertThat(toggle.getDomAttribute("aria-expanded")).isEqualTo("true");
            assertThat(driver.findElements(By.cssSelector("#studio-dock .dock-panel")).stream()
                    .filter(WebElement::isDisplayed)).as("one panel at a time").hasSize(1);
            assertThat(driver.findElements(By.cssSelector(".panel-bar [aria-expanded=true]"))).hasSize(1);
            assertDeskInView("with " + name + " open");
            assertOnScreen("#studio-dock", name + ": the panel");
            // beside the desk, not over it
            assertThat(box("#studio-dock").get("left").doubleValue())
                    .isGreaterThanOrEqualTo(box("#studio-desk").get("right").doubleValue());
            assertThat(box("#studio-desk .tl-scroll").get("right").doubleValue()
                    - box("#studio-desk .tl-scroll").get("left").doubleValue()).as("the timeline's width").isGreaterThan(600);
        }

        // Escape closes the open panel and the focus goes back to its toggle; so does the close button
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        browser.waiting().until(d -> !d.findElement(By.id("studio-dock")).isDisplayed());
        assertThat(browser.byId("panel-toggle-settings").getDomAttribute("aria-expanded")).isEqualTo("false");
        assertThat(focused()).isEqualTo("panel-toggle-settings");
        browser.byId("panel-toggle-versions").click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("panel-versions")));
        assertThat(focused()).as("the panel's heading takes the focus").isEqualTo("h-versions");
        browser.screenshots("studio-panel", "#h-versions");

        // the tab remembers the open panel: a reload opens it again; once closed, a reload opens none
        driver.navigate().refresh();
        browser.awaitHeading(TITLE);
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("panel-versions")));
        assertThat(browser.byId("panel-toggle-versions").getDomAttribute("aria-expanded")).isEqualTo("true");
        browser.byId("panel-close-versions").click();
        browser.waiting().until(d -> !d.findElement(By.id("studio-dock")).isDisplayed());
        assertThat(focused()).isEqualTo("panel-toggle-versions");
        driver.navigate().refresh();
        browser.awaitHeading(TITLE);
        browser.waiting().until(d -> "true".equals(d.findElement(By.id("studio-desk")).getDomAttribute("data-ready")));
        assertThat(driver.findElement(By.id("studio-dock")).isDisplayed()).isFalse();

        // a track's effects open in the same place, from its mixer strip, and close back to that button
        WebElement effects = driver.findElement(By.cssSelector(".strip button.effects"));
        effects.click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("track-effects")));
        assertDeskInView("with a track's effects open");
        browser.byId("track-effects-close").click();
        browser.waiting().until(d -> !d.findElement(By.id("studio-dock")).isDisplayed());
        assertThat(browser.js("return document.activeElement === arguments[0]", effects)).isEqualTo(true);
    }

    @Test
    @Order(2)
    void onAPhoneAPanelIsASheetOverTheDeskAndTheTransportStaysInView() throws Exception {
        openStudio(TITLE);
        browser.viewport(390, 844);
        Browser.sleep(300); // the phone's layout settles
        assertOnScreen("#studio-desk .transport", "the transport");
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling of the page").isTrue();
        browser.openPanel("effects");
        assertOnScreen("#studio-desk .transport", "the transport with a panel open");
        assertThat(uncovered("#tl-play")).as("the play button is not covered by the panel").isTrue();
        assertThat(uncovered("#tl-record")).isTrue();
        assertOnScreen("#studio-dock", "the panel");
        assertThat(box("#studio-dock").get("bottom").doubleValue())
                .as("the sheet ends at the transport").isLessThanOrEqualTo(box("#studio-desk .transport").get("top").doubleValue() + 3);
        assertThat(box("#studio-dock").get("top").doubleValue()).as("a full-height sheet").isZero();
        assertThat(Boolean.TRUE.equals(browser.js("return document.getElementById('studio-dock')"
                + ".contains(document.elementFromPoint(195, 300))"))).as("the sheet is over the desk").isTrue();
        // the transport still works under it
        browser.byId("tl-play").click();
        browser.waiting().until(d -> "playing".equals(d.findElement(By.cssSelector("#studio-desk .transport"))
                .getDomAttribute("data-state")));
        browser.byId("tl-stop").click();
        browser.screenshots("studio-panel-phone");
        browser.byId("panel-close-effects").click();
        browser.waiting().until(d -> !d.findElement(By.id("studio-dock")).isDisplayed());
        assertThat(focused()).isEqualTo("panel-toggle-effects");
        browser.viewport(1280, 800);
    }

    @Test
    @Order(3)
    void theOwnerChangesTheProjectSettingsAndTheServersWordsShowWhatItRefuses() throws Exception {
        openStudio(TITLE);
        browser.openPanel("settings");
        assertThat(browser.input("Title").getDomProperty("value")).isEqualTo(TITLE);
        assertThat(browser.byId("project-public").isEnabled()).isTrue();

        // refused by the server: its words, and the field marked
        WebElement tags = browser.input("Tags");
        tags.clear();
        tags.sendKeys("dreamy, " + "x".repeat(41));
        browser.byId("project-save").click();
        WebElement message = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#project-settings .message.error")));
        assertThat(message.getText()).contains("40");
        assertThat(tags.getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.consoleErrors().removeIf(e -> e.contains("/projects/" + project) && e.contains("422"));

        // saved: the title line follows, and the API has it
        browser.input("Title").clear();
        browser.input("Title").sendKeys("Panel song, take 2");
        browser.input("Description").sendKeys("Late night, <b>low</b> light.");
        browser.input("Genre").clear();
        browser.input("Genre").sendKeys("dream pop");
        tags.clear();
        tags.sendKeys("Dreamy, night, dreamy");
        assertThat(driver.findElements(By.cssSelector("#project-settings .tag-chips li span")))
                .as("the tags as chips, as the server keeps them").extracting(WebElement::getText)
                .containsExactly("dreamy", "night");
        driver.findElement(By.cssSelector("button[aria-label='Remove tag night']")).click();
        tags.sendKeys(", lo-fi");
        browser.byId("project-public").click();
        browser.byId("project-save").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#project-settings .message.ok"), "Settings saved."));
        browser.awaitHeading("Panel song, take 2");
        assertThat(driver.findElement(By.cssSelector(".studio-title .meta")).getText()).contains("dream pop", "public");
        JsonNode saved = server.http().get("/api/v1/projects/" + project, owner.token()).json();
        assertThat(saved.path("title").asText()).isEqualTo("Panel song, take 2");
        assertThat(saved.path("description").asText()).isEqualTo("Late night, <b>low</b> light.");
        assertThat(saved.path("genre").asText()).isEqualTo("dream pop");
        assertThat(saved.path("tags")).extracting(JsonNode::asText).containsExactly("dreamy", "lo-fi");
        assertThat(saved.path("is_public").asBoolean()).isTrue();
        browser.screenshots("studio-settings", "#h-settings");

        // a fresh page shows what was saved
        openStudio("Panel song, take 2");
        browser.openPanel("settings");
        assertThat(browser.input("Tags").getDomProperty("value")).isEqualTo("dreamy, lo-fi");
        assertThat(browser.byId("project-public").isSelected()).isTrue();
    }

    @Test
    @Order(4)
    void collaboratorsSeeOnlyWhatTheirRoleLetsThemChange() {
        browser.signOut();
        // an editor changes the words, not the visibility, and cannot delete
        browser.signIn(editor.email(), Musicians.PASSWORD);
        openStudio("Panel song, take 2");
        browser.openPanel("settings");
        assertThat(browser.byId("project-title").isEnabled()).isTrue();
        assertThat(browser.byId("project-public").isEnabled()).as("only the owner makes it public or private").isFalse();
        assertThat(driver.findElements(By.id("project-delete"))).isEmpty();
        browser.input("Genre").clear();
        browser.input("Genre").sendKeys("shoegaze");
        browser.byId("project-save").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#project-settings .message.ok"), "Settings saved."));
        assertThat(server.http().get("/api/v1/projects/" + project, owner.token()).json().path("genre").asText())
                .isEqualTo("shoegaze");
        assertThat(browser.unnamedControls()).isEmpty();
        browser.signOut();

        // a viewer reads them
        browser.signIn(viewer.email(), Musicians.PASSWORD);
        openStudio("Panel song, take 2");
        browser.openPanel("settings");
        assertThat(driver.findElements(By.id("project-settings"))).isEmpty();
        assertThat(driver.findElement(By.id("panel-settings")).getText()).contains("shoegaze", "dreamy, lo-fi", "Public");
        assertThat(driver.findElements(By.id("project-delete"))).isEmpty();
        browser.signOut();
        browser.signIn(owner.email(), Musicians.PASSWORD);
    }

    @Test
    @Order(5)
    void theOwnerDeletesTheProjectOnlyAfterTypingItsTitle() throws Exception {
        openStudio("Panel song, take 2");
        browser.openPanel("settings");
        WebElement delete = browser.byId("project-delete");
        assertThat(delete.getDomAttribute("aria-expanded")).isEqualTo("false");
        delete.click();
        WebElement typed = browser.input("Type the project’s title to confirm");
        browser.waiting().until(ExpectedConditions.visibilityOf(typed));
        assertThat(delete.getDomAttribute("aria-expanded")).isEqualTo("true");
        WebElement yes = browser.byId("project-delete-yes");
        assertThat(yes.isEnabled()).isFalse();
        typed.sendKeys("Panel song");
        assertThat(yes.isEnabled()).as("not the whole title").isFalse();
        browser.byId("project-delete-no").click();
        assertThat(focused()).isEqualTo("project-delete");
        assertThat(server.http().get("/api/v1/projects/" + project, owner.token()).status()).isEqualTo(200);

        delete.click();
        typed.sendKeys("Panel song, take 2");
        assertThat(yes.isEnabled()).isTrue();
        browser.screenshots("studio-settings-delete", "#project-delete-confirm");
        yes.click();
        browser.awaitHeading("My projects");
        assertThat(driver.findElement(By.id("notice")).getText()).contains("“Panel song, take 2” is deleted");
        assertThat(server.http().get("/api/v1/projects/" + project, owner.token()).status()).isEqualTo(404);
        assertThat(driver.findElement(By.id("my-projects")).getText()).doesNotContain("Panel song");
    }
}
