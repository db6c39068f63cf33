package io.chatplatform.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium (Debian's {@code chromium} + {@code chromedriver}, never a downloaded browser) driven through
 * Selenium, one fresh profile each: one instance is one person's browser. Tests call {@link #assumeAvailable()} first,
 * so a machine without Chromium skips them with a message instead of failing.
 */
public final class Browser implements AutoCloseable {

    public static final Dimension DESKTOP = new Dimension(1200, 780);
    public static final Dimension PHONE = new Dimension(400, 780);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static volatile boolean toldMissing;

    private final String name;
    private final ChromeDriver driver;
    private final Path profile;

    private Browser(String name, Dimension size) throws IOException {
        this.name = name;
        this.profile = Files.createTempDirectory("chromium-" + name + "-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter", "--password-store=basic",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + size.getWidth() + "," + size.getHeight());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        Files.createDirectories(SCREENSHOTS);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver()))
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve(name + ".chromedriver.log").toFile())
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(size);
    }

    static String chromium() {
        return System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
    }

    static String chromedriver() {
        return System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
    }

    /** Skips the calling test class (JUnit assumption) when this machine has no Chromium or chromedriver. */
    public static void assumeAvailable() {
        boolean chromium = new File(chromium()).canExecute();
        boolean driver = new File(chromedriver()).canExecute();
        String missing = !chromium ? chromium() : !driver ? chromedriver() : null;
        if (missing != null && !toldMissing) {
            toldMissing = true;
            System.out.println("BROWSER TESTS SKIPPED: " + missing + " is missing. Install Debian's chromium and"
                    + " chromium-driver (.ci/run does: apt-get install -y chromium chromium-driver), or point"
                    + " CHROMIUM_BIN / CHROMEDRIVER_BIN at them.");
        }
        Assumptions.assumeTrue(missing == null, () -> "no browser: " + missing
                + " is missing (apt-get install -y chromium chromium-driver); browser tests skipped");
    }

    public static Browser open(String name, Dimension size) {
        try {
            return new Browser(name, size);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Browser go(URI url) {
        driver.get(url.toString());
        return this;
    }

    /** Logs in through the page's form (registering first when asked). */
    public Browser login(String username, String password, boolean register) {
        await("#login-view:not([hidden])");
        type("#login-username", username);
        type("#login-password", password);
        click(register ? "#register-submit" : "#login-submit");
        await("#app-view:not([hidden])");
        awaitText("#conn-status", "online");
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public WebElement await(String css) {
        return until("element " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    public WebElement awaitText(String css, String text) {
        return until("'" + text + "' in " + css, d -> {
            for (WebElement element : d.findElements(By.cssSelector(css))) {
                if (element.getText().contains(text)) {
                    return element;
                }
            }
            return null;
        });
    }

    /** Waits until the script returns something truthy (e.g. an image's naturalWidth > 0). */
    public Object awaitJs(String what, String script, Object... args) {
        return until(what, d -> {
            Object result = ((JavascriptExecutor) d).executeScript(script, args);
            return result == null || Boolean.FALSE.equals(result) ? null : result;
        });
    }

    public void awaitCount(String css, int count) {
        until(count + " x " + css, d -> d.findElements(By.cssSelector(css)).size() == count ? true : null);
    }

    public void awaitGone(String css) {
        until("no " + css, d -> d.findElements(By.cssSelector(css)).isEmpty() ? true : null);
    }

    public void click(String css) {
        until("clickable " + css, d -> {
            WebElement element = d.findElement(By.cssSelector(css));
            if (!element.isDisplayed() || !element.isEnabled()) {
                return null;
            }
            element.click();
            return true;
        });
    }

    public void type(String css, String text) {
        WebElement input = await(css);
        input.clear();
        input.sendKeys(text);
    }

    /** Types into the message box and sends. */
    public void say(String text) {
        type("#composer-text", text);
        click("#send");
    }

    /** How many messages in the open conversation contain this text. */
    public long countMessages(String text) {
        return findAll("#message-list li").stream().filter(li -> {
            try {
                return li.getText().contains(text);
            } catch (StaleElementReferenceException e) {
                return false;
            }
        }).count();
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public String newTab() {
        driver.switchTo().newWindow(WindowType.TAB);
        return driver.getWindowHandle();
    }

    public String window() {
        return driver.getWindowHandle();
    }

    public void switchTo(String window) {
        driver.switchTo().window(window);
    }

    public Path screenshot(String shot) {
        try {
            File file = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + "-" + shot + ".png");
            Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T until(String what, ExpectedCondition<T> condition) {
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class)
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            screenshot("timeout");
            throw new AssertionError(name + ": waited " + WAIT.toSeconds() + " s for " + what + "; page says:\n"
                    + driver.findElement(By.tagName("body")).getText() + "\nconsole:\n" + consoleLog(), e);
        }
    }

    private String consoleLog() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString).collect(Collectors.joining("\n"));
        } catch (RuntimeException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            Files.writeString(SCREENSHOTS.resolve(name + ".console.log"), consoleLog());
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
