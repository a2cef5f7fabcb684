package io.drover.systemtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.TaskStream;
import io.drover.security.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web console in a real headless browser against a secure cluster: an operator logs in with a token, watches
 * a running job reach 100%, sees its task stream drawn, drains an agent and sees it DRAINING; a viewer then sees
 * the agents without any drain button. Screenshots go to system-tests/target/console-screenshots/.
 */
class ConsoleBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Path JOB_JAR = Path.of("target", "jobs", "drover-job-examples.jar");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anOperatorWatchesAJobAndDrainsAnAgentAndAViewerGetsNoDrainButton() throws Exception {
        try (ConsoleCluster cluster = ConsoleCluster.start(dir, 2, 2);
             Browser browser = Browser.open(SCREENSHOTS)) {
            String operator = cluster.token(Role.OPERATOR, "olga");
            String viewer = cluster.token(Role.VIEWER, "victor");
            DroverClient submitter = cluster.client(cluster.token(Role.SUBMITTER, "alice"));

            browser.get(cluster.consoleUrl());
            logIn(browser, operator, "operator");
            browser.waitFor(By.id("jobs-table"), WAIT);

            // The agents take no work until the job's page is open, so the page sees the job from 0%, whatever the
            // machine's speed; then 48 tasks of 250 ms run on 4 slots (about 3 s of work).
            DroverClient operations = cluster.client(operator);
            operations.drain("agent-1", true);
            operations.drain("agent-2", true);
            JobHandle job = submitter.submit(JobSpec.jvm(JOB_JAR, "io.drover.examples.Sleep").name("console-sleep")
                    .isolation(Isolation.IN_AGENT).arguments("250").shards(48).build());
            // A name made of markup is shown as text, never parsed as HTML.
            JobHandle markup = submitter.submit(JobSpec.jvm(JOB_JAR, "io.drover.examples.Sleep")
                    .name("<img src=x id=injected>").isolation(Isolation.IN_AGENT).arguments("1").shards(1).build());
            browser.waitFor(By.cssSelector("tr[data-job-id='" + job.jobId() + "']"), WAIT);
            browser.waitFor(By.cssSelector("tr[data-job-id='" + markup.jobId() + "']"), WAIT);
            assertThat(browser.driver().findElements(By.id("injected"))).isEmpty();
            assertThat(browser.script("return document.getElementById('jobs-table').textContent;").toString())
                    .contains("<img src=x id=injected>");
            browser.screenshot("01-jobs");
            browser.click(By.cssSelector("tr[data-job-id='" + job.jobId() + "'] a"), WAIT);

            browser.waitFor(By.id("job-progress"), WAIT);
            // A tab in the background reads no events: its stream is closed while hidden and opened again when shown.
            browser.script("window.liveSeen = [document.getElementById('live').className];"
                    + " new MutationObserver(() => window.liveSeen.push(document.getElementById('live').className))"
                    + ".observe(document.getElementById('live'), {attributes: true});");
            String jobTab = browser.driver().getWindowHandle();
            browser.driver().switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            browser.driver().close();
            browser.driver().switchTo().window(jobTab);
            browser.until(d -> "live on".equals(browser.script("return document.getElementById('live').className;")), WAIT);
            assertThat(browser.script("return window.liveSeen;").toString()).as("the badge while hidden, then shown")
                    .contains("live paused");
            operations.drain("agent-1", false);
            operations.drain("agent-2", false);
            List<Double> seen = new ArrayList<>();
            browser.until(d -> {
                Object text = browser.script("const e = document.getElementById('job-progress'); return e ? e.dataset.progress : null;");
                if (text == null) {
                    return false;
                }
                double p = Double.parseDouble(text.toString());
                if (seen.isEmpty() || seen.get(seen.size() - 1) != p) {
                    seen.add(p);
                }
                return p >= 100.0;
            }, Duration.ofSeconds(60));
            assertThat(seen.get(0)).as("progress the page first showed (before the agents took work)").isEqualTo(0.0);
            assertThat(seen).as("progress updates the page showed").hasSizeGreaterThan(1);
            assertThat(job.status(false).state()).isEqualTo(JobState.SUCCEEDED);

            // The canvas is redrawn as updates come: read its attributes in one script, never through a kept element.
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> canvas = browser.until(d -> {
                Object drawn = browser.script("const c = document.getElementById('stream-canvas');"
                        + " return c && c.dataset.drawn === 'true' ? Object.assign({}, c.dataset) : null;");
                return drawn != null && Integer.parseInt(((java.util.Map<String, Object>) drawn).get("attempts").toString()) >= 48
                        ? (java.util.Map<String, Object>) drawn : null;
            }, WAIT);
            assertThat(Integer.parseInt(canvas.get("lanes").toString())).as("lanes: 2 agents x 2 slots").isBetween(2, 4);
            assertThat(canvas.get("mode")).isEqualTo("attempts");
            assertThat(Integer.parseInt(canvas.get("shapes").toString())).isGreaterThanOrEqualTo(48);
            assertThat(browser.driver().findElement(By.id("stream-summary")).getText()).contains("48 attempts");
            assertThat(browser.driver().findElements(By.cssSelector("#tasks-table tbody tr"))).hasSize(48);
            browser.screenshot("02-job-task-stream");

            // The stream's bounds are checked: more than 200 buckets is a 400 naming the parameter.
            Object refused = browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " fetch('/api/v1/jobs/' + arguments[0] + '/stream?buckets=201', {headers: {Authorization: 'Bearer '"
                    + " + sessionStorage.getItem('drover.token')}}).then(r => r.json().then(b => done(r.status + ' ' + b.error)))"
                    + ".catch(e => done(String(e)));", job.jobId());
            assertThat(refused.toString()).startsWith("400").contains("buckets");

            // The same stream through the SDK, as a viewer may read it: every task's attempt, on the two agents.
            TaskStream stream = cluster.client(viewer).taskStream(job.jobId(), 200, 2_000).orElseThrow();
            assertThat(stream.buckets()).isBetween(1, 200);
            assertThat(stream.attempts().orElseThrow()).filteredOn(a -> a.outcome().equals("SUCCEEDED"))
                    .extracting(TaskStream.Attempt::task).doesNotHaveDuplicates().hasSize(48);
            assertThat(stream.lanes()).extracting(TaskStream.Lane::agentId).contains("agent-1", "agent-2");

            browser.click(By.cssSelector("#nav a[data-view='agents']"), WAIT);
            browser.click(By.cssSelector("button.drain[data-agent-id='agent-1']"), WAIT);
            browser.waitFor(By.cssSelector("tr[data-agent-id='agent-1'][data-state='DRAINING']"), WAIT);
            assertThat(operations.agents()).filteredOn(a -> a.agentId().equals("agent-1"))
                    .extracting(a -> a.state()).containsExactly("DRAINING");
            browser.screenshot("03-agents-drained");

            // A job whose shard 2 fails on each of its 2 attempts: one attempt retried, one failed, in the stream.
            JobHandle failing = submitter.submit(JobSpec.jvm(JOB_JAR, "io.drover.examples.FailingShard").name("console-failing")
                    .isolation(Isolation.IN_AGENT).arguments("2").shards(4).maxAttempts(2).build());

            browser.driver().findElement(By.id("logout")).click();
            logIn(browser, viewer, "viewer");
            browser.get(cluster.consoleUrl() + "#/agents");
            browser.waitFor(By.cssSelector("tr[data-agent-id='agent-2']"), WAIT);
            assertThat(browser.driver().findElements(By.cssSelector("tr[data-agent-id='agent-1'][data-state='DRAINING']")))
                    .hasSize(1);
            assertThat(browser.driver().findElements(By.cssSelector("button.drain, button.undrain"))).isEmpty();
            browser.screenshot("04-agents-as-viewer");

            browser.get(cluster.consoleUrl() + "#/jobs/" + failing.jobId());
            browser.until(d -> browser.script("const e = document.getElementById('job-error'); return e ? e.textContent : null;"),
                    WAIT);
            assertThat(browser.script("return document.getElementById('job-error').textContent;").toString())
                    .contains("fails on purpose");
            browser.until(d -> browser.script("const c = document.getElementById('stream-canvas');"
                    + " return c && c.dataset.drawn === 'true' && Number(c.dataset.attempts) >= 5;"), WAIT);
            assertThat(browser.driver().findElements(By.id("cancel-job"))).isEmpty();
            assertThat(cluster.client(viewer).taskStream(failing.jobId(), 50, 2_000).orElseThrow().attempts().orElseThrow())
                    .filteredOn(a -> a.task() == 2).extracting(TaskStream.Attempt::attempt, TaskStream.Attempt::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "RETRIED"), org.assertj.core.groups.Tuple.tuple(2, "FAILED"));
            browser.screenshot("05-failed-job-as-viewer");

            // The cluster: this coordinator leads, and its leadership history shows when it took over.
            browser.get(cluster.consoleUrl() + "#/cluster");
            browser.waitFor(By.cssSelector("#leadership-changes tbody tr"), WAIT);
            assertThat(browser.driver().findElement(By.id("cluster")).getText()).contains("(leader)").contains("took over");
            browser.screenshot("06-cluster");
        }
    }

    static void logIn(Browser browser, String token, String role) {
        WebElement field = browser.waitFor(By.id("token"), WAIT);
        field.clear();
        field.sendKeys(token);
        browser.driver().findElement(By.id("login-button")).click();
        browser.until(d -> role.equals(d.findElement(By.id("whoami")).getAttribute("data-role")), WAIT);
    }
}
