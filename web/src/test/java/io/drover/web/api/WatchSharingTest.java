package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.http.Json;
import io.drover.http.Routes;
import io.drover.http.WebServer;
import io.drover.http.WebServerConfig;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.TaskView;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import io.drover.testkit.RecordingProcessor;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.ClientService;
import io.drover.web.ClusterInfo;
import io.drover.web.Identity;
import io.drover.web.WebContext;
import io.drover.web.WebRoutes;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What watching costs the coordinator, over real HTTP and a real Thrift socket to a fake coordinator that records each
 * call: pages watching the same job share one poll a second and are written at most every other poll, and a task page
 * asks the coordinator for that page only.
 */
class WatchSharingTest {
    private static final int PAGES = 5;
    private static final int EVENTS = 4;

    private FakeClientService fake;
    private RecordingProcessor calls;
    private LoopbackServer coordinator;
    private WebRoutes web;
    private WebServer server;
    private Http http;

    /** Serves the API on a fake coordinator; {@code clock} ages the shared answers. */
    private void start(Clock clock) throws Exception {
        fake = FakeClientService.leader();
        calls = new RecordingProcessor(LoopbackServer.service(CoordinatorService.CLIENT, new ClientService.Processor<>(fake)));
        coordinator = LoopbackServer.start(calls, LoopbackServer.bindLoopback(), () -> { });
        Routes routes = new Routes();
        web = WebRoutes.install(routes, new WebContext(coordinator.endpoint(), Optional.empty(),
                token -> new Identity("insecure", "admin", Set.of("jobs.read"), true),
                () -> new ClusterInfo(coordinator.endpoint(), true, 1, Optional.empty(), Optional.empty(), "CONNECTED",
                        List.of()), clock));
        server = WebServer.start("test", WebServerConfig.defaults(new InetSocketAddress("127.0.0.1", 0), Optional.empty()),
                routes, new Json());
        http = new Http(SSLContext.getDefault(), server.baseUrl(), null);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server, web, coordinator}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + c, e);
                }
            }
        }
    }

    private long callsOf(String method) {
        return calls.names().stream().filter(n -> n.equals(method) || n.endsWith(":" + method)).count();
    }

    @Test
    void fivePagesOnOneJobShareOnePollASecond() throws Exception {
        start(Clock.systemUTC());
        // Each getJob answers the next view, so every poll is news that every page must get.
        JobView[] views = new JobView[60];
        for (int i = 0; i < views.length; i++) {
            views[i] = FakeClientService.view("j1-1", "RUNNING", 100).setSucceeded(i).setPending(100 - i);
        }
        fake.script("j1-1", views);
        ExecutorService pool = Executors.newFixedThreadPool(PAGES);
        try {
            List<Future<List<Integer>>> pages = new ArrayList<>();
            for (int i = 0; i < PAGES; i++) {
                pages.add(pool.submit(() -> succeededSeen("/api/v1/events?job=j1-1", EVENTS)));
            }
            for (Future<List<Integer>> page : pages) {
                List<Integer> seen = page.get(30, TimeUnit.SECONDS);
                assertThat(seen).as("each page's live updates").hasSize(EVENTS).isSorted();
                // Every poll brings news, yet a page is written every other poll (at most every 2 s): between two
                // events it missed at least one view.
                for (int i = 1; i < seen.size(); i++) {
                    assertThat(seen.get(i) - seen.get(i - 1)).as("views between two writes: " + seen).isGreaterThanOrEqualTo(2);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // Unshared, 5 pages x 4 updates would be at least 20 polls; shared, about one a second for all of them.
        assertThat(callsOf("getJob")).isBetween((long) EVENTS, (long) PAGES * EVENTS / 2);
    }

    /** Reads a job's event stream until {@code n} job events came; returns their succeeded counts. */
    private List<Integer> succeededSeen(String path, int n) throws Exception {
        HttpResponse<InputStream> r = http.client().send(http.builder(path).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<Integer> seen = new ArrayList<>();
        try (InputStream in = r.body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = lines.readLine(); line != null && seen.size() < n; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "job".equals(event)) {
                    JsonNode job = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(6));
                    seen.add(job.get("succeeded").asInt());
                }
            }
        }
        return seen;
    }

    @Test
    void aTaskPageAsksTheCoordinatorForThatPageOnly_andTheSamePageIsShared() throws Exception {
        MutableClock clock = new MutableClock();
        start(clock);
        JobView view = FakeClientService.view("j2-1", "RUNNING", 6);
        for (int i = 0; i < 6; i++) {
            view.addToTasks(new TaskView(i, i % 3 == 0 ? "FAILED" : "SUCCEEDED", 1).setAgentId("a" + i));
        }
        fake.script("j2-1", view);
        JsonNode page = http.get("/api/v1/jobs/j2-1/tasks?offset=1&limit=2&state=succeeded").json();
        assertThat(page.get("matched").asInt()).isEqualTo(4);
        assertThat(page.get("tasks")).extracting(t -> t.get("task").asInt()).containsExactly(2, 4);
        assertThat(http.get("/api/v1/jobs/j2-1/tasks?offset=1&limit=2&state=SUCCEEDED").json()).isEqualTo(page);
        assertThat(callsOf("taskPage")).as("the second asked within 900 ms: shared").isEqualTo(1);
        clock.advance(ApiGateway.SHARED_MAX_AGE);
        assertThat(http.get("/api/v1/jobs/j2-1/tasks?offset=1&limit=2&state=SUCCEEDED").json()).isEqualTo(page);
        assertThat(callsOf("taskPage")).as("900 ms later: read again").isEqualTo(2);
        assertThat(callsOf("getJob")).as("never every task").isZero();
        assertThat(http.get("/api/v1/jobs/j2-1/tasks?limit=1001").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/jobs/nope/tasks").status()).isEqualTo(404);
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile long millis = 1_700_000_000_000L;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }
    }
}
