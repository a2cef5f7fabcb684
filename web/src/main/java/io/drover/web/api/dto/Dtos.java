package io.drover.web.api.dto;

import io.drover.sdk.AgentStatus;
import io.drover.sdk.AuditEntry;
import io.drover.sdk.Codecs;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleStatus;
import io.drover.sdk.TaskLog;
import io.drover.sdk.TaskStatus;
import io.drover.web.ClusterInfo;
import io.drover.web.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SDK's views as the API's JSON records. Pure functions of their arguments ({@code now} is passed in), shared
 * by the API and the CLI's {@code --output json}. Strings from users and agents are left as they are: JSON
 * escapes them, and a page must put them in the DOM as text.
 */
public final class Dtos {
    /** At most this many characters of a text result are sent, and this many bytes of a hex one (as the CLI shows). */
    public static final int TEXT_CAP = 4096;
    public static final int HEX_CAP = 1024;
    /** A schedule fire handled this long after its cron time or later counts as late. */
    public static final Duration LATE_AFTER = Duration.ofSeconds(5);

    private Dtos() {
    }

    /** A job without results; {@code rate} as measured by the caller (empty: unknown). */
    public static JobJson job(JobStatus s, Instant now, Optional<Rate> rate) {
        return job(s, now, rate, null, null, null);
    }

    /** A job with its single result, or its first shard results and their count (nulls: none). */
    public static JobJson job(JobStatus s, Instant now, Optional<Rate> rate, ResultJson result,
                              List<ResultJson> shardResults, Integer shardResultCount) {
        boolean ended = s.state().isTerminal();
        Optional<Rate> r = ended ? Optional.empty() : rate;
        return new JobJson(s.jobId(), s.name(), s.owner(), s.state().name(), s.totalTasks(), s.succeeded(), s.failed(),
                s.cancelled(), s.running(), s.pending(), s.progress(),
                r.map(Rate::perSecond).orElse(null), r.flatMap(Rate::etaSeconds).orElse(null),
                s.submittedAt().toString(), s.finishedAt().map(Instant::toString).orElse(null),
                seconds(Duration.between(s.submittedAt(), now)), s.error(), result,
                shardResults == null ? null : List.copyOf(shardResults), shardResultCount,
                s.placement().constraints(), s.placement().spreadLabel().orElse(null),
                s.placement().waiting().orElse(null),
                s.dependencies().stream().map(d -> new DependencyJson(d.jobId(), d.condition().name(),
                        d.name().orElse(null), d.state().map(Enum::name).orElse(null))).toList(),
                s.waitingFor().stream().map(io.drover.sdk.Dependency.Status::jobId).toList(),
                s.placement().queueWait().map(w -> new QueueWaitJson(w.reason(), w.owner(), w.running(),
                        w.maxRunning() < 0 ? null : w.maxRunning(), w.weight(), w.ownersAhead(), w.summary())).orElse(null),
                s.backups().map(io.drover.sdk.JobBackups::started).orElse(null),
                s.backups().map(io.drover.sdk.JobBackups::won).orElse(null));
    }

    public static QuotaJson quota(io.drover.sdk.Quota q) {
        return new QuotaJson(q.owner(), q.maxRunning() < 0 ? null : q.maxRunning(), q.weight(), q.explicit(), q.running(),
                q.ready());
    }

    /** The single result of a succeeded job, if it has one. */
    public static Optional<ResultJson> singleResult(JobStatus s) {
        return s.state() == JobState.SUCCEEDED ? s.resultBytes().map(b -> result(b, s.resultCodec())) : Optional.empty();
    }

    /**
     * Bytes in the codec the job declared when it is one of the SDK's (format is the codec's name, e.g.
     * {@code int64}), as {@code drover status} prints them; otherwise as {@link #result(byte[])}.
     */
    public static ResultJson result(byte[] bytes, Optional<String> codec) {
        Optional<ResultCodec<?>> known = codec.filter(c -> !c.equals("bytes")).flatMap(Codecs::named);
        if (known.isPresent()) {
            try {
                Object v = known.get().decode(bytes);
                String text = v instanceof long[] a ? Arrays.toString(a) : String.valueOf(v);
                boolean cut = text.length() > TEXT_CAP;
                return new ResultJson(codec.get(), cut ? text.substring(0, TEXT_CAP) : text, bytes.length, cut);
            } catch (RuntimeException e) {
                // Bytes that do not decode as declared are shown as they are, like the CLI does.
                return result(bytes);
            }
        }
        return result(bytes);
    }

    /** Bytes as the CLI's {@code --codec auto} shows them: printable UTF-8 as text, else hex; capped. */
    public static ResultJson result(byte[] bytes) {
        Optional<String> text = printableUtf8(bytes);
        if (text.isPresent()) {
            String t = text.get();
            if (t.length() <= TEXT_CAP) {
                return new ResultJson("text", t, bytes.length, false);
            }
            int cut = Character.isHighSurrogate(t.charAt(TEXT_CAP - 1)) ? TEXT_CAP - 1 : TEXT_CAP;
            return new ResultJson("text", t.substring(0, cut), bytes.length, true);
        }
        return new ResultJson("hex", HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_CAP)), bytes.length,
                bytes.length > HEX_CAP);
    }

    public static TaskJson task(TaskStatus t) {
        return new TaskJson(t.task(), t.state(), t.attempts(), t.agentId().orElse(null), t.error().orElse(null));
    }

    public static LogJson log(TaskLog log, long offset) {
        byte[] data = log.data();
        return new LogJson(log.jobId(), log.task(), log.stream().name().toLowerCase(java.util.Locale.ROOT),
                log.attemptId(), offset, offset + data.length, new String(data, StandardCharsets.UTF_8),
                log.truncated(), log.complete());
    }

    public static AgentJson agent(AgentStatus a, Instant now) {
        return new AgentJson(a.agentId(), a.host(), a.state(), a.pool().orElse(null), a.slots(), a.running(),
                a.lastHeartbeat().toString(), seconds(Duration.between(a.lastHeartbeat(), now)),
                new TreeMap<>(a.labels()), a.completedTasks(), a.silentFor().map(Dtos::seconds).orElse(null),
                a.pendingAction().orElse(null), a.softwareVersion().orElse(null));
    }

    public static ScheduleJson schedule(ScheduleStatus s) {
        JobSpec job = s.spec().job();
        String kind;
        String what;
        int shards;
        if (s.spec().workflow().isPresent()) { // a workflow schedule: kind WORKFLOW, its jobs' names
            var jobs = s.spec().workflow().get().jobs();
            kind = "WORKFLOW";
            what = "workflow of " + jobs.size() + " jobs: " + String.join(", ", jobs.keySet());
            shards = jobs.values().stream().mapToInt(JobSpec::shardCount).sum();
        } else {
            kind = job.kind().name();
            what = job.kind() == JobSpec.Kind.JVM
                    ? job.entryClass().orElse("?") + " from " + job.artifactSha256().orElse("?")
                    : String.join(" ", job.command());
            shards = job.shardCount();
        }
        List<ScheduleRunJson> runs = new ArrayList<>();
        int ok = 0;
        int failed = 0;
        int late = 0;
        int skipped = 0;
        for (ScheduleRun r : s.history()) {
            ScheduleRunJson run = run(r);
            runs.add(run);
            switch (run.outcome()) {
                case "ok" -> ok++;
                case "failed" -> failed++;
                case "skipped" -> skipped++;
                default -> { }
            }
            late += run.late() ? 1 : 0;
        }
        return new ScheduleJson(s.name(), s.spec().cron(), s.spec().zone().getId(), s.spec().paused(),
                s.spec().misfire().name(), s.spec().maxCatchUp(), s.spec().overlap().name(), kind, what,
                shards, s.createdAt().toString(), s.lastFire().toString(),
                s.nextFireTimes().stream().map(Instant::toString).toList(), runs, ok, failed, late, skipped);
    }

    public static ScheduleRunJson run(ScheduleRun r) {
        String outcome;
        if (r.status() == ScheduleRun.Status.SKIPPED_MISFIRE || r.status() == ScheduleRun.Status.SKIPPED_OVERLAP) {
            outcome = "skipped";
        } else {
            outcome = r.jobState().map(st -> st == JobState.SUCCEEDED ? "ok" : st.isTerminal() ? "failed" : "running")
                    .orElse("running");
        }
        boolean late = r.status() != ScheduleRun.Status.MANUAL && r.lag().compareTo(LATE_AFTER) >= 0;
        return new ScheduleRunJson(r.scheduledAt().toString(), r.firedAt().toString(), r.status().name(),
                r.workflowJobs().isEmpty() ? r.jobId().orElse(null) : String.join(",", r.workflowJobs().values()),
                r.jobState().map(Enum::name).orElse(null), r.finishedAt().map(Instant::toString).orElse(null), r.lag().toMillis(), late, outcome,
                r.note().orElse(null));
    }

    public static ClusterJson cluster(ClusterInfo c) {
        return new ClusterJson(c.coordinatorId(), c.leader(), c.leader() ? c.epoch() : null,
                c.leaderEndpoint().orElse(null), c.standbys().orElse(null), c.zooKeeper(), c.recentChanges().stream()
                .map(x -> new ClusterJson.LeadershipChangeJson(x.at().toString(), x.epoch(), x.gained(), x.reason()))
                .toList());
    }

    public static WhoamiJson whoami(Identity id) {
        return new WhoamiJson(id.subject(), id.role(), id.permissions().stream().sorted().toList(), !id.insecure());
    }

    public static AuditJson audit(AuditEntry e) {
        return new AuditJson(e.at().toString(), e.who(), e.role(), e.action(), e.target(), e.remote(), e.outcome());
    }

    private static long seconds(Duration d) {
        return d.isNegative() ? 0 : d.getSeconds();
    }

    private static Optional<String> printableUtf8(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        return s.codePoints().allMatch(c -> c == '\n' || c == '\t' || !Character.isISOControl(c))
                ? Optional.of(s) : Optional.empty();
    }
}
