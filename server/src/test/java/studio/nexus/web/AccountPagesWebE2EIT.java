package studio.nexus.web;

import studio.nexus.core.Json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import studio.nexus.testing.Browser;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * The web studio's account pages in headless Chromium against the real server: settings (profile, sessions,
 * deleting the account), usage, effects presets, the administrators' page and explore's featured strip. Every test
 * fails on any browser console error (see {@link Browser}); a test that provokes an expected refusal drops that
 * line itself. Screenshots (desktop and phone) go to {@code server/target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountPagesWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    static final String FAY_EMAIL = "fay@example.test";
    static final String FAY_PASSWORD = "fay's long password";
    static final String GUS_EMAIL = "gus@example.test";
    static final String GUS_PASSWORD = "gus's long password";
    static final String IDA_EMAIL = "ida@example.test";
    static final String IDA_PASSWORD = "ida's long password";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

    static WebDriver driver;
    static String harbourId;
    static String reportedErrorMessage = "Test <b>boom</b> " + UUID.randomUUID();

    @BeforeAll
    static void start() {
        driver = browser.driver();
        // someone else's public project, for explore and for featuring
        Musician hal = Musicians.named("hal_pages").publicProfile().signedIn(server);
        Http.Response made = server.http().post("/api/v1/projects", hal.token(), Map.of(
                "title", "Harbour <lights>", "genre", "ambient", "is_public", true));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        harbourId = made.json().path("id").asText();
        // a client's error report, for the administrators' list of errors
        Http.Response reported = server.http().post("/api/v1/errors", hal.token(),
                Map.of("error_message", reportedErrorMessage, "severity", "error", "error_code", "test_boom"));
        assertThat(reported.status()).as(reported.toString()).isEqualTo(202);
    }

    // ---- helpers

    /** Signs in over HTTP (a session of its own), optionally as another browser; answers the tokens. */
    static JsonNode signInOverHttp(String email, String password, String userAgent) {
        HttpRequest.Builder request = server.http().request("/api/v1/auth/login", null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.createObjectNode()
                        .put("email", email).put("password", password).toString(), StandardCharsets.UTF_8));
        if (userAgent != null) {
            request.header("User-Agent", userAgent);
        }
        Http.Response response = server.http().send(request);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The form control labelled exactly {@code label} inside {@code scope}. */
    static WebElement inputIn(WebElement scope, String label) {
        WebElement l = scope.findElement(By.xpath(".//label[normalize-space(text())='" + label + "']"));
        return driver.findElement(By.id(l.getDomAttribute("for")));
    }

    static void navTo(String linkText, String heading) {
        browser.waiting().until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav//a[normalize-space(text())='" + linkText + "']"))).click();
        browser.awaitHeading(heading);
    }

    static WebElement visible(String css) {
        return browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    static void awaitText(String css, String text) {
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    static WebElement presetCard(String name) {
        return browser.waiting().ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#presets-list li.preset")).stream()
                .filter(li -> name.equals(li.getDomAttribute("data-name"))).findFirst().orElse(null));
    }

    // ---- journeys

    @Test
    @Order(1)
    void aMusicianEditsHerProfileAndSeesItOnHerProfilePage() throws Exception {
        browser.signUp(FAY_EMAIL, "fay_pages", FAY_PASSWORD);
        assertThat(driver.findElement(By.id("nav")).getText()).contains("Presets", "Usage", "Settings")
                .doesNotContain("Admin");
        navTo("Settings", "Settings");
        WebElement form = visible("#profile-form");
        inputIn(form, "Full name").sendKeys("Fay <b>Reed</b>");
        inputIn(form, "Bio").sendKeys("Sings & plays <i>cello</i>.");
        WebElement website = inputIn(form, "Website");
        website.sendKeys("ftp://fay.example");

        // the server refuses the address: the words appear next to the field, which is marked invalid
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement error = visible("#profile-form .field-error");
        assertThat(error.getText()).contains("http(s)");
        assertThat(website.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(website.getDomAttribute("aria-describedby")).contains(error.getDomAttribute("id"));
        assertThat(driver.switchTo().activeElement()).isEqualTo(website);
        browser.consoleErrors().removeIf(e -> e.contains("/api/v1/me") && e.contains("422"));

        website.clear();
        website.sendKeys("https://fay.example/music");
        WebElement publicProfile = inputIn(form, "Public profile (anyone can see it and follow you)");
        publicProfile.click();
        form.findElement(By.cssSelector("button[type=submit]")).click();
        awaitText("#profile-form .message.ok", "Your profile is saved");
        assertThat(driver.findElements(By.cssSelector("#profile-form .field-error"))).isEmpty();
        assertThat(website.getDomAttribute("aria-invalid")).isNull();
        browser.screenshots("settings");

        driver.findElement(By.linkText("See your profile")).click();
        browser.awaitHeading("@fay_pages");
        assertThat(driver.findElement(By.cssSelector(".full-name")).getText()).isEqualTo("Fay <b>Reed</b>");
        assertThat(driver.findElement(By.cssSelector("main .description")).getText())
                .isEqualTo("Sings & plays <i>cello</i>.");
        assertThat(driver.findElements(By.cssSelector("main b, main i"))).isEmpty();
        WebElement link = driver.findElement(By.cssSelector(".website a"));
        assertThat(link.getDomAttribute("href")).isEqualTo("https://fay.example/music");
        // what an anonymous visitor sees of the now public profile
        Http.Response seen = server.http().get("/api/v1/profiles/fay_pages", null);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.json().path("bio").asText()).isEqualTo("Sings & plays <i>cello</i>.");
    }

    @Test
    @Order(2)
    void sheSeesHerUsageAsBarsOfHerPlanLimits() throws Exception {
        browser.createProject("First light");
        navTo("Usage", "Usage");
        WebElement projects = visible("li.usage-item[data-resource=projects]");
        assertThat(projects.getDomAttribute("data-used")).isEqualTo("1");
        assertThat(projects.getDomAttribute("data-limit")).isEqualTo("3");
        WebElement meter = projects.findElement(By.tagName("meter"));
        assertThat(meter.getDomProperty("value")).isEqualTo("1");
        assertThat(meter.getDomProperty("max")).isEqualTo("3");
        // the bar is named by its heading and described by the words
        assertThat(driver.findElement(By.id(meter.getDomAttribute("aria-labelledby"))).getText()).isEqualTo("Projects");
        assertThat(projects.getText()).contains("1 of 3 projects used", "never resets");
        assertThat(driver.findElement(By.id("usage-plan")).getText()).isEqualTo("Your plan: Free");
        WebElement storage = driver.findElement(By.cssSelector("li.usage-item[data-resource=storage_mb]"));
        assertThat(storage.getText()).contains("0 of 100 MB used", "Counts each file you stored once",
                "freed as soon as nothing does");
        WebElement exports = driver.findElement(By.cssSelector("li.usage-item[data-resource=exports]"));
        assertThat(exports.getText()).contains("of 10 exports used", "Resets every month — next on");
        browser.screenshots("usage");
    }

    @Test
    @Order(3)
    void sheSeesHerSessionsAndRevokesAnotherThenThisOne() throws Exception {
        JsonNode phone = signInOverHttp(FAY_EMAIL, FAY_PASSWORD, IPHONE);
        browser.open("/#/settings");
        browser.awaitHeading("Settings");
        String phoneSession = phone.path("session_id").asText();
        WebElement other = visible("#sessions li[data-session-id='" + phoneSession + "']");
        assertThat(other.getText()).contains("Safari on iOS", "Last active");
        assertThat(other.getDomAttribute("data-current")).isEqualTo("false");
        List<WebElement> current = driver.findElements(By.cssSelector("#sessions li[data-current=true]"));
        assertThat(current).hasSize(1);
        assertThat(current.get(0).getText()).contains("This device", "Chrome");
        browser.screenshots("settings-sessions", "#h-sessions");

        WebElement revoke = other.findElement(By.tagName("button"));
        assertThat(revoke.getDomAttribute("aria-label")).startsWith("Revoke session of Safari on iOS");
        revoke.click();
        awaitText("#h-sessions ~ .message.ok", "Safari on iOS is revoked");
        assertThat(driver.findElements(By.cssSelector("#sessions li[data-session-id='" + phoneSession + "']"))).isEmpty();
        // that session is over: its refresh token is refused
        Http.Response refreshed = server.http().post("/api/v1/auth/refresh", null,
                Map.of("refresh_token", phone.path("refresh_token").asText()));
        assertThat(refreshed.status()).isEqualTo(401);

        // revoking this browser's own session signs it out
        driver.findElement(By.cssSelector("#sessions li[data-current=true] button")).click();
        browser.awaitHeading("Sign in");
        awaitText("#notice", "signed out here");
        assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);
        assertThat(driver.findElement(By.id("nav")).getText()).contains("Sign in").doesNotContain("Settings");
    }

    @Test
    @Order(4)
    void sheSharesAPresetFromHerProjectsChainAndAnotherMusicianFindsRatesAndAppliesIt() throws Exception {
        // her project gets a chain (through the API: the studio's chain editor has its own test)
        String fayToken = signInOverHttp(FAY_EMAIL, FAY_PASSWORD, null).path("access_token").asText();
        String fayProject = server.http().get("/api/v1/projects", fayToken).json().path("items").get(0).path("id").asText();
        List<Map<String, Object>> chain = List.of(
                Map.of("type", "reverb", "settings", Map.of("room_size", 0.7)),
                Map.of("type", "delay", "settings", Map.of("delay_seconds", 0.25)));
        Http.Response set = server.http().put("/api/v1/projects/" + fayProject + "/effects", fayToken, Map.of("chain", chain));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        browser.signIn(FAY_EMAIL, FAY_PASSWORD);
        navTo("Presets", "Effects presets");
        WebElement panel = visible("#preset-panel");
        panel.findElement(By.tagName("summary")).click();
        WebElement form = visible("#preset-form");
        inputIn(form, "Name").sendKeys("Warm <vox>");
        inputIn(form, "Description").sendKeys("Room & echo for a lead vocal");
        inputIn(form, "Category (optional)").sendKeys("vocal");
        inputIn(form, "Public (other musicians can find, apply and rate it)").click();
        new Select(inputIn(form, "Take the chain of one of my projects")).selectByVisibleText("First light (2 effects)");
        assertThat(inputIn(form, "Effects chain (JSON)").getDomProperty("value")).contains("\"reverb\"", "\"delay\"");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        awaitText("#preset-form .message.ok", "Preset “Warm <vox>” created.");
        WebElement card = presetCard("Warm <vox>");
        assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo("Warm <vox>");
        assertThat(card.findElements(By.tagName("vox"))).isEmpty();
        assertThat(card.getText()).contains("by you", "public", "vocal", "Reverb → Delay", "Not rated yet");
        assertThat(card.findElements(By.xpath(".//label[text()='Your rating']"))).as("no rating one's own").isEmpty();

        // she edits its description
        card.findElement(By.xpath(".//button[text()='Edit']")).click();
        assertThat(inputIn(form, "Name").getDomProperty("value")).isEqualTo("Warm <vox>");
        assertThat(driver.switchTo().activeElement()).isEqualTo(inputIn(form, "Name"));
        WebElement description = inputIn(form, "Description");
        description.clear();
        description.sendKeys("Room & echo for any lead vocal");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        awaitText("#preset-form .message.ok", "Preset “Warm <vox>” saved.");
        card = presetCard("Warm <vox>");
        assertThat(card.getText()).contains("Room & echo for any lead vocal");
        browser.screenshots("presets", "#h-presets");

        // a second one, deleted after an inline confirmation
        WebElement name = inputIn(form, "Name");
        name.sendKeys("Scratch");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        awaitText("#preset-form .message.ok", "Preset “Scratch” created.");
        WebElement scratch = presetCard("Scratch");
        WebElement confirm = scratch.findElement(By.cssSelector(".confirm"));
        assertThat(confirm.isDisplayed()).isFalse();
        scratch.findElement(By.xpath(".//button[text()='Delete…']")).click();
        assertThat(confirm.isDisplayed()).isTrue();
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Keep it");
        driver.switchTo().activeElement().click();
        assertThat(confirm.isDisplayed()).isFalse();
        scratch.findElement(By.xpath(".//button[text()='Delete…']")).click();
        confirm.findElement(By.xpath(".//button[text()='Yes, delete it']")).click();
        awaitText("#h-presets ~ .message.ok", "Preset “Scratch” deleted.");
        browser.waiting().until(d -> d.findElements(By.cssSelector("#presets-list li[data-name=Scratch]")).isEmpty());
        browser.signOut();

        // another musician finds it by category, rates it and applies it to his project
        browser.signUp(GUS_EMAIL, "gus_pages", GUS_PASSWORD);
        browser.createProject("Gus song");
        String gusProject = driver.getCurrentUrl().replaceAll(".*#/projects/", "");
        navTo("Presets", "Effects presets");
        WebElement category = browser.input("Category");
        category.sendKeys("vocal");
        driver.findElement(By.cssSelector("form.preset-filters button[type=submit]")).click();
        browser.waiting().until(d -> Boolean.TRUE.equals(browser.js(
                "const cards = [...document.querySelectorAll('#presets-list li.preset')];"
                        + "return cards.length > 0 && cards.every(li => li.textContent.includes('vocal'));")));
        card = presetCard("Warm <vox>");
        assertThat(card.getText()).contains("by @fay_pages", "Room & echo for any lead vocal");
        assertThat(card.findElements(By.xpath(".//button[text()='Edit']"))).as("only the author edits").isEmpty();

        new Select(inputIn(card, "Your rating")).selectByValue("5");
        card.findElement(By.xpath(".//button[text()='Rate']")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElement(card, "Rated 5 of 5 by 1 musician"));

        new Select(inputIn(card, "Apply to my project")).selectByVisibleText("Gus song");
        card.findElement(By.xpath(".//button[text()='Apply']")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElement(card, "Applied “Warm <vox>” to “Gus song”"));
        assertThat(card.getText()).contains("applied 1 time");
        String presetId = card.getDomAttribute("data-preset-id");
        browser.screenshots("presets-applied", "li.preset[data-preset-id='" + presetId + "']");

        // the confirmation leads to the project, whose chain is now the preset's
        card.findElement(By.linkText("Open “Gus song”")).click();
        browser.awaitHeading("Gus song");
        browser.waiting().until(d -> d.findElements(By.cssSelector("#effects-chain li.effect")).size() == 2);
        String gusToken = signInOverHttp(GUS_EMAIL, GUS_PASSWORD, null).path("access_token").asText();
        JsonNode project = server.http().get("/api/v1/projects/" + gusProject, gusToken).json();
        JsonNode preset = server.http().get("/api/v1/effects-presets/" + presetId, gusToken).json();
        assertThat(project.path("effects_settings").path("chain")).isEqualTo(preset.path("effects_chain"));
        assertThat(preset.path("effects_chain").get(0).path("type").asText()).isEqualTo("reverb");
        assertThat(preset.path("rating_average").asDouble()).isEqualTo(5.0);
    }

    @Test
    @Order(5)
    void anAdministratorChangesATierLimitAndFeaturesAProjectThatExploreThenShows() throws Exception {
        browser.signOut();
        browser.signUp(IDA_EMAIL, "ida_pages", IDA_PASSWORD);
        assertThat(driver.findElement(By.id("nav")).getText()).doesNotContain("Admin");
        JsonNode tokens = signInOverHttp(IDA_EMAIL, IDA_PASSWORD, null);
        Musicians.makeAdmin(database, UUID.fromString(tokens.path("user_id").asText()));
        driver.navigate().refresh(); // the page learns again who she is
        navTo("Admin", "Administration");

        // the free plan's project limit: 3 → 5
        WebElement row = visible("#limits-table tr[data-tier=free][data-resource=projects]");
        assertThat(row.getText()).contains("Free", "Projects", "lifetime");
        assertThat(row.findElement(By.cssSelector("td[data-label=Limit]")).getText()).isEqualTo("3");
        row.findElement(By.tagName("button")).click();
        WebElement value = browser.byId("limit-value");
        assertThat(driver.switchTo().activeElement()).isEqualTo(value);
        assertThat(value.getDomProperty("value")).isEqualTo("3");
        value.clear();
        value.sendKeys("5");
        driver.findElement(By.cssSelector("#limit-form button[type=submit]")).click();
        awaitText("#limits .message.ok", "the Free plan's Projects limit is now 5 (lifetime)");
        browser.waiting().until(d -> d.findElement(By.cssSelector(
                "#limits-table tr[data-tier=free][data-resource=projects] td[data-label=Limit]")).getText().equals("5"));
        assertThat(driver.findElement(By.cssSelector("#limits-table tr[data-tier=free][data-resource=storage_mb]"))
                .getText()).contains("100 MB");
        String gusToken = signInOverHttp(GUS_EMAIL, GUS_PASSWORD, null).path("access_token").asText();
        JsonNode usage = server.http().get("/api/v1/usage", gusToken).json();
        for (JsonNode item : usage.path("resources")) {
            if (item.path("resource_type").asText().equals("projects")) {
                assertThat(item.path("limit").asInt()).isEqualTo(5);
            }
        }

        // feature a public project found from explore
        WebElement candidate = visible("#featuring-candidates li[data-project-id='" + harbourId + "']");
        assertThat(candidate.getText()).contains("Harbour <lights>", "@hal_pages");
        candidate.findElement(By.tagName("button")).click();
        awaitText("#featuring .message.ok", "“Harbour <lights>” is featured");
        visible("#featured-now li[data-project-id='" + harbourId + "']");
        browser.screenshots("admin");
        browser.screenshots("admin-featuring", "#featuring");

        // explore shows it in the Featured strip, above the results
        navTo("Explore", "Explore");
        WebElement featured = visible("#featured-projects li.project[data-project-id='" + harbourId + "']");
        assertThat(featured.findElement(By.tagName("h3")).getText()).isEqualTo("Harbour <lights>");
        assertThat(driver.findElement(By.id("h-featured")).getText()).isEqualTo("Featured");
        browser.screenshots("explore-featured");
    }

    @Test
    @Order(6)
    void anAdministratorResolvesAnErrorGrantsAndRevokesAnAdminAndChangesAUsersPlan() throws Exception {
        browser.open("/#/admin"); // ida, still signed in
        browser.awaitHeading("Administration");

        // the reported error is listed as text and marked resolved
        WebElement error = browser.waiting().ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#error-logs li.error-log")).stream()
                .filter(li -> li.getText().contains(reportedErrorMessage)).findFirst().orElse(null));
        assertThat(error.findElements(By.tagName("b"))).isEmpty();
        String errorId = error.getDomAttribute("data-error-id");
        error.findElement(By.xpath(".//button[text()='Mark resolved']")).click();
        awaitText("#errors .message.ok", "Marked resolved.");
        assertThat(driver.findElements(By.cssSelector("#error-logs li[data-error-id='" + errorId + "']"))).isEmpty();
        String idaToken = signInOverHttp(IDA_EMAIL, IDA_PASSWORD, null).path("access_token").asText();
        JsonNode resolved = server.http().get("/api/v1/admin/errors?resolved=true", idaToken).json();
        assertThat(resolved.path("items").findValuesAsText("id")).contains(errorId);

        // grant gus by username, see him listed, revoke him
        browser.byId("grant-who").sendKeys("@gus_pages");
        driver.findElement(By.cssSelector("#grant-form button[type=submit]")).click();
        awaitText("#administrators .message.ok", "@gus_pages is now an administrator.");
        WebElement gus = visible("#admins li[data-username=gus_pages]");
        gus.findElement(By.tagName("button")).click();
        awaitText("#administrators .message.ok", "@gus_pages is no longer an administrator.");
        assertThat(driver.findElements(By.cssSelector("#admins li[data-username=gus_pages]"))).isEmpty();
        assertThat(driver.findElement(By.id("admins")).getText()).contains("@ida_pages");

        // a user's usage, then a plan change
        browser.byId("user-who").sendKeys("gus_pages");
        driver.findElement(By.cssSelector("#user-form button[type=submit]")).click();
        WebElement projects = visible("#admin-usage-resources li[data-resource=projects]");
        assertThat(projects.getDomAttribute("data-used")).isEqualTo("1");
        new Select(browser.byId("sub-tier")).selectByValue("pro");
        driver.findElement(By.cssSelector("#subscription-form button[type=submit]")).click();
        awaitText("#user .message.ok", "@gus_pages is now on the Pro plan.");
        awaitText("#admin-usage-plan", "Pro");
        JsonNode gusUsage = server.http().get("/api/v1/usage",
                signInOverHttp(GUS_EMAIL, GUS_PASSWORD, null).path("access_token").asText()).json();
        assertThat(gusUsage.path("tier").asText()).isEqualTo("pro");

        // analytics counts and the audit log name what happened
        visible("#analytics table");
        driver.findElement(By.cssSelector("#audit form button[type=submit]")).click();
        browser.waiting().until(d -> !d.findElements(By.cssSelector("#audit-log li[data-target-type]")).isEmpty());
        browser.waiting().until(d -> d.findElement(By.id("audit-log")).getText().contains("subscription_limit"));
        assertThat(driver.findElement(By.id("audit-log")).getText()).contains("by @ida_pages");
        browser.screenshots("admin-audit", "#audit");
    }

    @Test
    @Order(7)
    void aMusicianWhoIsNotAnAdministratorSeesNoAdminLinkAndIsToldSoAtTheAdminAddress() {
        browser.signOut();
        browser.signIn(GUS_EMAIL, GUS_PASSWORD);
        assertThat(driver.findElement(By.id("nav")).getText()).contains("Settings").doesNotContain("Admin");
        browser.open("/#/admin");
        browser.awaitHeading("Administration");
        assertThat(visible("#not-allowed").getText()).contains("not allowed", "only for administrators");
        assertThat(driver.findElements(By.id("limits"))).isEmpty();
    }

    @Test
    @Order(8)
    void sheDeletesHerAccountWithHerPasswordAndCanNoLongerSignIn() {
        browser.signOut();
        browser.signIn(FAY_EMAIL, FAY_PASSWORD);
        navTo("Settings", "Settings");
        WebElement open = visible("#delete-account");
        assertThat(open.getDomAttribute("aria-expanded")).isEqualTo("false");
        open.click();
        WebElement form = visible("#delete-account-form");
        WebElement password = inputIn(form, "Your password");
        assertThat(driver.switchTo().activeElement()).isEqualTo(password);
        password.sendKeys("not her password");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        awaitText("#delete-account-form .message.error", "The password is not correct");
        browser.consoleErrors().removeIf(e -> e.contains("/api/v1/me") && e.contains("403"));

        password.clear();
        password.sendKeys(FAY_PASSWORD);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.awaitHeading("Sign in");
        awaitText("#notice", "Your account and everything in it are deleted.");
        assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);

        browser.input("Email").sendKeys(FAY_EMAIL);
        browser.input("Password").sendKeys(FAY_PASSWORD);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement refused = visible("form .message.error");
        assertThat(refused.getText()).isNotBlank();
        browser.consoleErrors().removeIf(e -> e.contains("/api/v1/auth/login") && e.contains("401"));
        Http.Response login = server.http().post("/api/v1/auth/login", null,
                Map.of("email", FAY_EMAIL, "password", FAY_PASSWORD));
        assertThat(login.status()).isEqualTo(401);
        assertThat(server.http().get("/api/v1/profiles/fay_pages", null).status()).isEqualTo(404);
    }
}
