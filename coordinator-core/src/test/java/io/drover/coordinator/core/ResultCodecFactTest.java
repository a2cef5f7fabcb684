package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The result codec a job's code declared: learnt from the first result that names it, written once
 * per job, shown in the job's view, and still known after a failover and after compaction.
 */
class ResultCodecFactTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private static Event.Report ok(Assignment a, String codec) {
        return new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.SUCCEEDED, new byte[8], null, codec);
    }

    private List<Fact.JobResultCodec> codecFacts() {
        return h.facts.stream().filter(f -> f instanceof Fact.JobResultCodec).map(f -> (Fact.JobResultCodec) f).toList();
    }

    @Test
    void theFirstResultNamingACodecIsWrittenOnceAndShownInTheView() {
        String id = h.submit(job("k", 3, true, 1));
        h.register("a1", 3);
        List<Assignment> shards = h.heartbeat("a1", List.of()).assignments();
        assertThat(h.job(id).resultCodec()).as("nothing known before a result").isNull();

        h.heartbeat("a1", List.of(CoreHarness.ok(shards.get(0), new byte[8]))); // an older agent: no name
        assertThat(h.job(id).resultCodec()).isNull();
        // The reply to the last shard's report carries the reduce task.
        Assignment reduce = h.heartbeat("a1", List.of(ok(shards.get(1), "int64"), ok(shards.get(2), "int64")))
                .assignments().get(0);
        h.heartbeat("a1", List.of(ok(reduce, "int64")));

        assertThat(codecFacts()).containsExactly(new Fact.JobResultCodec(id, "int64"));
        assertThat(h.job(id).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(h.job(id).resultCodec()).isEqualTo("int64");
    }

    @Test
    void aNewLeaderAndACompactedLogStillKnowIt() {
        String id = h.submit(job("k", 2, false, 1));
        h.register("a1", 2);
        List<Assignment> shards = h.heartbeat("a1", List.of()).assignments();
        h.heartbeat("a1", List.of(ok(shards.get(0), "com.example.PointCodec")));

        Effects out = new Effects();
        Scheduler next = new Scheduler(CoreHarness.config(), 2, FactReplay.replayState(h.facts), h.now, out);
        h.core = next;
        assertThat(h.job(id).resultCodec()).as("after a failover").isEqualTo("com.example.PointCodec");

        List<Fact> snapshot = next.durableSnapshot();
        assertThat(snapshot).contains(new Fact.JobResultCodec(id, "com.example.PointCodec"));
        h.core = new Scheduler(CoreHarness.config(), 3, FactReplay.replayState(snapshot), h.now, new Effects());
        assertThat(h.job(id).resultCodec()).as("after compaction").isEqualTo("com.example.PointCodec");
    }
}
