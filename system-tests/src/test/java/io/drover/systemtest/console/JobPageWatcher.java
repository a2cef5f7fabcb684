package io.drover.systemtest.console;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/**
 * One headless chromium session with the console's page of one job open, logged in with a token, counting what the
 * page got live: a mutation observer counts the redraws of the job's summary (one batch of changes per server-sent
 * {@code job} event that changed something shown)
 * and keeps the progress shown and every state of the live badge. The test reads the counts once, at the end, so
 * WebDriver calls do not add to the load being measured.
 */
final class JobPageWatcher implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OBSERVE = """
            const summary = document.getElementById('job-summary');
            const live = document.getElementById('live');
            const seen = { renders: 0, progress: null, badges: [live.className] };
            window.droverSeen = seen;
            new MutationObserver(() => {
              seen.renders++;
              const p = document.getElementById('job-progress');
              if (p) seen.progress = p.dataset.progress;
            }).observe(summary, { childList: true, subtree: true, characterData: true, attributes: true });
            new MutationObserver(() => { if (!seen.badges.includes(live.className)) seen.badges.push(live.className); })
              .observe(live, { attributes: true });
            """;

    private final Browser browser;

    private JobPageWatcher(Browser browser) {
        this.browser = browser;
    }

    /** Opens the console at {@code consoleUrl}, logs in with {@code token} and opens job {@code jobId}'s page. */
    static JobPageWatcher open(Path screenshots, String consoleUrl, String token, String role, String jobId)
            throws IOException, InterruptedException {
        Browser browser = Browser.open(screenshots);
        try {
            browser.get(consoleUrl);
            ConsoleBrowserTest.logIn(browser, token, role);
            browser.script("location.hash = '#/jobs/' + arguments[0];", jobId);
            browser.waitFor(By.id("job-progress"), WAIT);
            browser.until(d -> "live on".equals(browser.script("return document.getElementById('live').className;")), WAIT);
            browser.script(OBSERVE);
            return new JobPageWatcher(browser);
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    /** What the page got since it was opened. */
    Seen seen() {
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.script("return window.droverSeen;");
        @SuppressWarnings("unchecked")
        List<String> badges = (List<String>) seen.get("badges");
        Object progress = seen.get("progress");
        return new Seen(((Number) seen.get("renders")).intValue(), progress == null ? -1 : Double.parseDouble(progress.toString()),
                badges);
    }

    /** Waits until the page shows {@code percent} progress (the last live update can trail the SDK's answer). */
    void awaitProgress(double percent) {
        browser.until(d -> {
            Object p = browser.script("return window.droverSeen.progress;");
            return p != null && Double.parseDouble(p.toString()) >= percent;
        }, WAIT);
    }

    Path screenshot(String name) throws IOException {
        return browser.screenshot(name);
    }

    @Override
    public void close() {
        browser.close();
    }

    /** Redraws of the job summary, the last progress shown (percent, -1 for none) and the live badge's states. */
    record Seen(int renders, double progress, List<String> badges) {
        boolean polled() {
            return badges.stream().anyMatch(b -> b.contains("poll"));
        }
    }
}
