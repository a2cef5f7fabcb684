package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.Dependency;
import io.drover.sdk.JobSpec;
import io.drover.sdk.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow files (YAML and JSON) and the {@code --after} syntax. */
class WorkflowFileTest {
    @TempDir
    Path dir;

    @Test
    void aYamlWorkflowNamesItsJobsAndTheirDependencies() throws Exception {
        Path f = Files.writeString(dir.resolve("wf.yaml"), """
                jobs:
                  extract: {command: [sh, -c, 'echo 21'], shards: 2}
                  report:
                    command: "echo done"
                    after: [extract, "j1-9:finished"]
                    onUpstreamFailure: skip
                """);
        Workflow w = WorkflowFile.read(f, "k");
        assertThat(w.jobs().keySet()).containsExactly("extract", "report");
        JobSpec report = w.jobs().get("report");
        assertThat(report.dependencies()).containsExactly(new Dependency("extract", Dependency.Condition.SUCCEEDED),
                new Dependency("j1-9", Dependency.Condition.FINISHED));
        assertThat(report.onUpstreamFailure()).isEqualTo(Dependency.UpstreamFailure.SKIP);
        assertThat(report.idempotencyKey()).isEqualTo("k/report");
        assertThat(w.jobs().get("extract").shardCount()).isEqualTo(2);
        assertThat(report.command()).containsExactly("echo", "done");
    }

    @Test
    void jsonIsReadTooAndMistakesAreNamed() throws Exception {
        Path json = Files.writeString(dir.resolve("wf.json"), "{\"jobs\": {\"a\": {\"command\": [\"true\"]}, "
                + "\"b\": {\"command\": [\"true\"], \"after\": \"a\"}}}");
        assertThat(WorkflowFile.read(json, "k").jobs().get("b").dependencies()).extracting(Dependency::jobId).containsExactly("a");

        Path typo = Files.writeString(dir.resolve("typo.yaml"), "jobs:\n  a: {command: [\"true\"], afer: [b]}\n");
        assertThatThrownBy(() -> WorkflowFile.read(typo, "k")).hasMessageContaining("job 'a': unknown key 'afer'");
        Path badCondition = Files.writeString(dir.resolve("c.yaml"), "jobs:\n  a: {command: [\"true\"], after: [\"b:done\"]}\n");
        assertThatThrownBy(() -> WorkflowFile.read(badCondition, "k")).hasMessageContaining("must be succeeded or finished");
        Path noJobs = Files.writeString(dir.resolve("n.yaml"), "job: {}\n");
        assertThatThrownBy(() -> WorkflowFile.read(noJobs, "k")).hasMessageContaining("needs 'jobs'");
    }

    @Test
    void backupsAreSetPerJobAsOnOffOrABoolean() throws Exception {
        Path f = Files.writeString(dir.resolve("b.yaml"), """
                jobs:
                  asked: {command: ["true"], backups: "on"}
                  yes: {command: ["true"], backups: true}
                  plain: {command: ["true"]}
                  off: {command: ["true"], backups: "off"}
                """);
        Workflow w = WorkflowFile.read(f, "k");
        assertThat(w.jobs().get("asked").backups()).contains(true);
        assertThat(w.jobs().get("yes").backups()).contains(true);
        assertThat(w.jobs().get("plain").backups()).as("the kind's default").isEmpty();
        assertThat(w.jobs().get("off").backups()).contains(false);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "jobs:\n  a: {command: [\"true\"], backups: often}\n");
        assertThatThrownBy(() -> WorkflowFile.read(bad, "k")).hasMessageContaining("'backups' must be on or off, was 'often'");
    }

    @Test
    void afterTakesAnOptionalCondition() {
        assertThat(Dependencies.parse("j1-2", "--after")).isEqualTo(new Dependency("j1-2", Dependency.Condition.SUCCEEDED));
        assertThat(Dependencies.parse("j1-2:FINISHED", "--after")).isEqualTo(new Dependency("j1-2", Dependency.Condition.FINISHED));
        assertThatThrownBy(() -> Dependencies.parse(":finished", "--after")).hasMessageContaining("names no job");
        assertThatThrownBy(() -> Dependencies.policy("maybe")).hasMessageContaining("fail or skip");
        assertThat(List.of(Dependencies.policy("SKIP"))).containsExactly(Dependency.UpstreamFailure.SKIP);
    }
}
