package io.drover.systemtest.console;

import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an open console page costs its browser, by chromium process type (browser, renderer, GPU, network service,
 * chromedriver), read from /proc for this JVM's descendants: a secure cluster in this process runs a long Sleep job
 * (4 agents x 16 slots) while {@code drover.probe.sessions} (5) headless sessions hold each variant open for
 * {@code drover.probe.seconds} (20): {@code blank} (about:blank, chromium's own idle cost), {@code job} (the
 * job's page, live), {@code job-hidden} (that page with its view hidden: the events' cost without drawing),
 * {@code job-no-stream} and {@code job-no-summary} (without the task stream's panel, or the job's summary),
 * {@code job-layers} and {@code job-canvas-layer} (the live parts, or the canvas alone, on their own compositor
 * layers: {@code will-change: transform}), {@code job-paused} (the page told its tab is hidden: the event stream
 * closed); {@code events} reads the job page's event stream for 10 s and prints what
 * came (reads, bytes, events by name). Also
 * sums the pages' DevTools performance metrics (script, layout, style) and counts the first page's DOM mutation
 * batches (about one per redraw) by target. With {@code drover.probe.trace=PREFIX} the first job page's browser
 * writes a chromium trace (JSON) of its first {@code drover.probe.trace.seconds} (40) to PREFIX-job.json. Not part
 * of the suite: {@code -Ddrover.probe=true -Ddrover.probe.variants=blank,job}; prints one {@code probe variant=...}
 * line each.
 */
@EnabledIfSystemProperty(named = "drover.probe", matches = "true")
class PageCostProbe {
    private static final int SESSIONS = Integer.getInteger("drover.probe.sessions", 5);
    private static final int SECONDS = Integer.getInteger("drover.probe.seconds", 20);
    private static final String VARIANTS = System.getProperty("drover.probe.variants", "blank,job");

    private static final String PAUSED = "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
            + " document.dispatchEvent(new Event('visibilitychange'));";

    /** Variants that change the live page in place, to compare ways of drawing in one run (same machine load). */
    private static final Map<String, String> TWEAKS = Map.of(
            "job-layers", layers("transform", "transform", "transform"),
            "job-canvas-layer", layers("auto", "transform", "auto"),
            // As a tab in the background: the page closes its event stream and asks for nothing.
            "job-paused", PAUSED);

    @TempDir
    Path dir;

    /** A script setting will-change on the summary, the canvas and the stream's note. */
    private static String layers(String summary, String canvas, String note) {
        return "document.getElementById('job-summary').style.willChange = '" + summary + "';"
                + " document.getElementById('stream-canvas').style.willChange = '" + canvas + "';"
                + " document.getElementById('stream-summary').style.willChange = '" + note + "';";
    }

    @Test
    void probe() throws Exception {
        try (ConsoleCluster cluster = ConsoleCluster.start(dir, 4, 16)) {
            String viewer = cluster.token(Role.VIEWER, "v");
            DroverClient c = cluster.client(cluster.token(Role.SUBMITTER, "s"));
            JobHandle job = c.submit(JobSpec.jvm(ConsoleBrowserTest.JOB_JAR, "io.drover.examples.Sleep").name("probe")
                    .isolation(Isolation.IN_AGENT).arguments("200").shards(60000).build());
            for (String variant : VARIANTS.split(",")) {
                if (variant.equals("events")) {
                    System.out.println("probe variant=events " + eventsSeen(cluster, viewer, job.jobId()));
                    continue;
                }
                List<Browser> browsers = new ArrayList<>();
                try {
                    for (int i = 0; i < SESSIONS; i++) {
                        String trace = System.getProperty("drover.probe.trace");
                        Browser b = trace != null && i == 0 && !variant.equals("blank")
                                ? Browser.open(ConsoleBrowserTest.SCREENSHOTS, "--trace-startup=" + System.getProperty("drover.probe.cats",
                                        "devtools.timeline,disabled-by-default-devtools.timeline,blink,cc,viz,gpu,toplevel,v8,netlog,loading"),
                                        "--trace-startup-file=" + trace + "-" + variant + ".json", "--trace-startup-duration=" + Integer.getInteger("drover.probe.trace.seconds", 40), "--trace-startup-format=json")
                                : Browser.open(ConsoleBrowserTest.SCREENSHOTS);
                        browsers.add(b);
                        if (variant.equals("blank")) {
                            b.get("about:blank");
                        } else {
                            b.get(cluster.consoleUrl());
                            ConsoleBrowserTest.logIn(b, viewer, "viewer");
                            b.script("location.hash = '#/jobs/' + arguments[0];", job.jobId());
                            b.waitFor(org.openqa.selenium.By.id("job-progress"), Duration.ofSeconds(30));
                            if (variant.equals("job-hidden")) {
                                b.script("document.getElementById('view').style.display = 'none';");
                            } else if (variant.equals("job-no-stream")) {
                                b.script("document.getElementById('stream-canvas').closest('.panel').style.display = 'none';");
                            } else if (variant.equals("job-no-summary")) {
                                b.script("document.getElementById('job-summary').style.display = 'none';");
                            } else if (TWEAKS.containsKey(variant)) {
                                b.script(TWEAKS.get(variant));
                            }
                        }
                        b.driver().executeCdpCommand("Performance.enable", Map.of());
                        b.script("window.probeBatches = 0; window.probeTargets = {};"
                                + " new MutationObserver((ms) => { window.probeBatches++; for (const m of ms) { const t = m.target.id"
                                + " || (m.target.parentElement && m.target.parentElement.id) || m.target.nodeName; window.probeTargets[t]"
                                + " = (window.probeTargets[t] || 0) + 1; } }).observe(document.body, {subtree: true, childList: true,"
                                + " characterData: true, attributes: true});");
                    }
                    Thread.sleep(Integer.getInteger("drover.probe.settle", 3) * 1000L);
                    Map<String, Double> cpu0 = chromiumCpu();
                    List<Map<String, Double>> m0 = new ArrayList<>();
                    for (Browser b : browsers) {
                        m0.add(metrics(b));
                    }
                    Thread.sleep(SECONDS * 1000L);
                    Map<String, Double> cpu1 = chromiumCpu();
                    Map<String, Double> md = new TreeMap<>();
                    for (int i = 0; i < browsers.size(); i++) {
                        Map<String, Double> m1 = metrics(browsers.get(i));
                        for (var e : m1.entrySet()) {
                            md.merge(e.getKey(), e.getValue() - m0.get(i).getOrDefault(e.getKey(), 0.0), Double::sum);
                        }
                    }
                    StringBuilder line = new StringBuilder("probe variant=" + variant + " sessions=" + SESSIONS + " seconds=" + SECONDS);
                    double total = 0;
                    for (var e : new TreeMap<>(cpu1).entrySet()) {
                        double d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0.0);
                        total += d;
                        line.append(String.format(Locale.ROOT, " cpu_%s=%.2f", e.getKey(), d));
                    }
                    line.append(String.format(Locale.ROOT, " cpu_total=%.2f", total));
                    for (String k : List.of("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration",
                            "LayoutCount", "RecalcStyleCount", "JSHeapUsedSize", "Nodes")) {
                        line.append(String.format(Locale.ROOT, " %s=%.3f", k, md.getOrDefault(k, 0.0)));
                    }
                    line.append(" mutation_batches=").append(browsers.get(0).script("return window.probeBatches;"))
                            .append(" targets=").append(browsers.get(0).script("return JSON.stringify(window.probeTargets);"));
                    System.out.println(line);
                } finally {
                    browsers.forEach(Browser::close);
                }
            }
            job.cancel();
        }
    }

    /** What the job page's event stream brings in 10 s, read in a logged-in page: reads, bytes, and by event. */
    private static Object eventsSeen(ConsoleCluster cluster, String viewer, String jobId) throws Exception {
        try (Browser b = Browser.open(ConsoleBrowserTest.SCREENSHOTS)) {
            b.get(cluster.consoleUrl());
            ConsoleBrowserTest.logIn(b, viewer, "viewer");
            return b.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const seen = { reads: 0, bytes: 0, events: {} };
                    const ctl = new AbortController();
                    fetch('/api/v1/events?job=' + arguments[0] + '&stream=200&attempts=2000&maxLanes=48', { signal: ctl.signal,
                        headers: { Authorization: 'Bearer ' + sessionStorage.getItem('drover.token'), Accept: 'text/event-stream' } })
                      .then(async (r) => {
                        setTimeout(() => ctl.abort(), 10500);
                        const reader = r.body.getReader();
                        const text = new TextDecoder();
                        let buf = '';
                        try {
                          for (;;) {
                            const { value, done: end } = await reader.read();
                            if (end) break;
                            seen.reads++;
                            seen.bytes += value.length;
                            buf += text.decode(value, { stream: true });
                            let cut;
                            while ((cut = buf.indexOf('\\n\\n')) >= 0) {
                              const block = buf.slice(0, cut);
                              buf = buf.slice(cut + 2);
                              const m = /^event: (.*)$/m.exec(block);
                              const e = seen.events[m ? m[1] : 'comment'] || (seen.events[m ? m[1] : 'comment'] = { n: 0, bytes: 0 });
                              e.n++;
                              e.bytes += block.length + 2;
                            }
                          }
                        } catch (aborted) {
                          // the 10 s are up
                        }
                        done('seconds=10 ' + JSON.stringify(seen));
                      }).catch((e) => done(String(e)));
                    """, jobId);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> metrics(Browser b) {
        Map<String, Object> r = b.driver().executeCdpCommand("Performance.getMetrics", Map.of());
        Map<String, Double> out = new HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) r.get("metrics")) {
            out.put(m.get("name").toString(), ((Number) m.get("value")).doubleValue());
        }
        return out;
    }

    /** CPU seconds of this JVM's descendant processes, by chromium process type (and chromedriver). */
    private static Map<String, Double> chromiumCpu() throws Exception {
        Map<String, Double> out = new HashMap<>();
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            try {
                String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
                String type;
                if (cmd.contains("chromedriver")) {
                    type = "driver";
                } else if (cmd.contains("--type=")) {
                    String t = cmd.substring(cmd.indexOf("--type=") + 7);
                    type = t.split(" ")[0];
                    if (cmd.contains("--utility-sub-type=")) {
                        type += ":" + cmd.substring(cmd.indexOf("--utility-sub-type=") + 19).split(" ")[0].replaceAll(".*\\.", "");
                    }
                } else {
                    type = "browser";
                }
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.merge(type, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
            } catch (java.io.IOException gone) {
                continue; // exited between listing and reading: its CPU is no longer counted anywhere
            }
        }
        return out;
    }
}
