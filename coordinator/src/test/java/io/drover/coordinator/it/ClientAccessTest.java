package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.AuditEntry;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.LogStream;
import io.drover.protocol.thrift.MisfirePolicy;
import io.drover.protocol.thrift.OverlapPolicy;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real coordinator that requires tokens (a test-only verifier, {@link TestTokens}), spoken to over
 * real Thrift sockets: who may do what, whose job it is, and what the audit log says.
 */
class ClientAccessTest {
    private TestingServer zk;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private CoordinatorServer coordinator;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = coordinator();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        zk.close();
    }

    @Test
    void aViewerMayReadButNotSubmitAndIsToldWhichPermissionIsMissing() throws Exception {
        ClientService.Client bob = client("viewer:bob");
        assertThat(bob.listJobs(10)).isEmpty();
        assertThatThrownBy(() -> bob.submit(job("mine", "bob")))
                .isInstanceOfSatisfying(AccessDenied.class, e -> {
                    assertThat(e.getPermission()).isEqualTo("jobs.submit");
                    assertThat(e.getMessage()).isEqualTo("token of 'bob' (viewer) may not submit jobs or upload artifacts: "
                            + "needs jobs.submit; ask an admin for a submitter token");
                });
        assertThatThrownBy(() -> bob.readAudit(0, 10)).isInstanceOfSatisfying(AccessDenied.class,
                e -> assertThat(e.getPermission()).isEqualTo("audit.read"));
        assertThatThrownBy(() -> bob.drainAgent("edge-1", true)).isInstanceOfSatisfying(AccessDenied.class,
                e -> assertThat(e.getPermission()).isEqualTo("agents.manage"));
        assertThat(bob.listQuotas()).as("quotas are read like jobs").isEmpty();
        assertThatThrownBy(() -> bob.setQuota(new io.drover.protocol.thrift.QuotaSpec().setOwner("bob").setWeight(9)))
                .isInstanceOfSatisfying(AccessDenied.class, e -> {
                    assertThat(e.getPermission()).isEqualTo("quotas.manage");
                    assertThat(e.getMessage()).endsWith("ask an admin for an operator token");
                });
        ClientService.Client olga = client("operator:olga");
        assertThat(olga.setQuota(new io.drover.protocol.thrift.QuotaSpec().setOwner("bob").setMaxRunning(2)).getMaxRunning())
                .isEqualTo(2);
        assertThat(bob.listQuotas()).extracting(io.drover.protocol.thrift.QuotaView::getOwner).containsExactly("bob");
    }

    @Test
    void aCallerWithoutAValidTokenGetsHelloButNothingElseAndLearnsWhy() throws Exception {
        for (String token : new String[] {null, "expired:carol", "garbage"}) {
            ClientService.Client c = connect();
            ServerInfo info = c.hello(hello(token));
            assertThat(info.isLeader()).as("hello still answers").isTrue();
            String reason = token == null ? "no token" : token.startsWith("expired") ? "token expired at " + TestTokens.EXPIRED_AT
                    : "malformed token";
            assertThatThrownBy(() -> c.listJobs(10)).isInstanceOfSatisfying(AccessDenied.class, e -> {
                assertThat(e.getPermission()).isEqualTo("jobs.read");
                assertThat(e.getMessage()).startsWith("a caller without a valid token (").contains(reason)
                        .endsWith("connect with a viewer token (--token, --token-file or DROVER_TOKEN)");
            });
        }
        ClientService.Client silent = connect(); // never said hello
        assertThatThrownBy(() -> silent.listAgents()).isInstanceOf(AccessDenied.class);
    }

    @Test
    void theOwnerIsTheTokensSubjectUnlessAnAdminNamesOne() throws Exception {
        ClientService.Client alice = client("submitter:alice");
        String claimed = alice.submit(job("claims-to-be-bob", "bob")).getJobId();
        assertThat(alice.getJob(claimed, false, false).getOwner()).isEqualTo("alice");

        ClientService.Client admin = client("admin:root");
        String onBehalf = admin.submit(job("for-carol", "carol")).getJobId();
        assertThat(admin.getJob(onBehalf, false, false).getOwner()).isEqualTo("carol");
    }

    @Test
    void onlyTheOwnerOrAnOperatorMayCancelOrReadTheLogsOfAJob() throws Exception {
        ClientService.Client alice = client("submitter:alice");
        String jobId = alice.submit(job("alices", "alice")).getJobId();

        ClientService.Client bob = client("submitter:bob");
        assertThatThrownBy(() -> bob.cancelJob(jobId)).isInstanceOfSatisfying(AccessDenied.class, e -> {
            assertThat(e.getPermission()).isEqualTo("jobs.cancel.others");
            assertThat(e.getMessage()).contains("token of 'bob' (submitter) may not cancel other users' jobs (job " + jobId
                    + " belongs to 'alice')").endsWith("ask an admin for an operator token");
        });
        assertThatThrownBy(() -> bob.readLog(jobId, 0, LogStream.STDOUT, 0, 1024, 0))
                .isInstanceOfSatisfying(AccessDenied.class, e -> assertThat(e.getPermission()).isEqualTo("logs.read.others"));
        assertThat(alice.readLog(jobId, 0, LogStream.STDOUT, 0, 1024, 0).getData()).as("not started: empty").isEmpty();

        ClientService.Client olga = client("operator:olga");
        assertThat(olga.cancelJob(jobId).getState()).isEqualTo("CANCELLED");
        String second = alice.submit(job("alices-2", "alice")).getJobId();
        assertThat(alice.cancelJob(second).getState()).as("her own").isEqualTo("CANCELLED");
    }

    @Test
    void aSchedulesRunsBelongToWhoeverAddedIt() throws Exception {
        ClientService.Client olga = client("operator:olga");
        ScheduleSpec spec = new ScheduleSpec("nightly", "0 0 3 * * ?", "UTC", job(null, "alice"), MisfirePolicy.SKIP, 1,
                OverlapPolicy.ALLOW, false);
        olga.addSchedule(spec);
        String jobId = olga.runScheduleNow("nightly", "req-1").getJobId();
        assertThat(olga.getJob(jobId, false, false).getOwner()).isEqualTo("olga");
        assertThatThrownBy(() -> client("submitter:alice").pauseSchedule("nightly"))
                .isInstanceOfSatisfying(AccessDenied.class, e -> assertThat(e.getPermission()).isEqualTo("schedules.manage"));
    }

    @Test
    void changesAndRefusalsAreAuditedWithWhoWhatAndWhereAndSurviveALeaderChange() throws Exception {
        CoordinatorServer standby = coordinator();
        ClientService.Client alice = client("submitter:alice");
        String jobId = alice.submit(job("audited", "alice")).getJobId();
        ClientService.Client bob = client("viewer:bob");
        assertThatThrownBy(() -> bob.cancelJob(jobId)).isInstanceOf(AccessDenied.class);
        client("operator:olga").cancelJob(jobId);
        assertThatThrownBy(() -> alice.cancelJob("no-such-job")).isInstanceOf(InvalidRequest.class);

        List<AuditEntry> entries = awaitAudit(client("operator:olga"), 4);
        assertThat(entries.get(3).getOutcome()).as("a failed change is recorded too").startsWith("failed: ")
                .contains("unknown job no-such-job");
        entries = entries.subList(0, 3);
        assertThat(entries).extracting(AuditEntry::getWho, AuditEntry::getRole, AuditEntry::getAction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "submitter", "submit"),
                        org.assertj.core.groups.Tuple.tuple("bob", "viewer", "cancelJob"),
                        org.assertj.core.groups.Tuple.tuple("olga", "operator", "cancelJob"));
        assertThat(entries.get(0).getTarget()).isEqualTo(jobId + " 'audited' owner alice");
        assertThat(entries.get(0).getOutcome()).isEqualTo("ok");
        assertThat(entries.get(1).getOutcome()).isEqualTo("denied: needs jobs.cancel.own");
        assertThat(entries.get(1).getTarget()).isEqualTo("job " + jobId);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getRemote()).isEqualTo("127.0.0.1");
            assertThat(e.getAtMs()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        });
        assertThat(entries.get(2).getAtMs()).isGreaterThanOrEqualTo(entries.get(0).getAtMs());

        coordinator.close();
        await().atMost(Duration.ofSeconds(30)).until(standby::isLeader);
        coordinator = standby;
        List<AuditEntry> after = awaitAudit(client("admin:root"), 4);
        assertThat(after.subList(0, 3)).as("read by the new leader").isEqualTo(entries);
    }

    // ------------------------------------------------------------------ helpers

    private CoordinatorServer coordinator() {
        CoordinatorServer s = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC())
                .requireTokens(new TestTokens()).start();
        closeables.add(s);
        return s;
    }

    private static List<AuditEntry> awaitAudit(ClientService.Client reader, int count) {
        List<List<AuditEntry>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            seen.add(0, reader.readAudit(0, 100));
            return seen.get(0).size() >= count;
        });
        return seen.get(0);
    }

    private ClientService.Client client(String token) throws Exception {
        ClientService.Client c = connect();
        c.hello(hello(token));
        return c;
    }

    private static Hello hello(String token) {
        Hello h = new Hello(droverConstants.PROTOCOL_VERSION, "access-test");
        if (token != null) {
            h.setToken(token);
        }
        return h;
    }

    private ClientService.Client connect() {
        try {
            TSocket socket = new TSocket(WireLimits.configuration(), "127.0.0.1", coordinator.port(), 10_000, 5_000);
            socket.open();
            closeables.add(socket::close);
            return CoordinatorService.CLIENT.client(new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES)));
        } catch (Exception e) {
            return fail("cannot connect", e);
        }
    }

    private static JobSubmission job(String name, String owner) {
        return new JobSubmission(name, owner, "key-" + name, JobKind.PROCESS, 1, List.of(), 1, 1, 0, false, 0, Map.of(), 0)
                .setCommand(List.of("true"));
    }
}
