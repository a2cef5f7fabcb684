package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.ScheduleSpec;
import io.drover.security.Role;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API route against a real secure cluster (a leader and a standby coordinator, two agents, the cluster CA
 * and tokens of each role), over HTTPS with java.net.http: answers, refusals by role (403), missing or bad
 * tokens (401), malformed, unknown-field and oversized bodies (400, 413), and the standby answering through the
 * leader. One cluster for the class; each test makes its own jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ApiTestCluster cluster;
    private Http admin;
    private Http operator;
    private Http submitter;
    private Http viewer;
    private Http anonymous;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = ApiTestCluster.start(dir, 2);
        admin = new Http(cluster.clientTls(), cluster.leaderUrl(), cluster.adminToken());
        operator = admin.as(cluster.token(Role.OPERATOR, "olga"));
        submitter = admin.as(cluster.token(Role.SUBMITTER, "sam"));
        viewer = admin.as(cluster.token(Role.VIEWER, "vic"));
        anonymous = admin.as(null);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String submit(Http as, String body) {
        Http.Answer a = as.post("/api/v1/jobs", body);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json().get("id").asText();
    }

    private JsonNode awaitState(String id, String state) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> viewer.get("/api/v1/jobs/" + id).json(),
                j -> j.get("state").asText().equals(state));
    }

    @Test
    void whoamiNamesTheRoleAndItsPermissions_aMissingOrForgedTokenIs401() {
        JsonNode me = viewer.get("/api/v1/whoami").json();
        assertThat(me.get("subject").asText()).isEqualTo("vic");
        assertThat(me.get("role").asText()).isEqualTo("viewer");
        assertThat(me.get("permissions").toString()).contains("jobs.read").doesNotContain("agents.manage");
        assertThat(me.get("secure").asBoolean()).isTrue();
        assertThat(operator.get("/api/v1/whoami").json().get("permissions").toString()).contains("agents.manage");

        Http.Answer none = anonymous.get("/api/v1/jobs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).contains("no token");
        assertThat(admin.as("forged.token.value").get("/api/v1/agents").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/events").status()).isEqualTo(401);
    }

    @Test
    void submitRunsAProcessJob_jobTasksAndLogsShowIt() {
        String id = submit(submitter, "{\"command\": [\"sh\", \"-c\", \"echo out-$DROVER_SHARD_INDEX; echo err-$DROVER_SHARD_INDEX >&2\"],"
                + " \"name\": \"api-echo\", \"shards\": 4, \"labels\": {}, \"idempotencyKey\": \"api-echo-1\"}");
        JsonNode job = awaitState(id, "SUCCEEDED");
        assertThat(job.get("name").asText()).isEqualTo("api-echo");
        assertThat(job.get("owner").asText()).isEqualTo("sam");
        assertThat(job.get("total").asInt()).isEqualTo(4);
        assertThat(job.get("succeeded").asInt()).isEqualTo(4);
        assertThat(job.get("cancelled").asInt()).isZero();
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.get("etaSeconds").isNull()).isTrue();
        assertThat(job.get("finishedAt").isNull()).isFalse();

        // The same idempotency key: the same job.
        assertThat(submit(submitter, "{\"command\": [\"sh\", \"-c\", \"echo out-$DROVER_SHARD_INDEX; echo err-$DROVER_SHARD_INDEX >&2\"],"
                + " \"name\": \"api-echo\", \"shards\": 4, \"labels\": {}, \"idempotencyKey\": \"api-echo-1\"}")).isEqualTo(id);

        JsonNode page = viewer.get("/api/v1/jobs/" + id + "/tasks?offset=1&limit=2").json();
        assertThat(page.get("matched").asInt()).isEqualTo(4);
        assertThat(page.get("tasks")).hasSize(2);
        assertThat(page.get("tasks").get(0).get("task").asInt()).isEqualTo(1);
        assertThat(page.get("tasks").get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(page.get("tasks").get(0).get("agent").asText()).startsWith("agent-");
        assertThat(viewer.get("/api/v1/jobs/" + id + "/tasks?state=failed").json().get("matched").asInt()).isZero();
        assertThat(viewer.get("/api/v1/jobs/" + id + "/tasks?state=bogus").status()).isEqualTo(400);

        JsonNode out = submitter.get("/api/v1/jobs/" + id + "/tasks/2/log").json();
        assertThat(out.get("data").asText()).isEqualTo("out-2\n");
        assertThat(out.get("nextOffset").asLong()).isEqualTo(6);
        assertThat(out.get("complete").asBoolean()).isTrue();
        JsonNode tail = submitter.get("/api/v1/jobs/" + id + "/tasks/2/log?stream=stderr&offset=4&max=2").json();
        assertThat(tail.get("data").asText()).isEqualTo("2\n");
        assertThat(submitter.get("/api/v1/jobs/" + id + "/tasks/9/log").status()).isEqualTo(404);
        Http.Answer refused = viewer.get("/api/v1/jobs/" + id + "/tasks/2/log");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).contains("logs.read");

        JsonNode list = viewer.get("/api/v1/jobs?name=API-ECH&state=succeeded&limit=5").json();
        assertThat(list.get("jobs")).extracting(j -> j.get("id").asText()).contains(id);
        assertThat(viewer.get("/api/v1/jobs?owner=nobody").json().get("jobs")).isEmpty();
        assertThat(viewer.get("/api/v1/jobs?limit=0").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/jobs?state=DONE").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/jobs/no-such-job").status()).isEqualTo(404);
    }

    @Test
    void theResultOfASucceededJobIsShownAsTheCliShowsIt() {
        String id = submit(admin, "{\"command\": [\"sh\", \"-c\", \"printf hello\"], \"name\": \"api-result\"}");
        JsonNode job = awaitState(id, "SUCCEEDED");
        JsonNode result = job.get("result").isNull() ? job.get("shardResults").get(0) : job.get("result");
        assertThat(result.get("format").asText()).isIn("text", "hex");
        assertThat(result.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void rolesDecide_aViewerMayNotSubmitCancelOrDrain() {
        Http.Answer submit = viewer.post("/api/v1/jobs", "{\"command\": [\"true\"]}");
        assertThat(submit.status()).isEqualTo(403);
        assertThat(submit.error()).contains("jobs.submit").contains("submitter");

        String id = submit(submitter, "{\"command\": [\"sleep\", \"60\"], \"name\": \"api-sleeper\", \"shards\": 2}");
        Http.Answer cancel = viewer.post("/api/v1/jobs/" + id + "/cancel");
        assertThat(cancel.status()).isEqualTo(403);
        assertThat(cancel.error()).contains("jobs.cancel");
        JsonNode running = viewer.get("/api/v1/jobs/" + id).json();
        assertThat(running.get("state").asText()).isEqualTo("RUNNING");
        Http.Answer cancelled = operator.post("/api/v1/jobs/" + id + "/cancel");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        awaitState(id, "CANCELLED");
        assertThat(operator.post("/api/v1/jobs/no-such-job/cancel").status()).isEqualTo(404);

        Http.Answer drain = viewer.post("/api/v1/agents/agent-1/drain");
        assertThat(drain.status()).isEqualTo(403);
        assertThat(drain.error()).contains("agents.manage").contains("operator");
        assertThat(viewer.get("/api/v1/audit").status()).isEqualTo(403);
    }

    @Test
    void operatorsDrainAndUndrainAgents() {
        JsonNode agents = viewer.get("/api/v1/agents").json();
        assertThat(agents).extracting(a -> a.get("id").asText()).contains("agent-1", "agent-2");
        assertThat(agents.get(0).get("slots").asInt()).isEqualTo(2);

        JsonNode drained = operator.post("/api/v1/agents/agent-2/drain").json();
        assertThat(drained.get("state").asText()).isEqualTo("DRAINING");
        JsonNode back = operator.post("/api/v1/agents/agent-2/undrain").json();
        assertThat(back.get("state").asText()).isEqualTo("ALIVE");
        assertThat(operator.post("/api/v1/agents/no-such-agent/drain").status()).isEqualTo(404);
        Http.Answer quotas = viewer.get("/api/v1/quotas"); // read like jobs; every owner with work is listed
        assertThat(quotas.status()).as(quotas.body()).isEqualTo(200);
        assertThat(quotas.json().isArray()).isTrue();

        JsonNode audit = operator.get("/api/v1/audit?limit=1000").json();
        assertThat(audit.toString()).contains("drainAgent").contains("olga");
    }

    @Test
    void schedulesShowNextFiresAndRuns_operatorsPauseResumeAndRunThem() throws Exception {
        DroverClient sdk = cluster.sdk(cluster.adminToken());
        sdk.addSchedule(ScheduleSpec.builder("api-nightly", "0 30 2 * * ?", JobSpec.process(List.of("true")).name("nightly").build())
                .zone("Europe/Berlin").build());

        JsonNode all = viewer.get("/api/v1/schedules").json();
        assertThat(all).extracting(s -> s.get("name").asText()).contains("api-nightly");
        JsonNode one = viewer.get("/api/v1/schedules/api-nightly").json();
        assertThat(one.get("cron").asText()).isEqualTo("0 30 2 * * ?");
        assertThat(one.get("zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(one.get("nextFireTimes").size()).isPositive();
        assertThat(one.get("jobKind").asText()).isEqualTo("PROCESS");

        assertThat(viewer.post("/api/v1/schedules/api-nightly/pause").status()).isEqualTo(403);
        assertThat(operator.post("/api/v1/schedules/api-nightly/pause").json().get("paused").asBoolean()).isTrue();
        assertThat(operator.post("/api/v1/schedules/api-nightly/resume").json().get("paused").asBoolean()).isFalse();
        JsonNode run = operator.post("/api/v1/schedules/api-nightly/run").json();
        assertThat(run.get("status").asText()).isEqualTo("MANUAL");
        String jobId = run.get("jobId").asText();
        awaitState(jobId, "SUCCEEDED");
        JsonNode history = await().atMost(WAIT).until(() -> viewer.get("/api/v1/schedules/api-nightly").json(),
                s -> s.get("ok").asInt() == 1);
        assertThat(history.get("history").get(0).get("outcome").asText()).isEqualTo("ok");
        assertThat(history.get("history").get(0).get("late").asBoolean()).isFalse();

        assertThat(viewer.get("/api/v1/schedules/no-such").status()).isEqualTo(404);
        assertThat(operator.post("/api/v1/schedules/no-such/run").status()).isEqualTo(404);
    }

    @Test
    void badBodiesAre400And413() {
        Http.Answer notJson = submitter.post("/api/v1/jobs", "{\"command\": [\"true\"");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).contains("malformed JSON");
        Http.Answer unknown = submitter.post("/api/v1/jobs", "{\"command\": [\"true\"], \"shard\": 3}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).contains("unknown field \"shard\"");
        Http.Answer noCommand = submitter.post("/api/v1/jobs", "{\"name\": \"x\"}");
        assertThat(noCommand.status()).isEqualTo(400);
        assertThat(noCommand.error()).contains("command");
        Http.Answer badSpec = submitter.post("/api/v1/jobs", "{\"command\": [\"true\"], \"shards\": 0, \"maxAttempts\": 0}");
        assertThat(badSpec.status()).isEqualTo(400);
        assertThat(badSpec.error()).contains("invalid job spec");
        Http.Answer huge = submitter.post("/api/v1/jobs", "{\"command\": [\"" + "x".repeat(ApiTestCluster.MAX_BODY) + "\"]}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(submitter.get("/api/v1/jobs/x/tasks/minus-one/log").status()).isEqualTo(400);
    }

    @Test
    void theStandbyAnswersThroughTheLeader() {
        Http standby = submitter.at(cluster.standbyUrl());
        JsonNode info = standby.get("/api/v1/cluster").json();
        assertThat(info.get("leader").asBoolean()).isFalse();
        assertThat(admin.get("/api/v1/cluster").json().get("leader").asBoolean()).isTrue();

        String id = submit(standby, "{\"command\": [\"true\"], \"name\": \"via-standby\"}");
        await().atMost(WAIT).until(() -> standby.get("/api/v1/jobs/" + id).json().get("state").asText().equals("SUCCEEDED"));
        assertThat(standby.as(null).get("/api/v1/agents").status()).isEqualTo(401);
        assertThat(standby.get("/api/v1/agents").json()).hasSize(2);
    }

    @Test
    void eventsStreamAJobUntilItEnds_andTheJobList() throws Exception {
        String id = submit(submitter, "{\"command\": [\"sh\", \"-c\", \"sleep 1\"], \"name\": \"api-events\", \"shards\": 2}");
        // With stream=BUCKETS the job's task stream comes too, the last one with the last job event.
        HttpResponse<InputStream> r = viewer.client().send(viewer.builder("/api/v1/events?job=" + id + "&stream=20&attempts=100")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        String lastStream = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                } else if (line.startsWith("data: ") && events.get(events.size() - 1).equals("stream")) {
                    lastStream = line.substring(6);
                }
            }
        }
        assertThat(events).first().isEqualTo("job");
        assertThat(events).last().isEqualTo("end");
        assertThat(events.subList(events.size() - 3, events.size())).containsExactly("job", "stream", "end");
        JsonNode stream = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastStream);
        assertThat(stream.get("totalAttempts").asInt()).isEqualTo(2);
        assertThat(stream.get("buckets").asInt()).isBetween(1, 20);
        assertThat(viewer.get("/api/v1/events?stream=20").status()).as("a stream needs a job").isEqualTo(400);
        assertThat(viewer.get("/api/v1/events?job=" + id + "&stream=201").status()).isEqualTo(400);

        HttpResponse<InputStream> list = viewer.client().send(viewer.builder("/api/v1/events?limit=3").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(list.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("event: jobs");
            assertThat(in.readLine()).startsWith("data: {\"jobs\":[");
        }
        assertThat(viewer.get("/api/v1/events?job=no-such-job").status()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentIsServedWithoutAToken() {
        Http.Answer doc = anonymous.get("/api/v1/openapi.yaml");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).startsWith("openapi: 3.0.3");
    }
}
