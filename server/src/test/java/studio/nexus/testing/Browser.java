package studio.nexus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian {@code chromium} + {@code chromium-driver}) driven by Selenium against a
 * {@link TestServer}, with the fake microphone on. Register it after the server:
 * {@code @RegisterExtension @Order(3) static Browser browser = new Browser(server);}
 *
 * <p>After every test the browser console must be clean: errors, failed requests and CSP violations fail the test.
 * A test that provokes an expected failure (a 402 the page shows in words) drops that line from
 * {@link #consoleErrors()} itself. Screenshots go to {@code server/target/screenshots/}.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private static final Path CHROMIUM = executable("STUDIO_TEST_CHROMIUM", "chromium", "chromium-browser",
            "google-chrome");
    private static final Path CHROMEDRIVER = executable("STUDIO_TEST_CHROMEDRIVER", "chromedriver");
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private final TestServer server;
    private final List<String> pendingErrors = new ArrayList<>();
    private WebDriver driver;
    private Path profileDir;
    /** What the window adds around the page (its size less the viewport's), as {@link #viewport} last found it. */
    private Dimension frame = new Dimension(0, 0);

    public Browser(TestServer server) {
        this.server = server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assertThat(CHROMIUM != null && CHROMEDRIVER != null)
                .as("headless Chromium and its driver are needed on the PATH (or STUDIO_TEST_CHROMIUM and "
                        + "STUDIO_TEST_CHROMEDRIVER): apt-get install chromium chromium-driver (.ci/run does)")
                .isTrue();
        profileDir = Files.createTempDirectory("studio-nexus-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--user-data-dir=" + profileDir.toAbsolutePath(), "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> errors = new ArrayList<>(consoleErrors());
        pendingErrors.clear();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profileDir != null) {
            try (var files = Files.walk(profileDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** The server's address, e.g. {@code http://localhost:41234}. */
    public String base() {
        return server.http().base();
    }

    /** Opens a page of the web app, e.g. {@code open("/#/explore")}, in a 1280 × 800 viewport. */
    public void open(String path) {
        viewport(1280, 800);
        driver.get(base() + path);
    }

    /**
     * Sizes the window so that the page itself (the viewport, {@code window.innerWidth × innerHeight}) is exactly
     * {@code width × height} CSS pixels: a headless window of 1280 × 800 shows a page of only 1280 × 657.
     */
    public void viewport(int width, int height) {
        // the window's own frame, as last measured (none on the first call), is added at once
        Dimension window = new Dimension(width + frame.getWidth(), height + frame.getHeight());
        driver.manage().window().setSize(window);
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Number> inner = settledViewport();
            int dw = width - inner.get(0).intValue();
            int dh = height - inner.get(1).intValue();
            if (dw == 0 && dh == 0) {
                frame = new Dimension(window.getWidth() - width, window.getHeight() - height);
                return;
            }
            window = new Dimension(window.getWidth() + dw, window.getHeight() + dh);
            driver.manage().window().setSize(window);
        }
        assertThat(settledViewport()).as("the viewport").containsExactly(width, height);
    }

    /** The viewport's size once a resize has reached the page (two reads 40 ms apart agree). */
    @SuppressWarnings("unchecked")
    private List<Number> settledViewport() {
        List<Number> before = null;
        for (int read = 0; read < 50; read++) {
            sleep(40);
            List<Number> now = ((List<Number>) js("return [window.innerWidth, window.innerHeight]")).stream()
                    .map(n -> (Number) n.intValue()).toList();
            if (now.equals(before)) {
                return now;
            }
            before = now;
        }
        return before;
    }

    /**
     * Opens the studio's panel {@code name} ("effects", "versions", "settings", …: the toggle
     * {@code #panel-toggle-<name>} in the toolbar over the desk) unless it is open, and waits until it shows. A panel
     * of another name is closed first (on a phone it is a sheet over the toolbar).
     */
    public void openPanel(String name) {
        WebElement toggle = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("panel-toggle-" + name)));
        if ("true".equals(toggle.getDomAttribute("aria-expanded"))) {
            return;
        }
        for (WebElement close : driver.findElements(By.cssSelector("#studio-dock .dock-panel:not([hidden]) .dock-close"))) {
            close.click();
        }
        waiting().until(ExpectedConditions.elementToBeClickable(toggle)).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("panel-" + name)));
    }

    public WebDriverWait waiting() {
        return waiting(Duration.ofSeconds(20));
    }

    public WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    /** Browser console entries at SEVERE level (JS errors, failed requests, CSP violations) seen so far. */
    public List<String> consoleErrors() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                pendingErrors.add(entry.getMessage());
            }
        }
        return pendingErrors;
    }

    /** The form control that the label with exactly this text is for. */
    public WebElement input(String label) {
        WebElement l = driver.findElement(By.xpath("//label[normalize-space(text())='" + label + "']"));
        return driver.findElement(By.id(l.getDomAttribute("for")));
    }

    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits for a page whose {@code h1} has exactly this text. */
    public void awaitHeading(String text) {
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[text()='" + text + "']")));
    }

    /** True once the studio's player has loaded this source ("original", "processed", …). */
    public boolean audioReady(String source) {
        return Boolean.TRUE.equals(js("const a = document.getElementById('player');"
                + "return a.dataset.source === arguments[0] && a.readyState >= 1 && a.duration > 0;", source));
    }

    /** How many pixels of the studio's waveform canvas are drawn in the waveform's colour. */
    public long waveformPixelsLit() {
        Object n = js("const c = document.getElementById('waveform');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let lit = 0;"
                + "for (let i = 0; i < d.length; i += 4) { if (d[i + 2] > 150) lit++; } return lit;");
        return ((Number) n).longValue();
    }

    public void screenshots(String name) throws IOException, InterruptedException {
        screenshots(name, null);
    }

    /**
     * Desktop (1280 × 800) and phone (390 × 844) screenshots of the viewport, scrolled to the top or to the element
     * {@code scrollTo} selects (inside the studio's open panel too). Every page a
     * test photographs is also checked for controls a screen reader could not name ({@link #unnamedControls()}).
     */
    public void screenshots(String name, String scrollTo) throws IOException, InterruptedException {
        assertThat(unnamedControls()).as("controls without an accessible name on the page shot as " + name).isEmpty();
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            viewport(size[0], size[1]);
            js("document.activeElement?.blur(); window.scrollTo(0, 0);");
            if (scrollTo != null) {
                js("document.querySelector(arguments[0]).scrollIntoView();", scrollTo);
            }
            Thread.sleep(300); // let the layout and the canvas redraw settle
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + "-" + size[0] + "x" + size[1] + ".png"), png);
        }
        viewport(1280, 800);
    }

    /** Signs up through the page and lands on "My projects". */
    public void signUp(String email, String username, String password) {
        open("/#/signup");
        awaitHeading("Create your account");
        input("Email").sendKeys(email);
        input("Username").sendKeys(username);
        input("Password").sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        awaitHeading("My projects");
    }

    public void signIn(String email, String password) {
        open("/#/signin");
        awaitHeading("Sign in");
        input("Email").sendKeys(email);
        input("Password").sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        awaitHeading("My projects");
    }

    public void signOut() {
        driver.findElement(By.id("sign-out")).click();
        awaitHeading("Sign in");
    }

    /** Creates a project from "My projects" and waits for its studio. */
    public void createProject(String title) {
        open("/#/projects");
        awaitHeading("My projects");
        input("Title").sendKeys(title);
        driver.findElement(By.cssSelector("#new-project button[type=submit]")).click();
        awaitHeading(title);
    }

    /** Uploads a file through the file picker of the studio's Audio panel and waits for the waveform. */
    public void uploadAudio(byte[] file) throws IOException {
        openPanel("audio");
        Path wav = Files.createTempFile("take", ".wav");
        try {
            Files.write(wav, file);
            driver.findElement(By.id("audio-file")).sendKeys(wav.toAbsolutePath().toString());
            waiting().until(d -> "true".equals(d.findElement(By.id("waveform")).getDomAttribute("data-drawn")));
            waiting().until(d -> audioReady("original"));
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /**
     * Visible form controls and buttons that have no accessible name: no {@code <label for>} or wrapping label, no
     * {@code aria-label}/{@code aria-labelledby}, no text (buttons) and no {@code title}. Described for the message.
     */
    @SuppressWarnings("unchecked")
    public List<String> unnamedControls() {
        return (List<String>) js("""
                const named = (el) => {
                  if (el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')) return true;
                  if (el.title?.trim()) return true;
                  if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
                  if ((el.tagName === 'BUTTON' || el.tagName === 'SUMMARY') && el.textContent.trim()) return true;
                  if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type) && el.value) return true;
                  return false;
                };
                return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, summary')]
                  .filter((el) => el.getClientRects().length > 0 && !named(el))
                  .map((el) => el.outerHTML.slice(0, 160));
                """);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The program the environment variable names, else the first of the names found on the PATH; null if none. */
    private static Path executable(String variable, String... names) {
        String chosen = System.getenv(variable);
        if (chosen != null && !chosen.isBlank()) {
            Path path = Paths.get(chosen);
            return Files.isExecutable(path) ? path : null;
        }
        String searchPath = System.getenv("PATH");
        for (String name : names) {
            for (String dir : searchPath == null ? new String[0] : searchPath.split(java.io.File.pathSeparator)) {
                Path candidate = Paths.get(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
