package dev.opencx.channel.web.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the browser tests of the web modules (the widget here, the team inbox in
 * {@code opencx-helpdesk-inbox}, through this module's test jar). Uses Debian's {@code chromium}
 * and {@code chromium-driver}; {@code OPENCX_CHROMIUM} and {@code OPENCX_CHROMEDRIVER} override the
 * paths. Without them a test skips, unless {@code CI=true}: then it fails.
 *
 * <p>Screenshots go to {@code target/screenshots}; with {@code -Dopencx.updateScreenshots=true}
 * they also replace the ones in the module's {@code docs/} that its README shows.
 */
public final class HeadlessChromium {
    public static final String CHROMIUM = env("OPENCX_CHROMIUM", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = env("OPENCX_CHROMEDRIVER", "/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** Skips the test (or, on CI, fails it) when Chromium or its driver is missing. */
    public static void assume() {
        String missing = !new File(CHROMIUM).canExecute()
                ? CHROMIUM
                : !new File(CHROMEDRIVER).canExecute() ? CHROMEDRIVER : null;
        if (missing != null) {
            String why = missing + " is missing; install Debian's chromium and chromium-driver"
                    + " (apt-get install -y chromium chromium-driver) or set OPENCX_CHROMIUM/OPENCX_CHROMEDRIVER";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and " + why);
            }
            Assumptions.abort("skipping the browser tests: " + why);
        }
    }

    /** A new headless browser with a window of {@code width} x {@code height}; {@code quit()} stops its driver too. */
    public static WebDriver start(int width, int height) {
        return start(width, height, "en-US");
    }

    /**
     * A new headless browser whose language ({@code navigator.language}, {@code Accept-Language})
     * is {@code lang}, like {@code "de-DE"}.
     */
    public static WebDriver start(int width, int height, String lang) {
        assume();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + width + "," + height,
                "--lang=" + lang);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", lang));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** Waits up to {@code timeout} for {@code condition} to give a value other than null or false. */
    public static <V> V waitUntil(WebDriver driver, Duration timeout, Function<WebDriver, V> condition) {
        return new WebDriverWait(driver, timeout).until(condition::apply);
    }

    /** The first element matching a CSS selector, or null. */
    public static WebElement first(WebDriver driver, String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0);
    }

    /** Runs a script in the page. */
    public static Object js(WebDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves a screenshot as {@code target/screenshots/NAME} (and {@code docs/NAME} when asked, see above). */
    public static void screenshot(WebDriver driver, String name) throws IOException {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("opencx.updateScreenshots")) {
            Files.createDirectories(Path.of("docs"));
            Files.copy(shot, Path.of("docs", name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
