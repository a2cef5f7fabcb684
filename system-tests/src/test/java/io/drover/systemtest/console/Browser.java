package io.drover.systemtest.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through Debian's chromedriver: the paths are given, so Selenium Manager never
 * looks for (or downloads) a browser or a driver. Installs both with apt-get when missing (as root). Accepts the
 * cluster's certificate, which its own CA signed.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    static Browser open(Path screenshots) throws IOException, InterruptedException {
        return open(screenshots, new String[0]);
    }

    static Browser open(Path screenshots, String... extra) throws IOException, InterruptedException {
        installWhenMissing();
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
        options.addArguments(extra);
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new Browser(driver, screenshots);
    }

    private static void installWhenMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        Process p = new ProcessBuilder("sh", "-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive "
                + "apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium chromium-driver").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/console-apt.log"))).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("could not install chromium and chromium-driver with apt-get (run as root, or"
                    + " install them); see system-tests/target/console-apt.log");
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    void get(String url) {
        driver.get(url);
    }

    WebElement waitFor(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(d -> {
            var found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Clicks what {@code by} finds, finding it again when the page redrew it between finding and clicking. */
    void click(By by, Duration timeout) {
        until(d -> {
            try {
                var found = d.findElements(by);
                if (found.isEmpty() || !found.get(0).isDisplayed()) {
                    return false;
                }
                found.get(0).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        }, timeout);
    }

    <T> T until(ExpectedCondition<T> condition, Duration timeout) {
        // The page redraws as updates come: an element found a moment ago may be gone; look again.
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Saves a PNG of the window as {@code name}.png and returns its path. */
    Path screenshot(String name) throws IOException {
        Path out = screenshots.resolve(name + ".png");
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, out, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
