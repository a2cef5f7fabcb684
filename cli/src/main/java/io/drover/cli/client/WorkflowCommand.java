package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;
import io.drover.cli.options.VersionProvider;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover workflow submit FILE}: a DAG of jobs from a YAML or JSON file, accepted all together or not at all. */
@Command(name = "workflow", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Workflows: several jobs with dependencies among them, submitted at once.",
        subcommands = {WorkflowCommand.Submit.class})
public final class WorkflowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ClientCommand.INVALID;
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Submit the jobs of a workflow file (YAML or JSON) and print each job's name and id.",
                "Every job is accepted or none is: a dependency on an unknown name or job id, or a cycle, is refused "
                        + "with the cycle named. Jobs that depend on others start WAITING."},
            footer = {"", "Example file:",
                "  jobs:",
                "    extract:   {command: [sh, -c, 'echo 21']}",
                "    double:    {command: [sh, -c, 'echo $((2 * $(cat $DROVER_UPSTREAM_RESULTS/extract)))'], after: [extract]}",
                "    report:    {command: \"echo done\", after: [\"double:finished\"], onUpstreamFailure: skip}"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:the workflow was accepted (with --wait: and every job succeeded)",
                "1:with --wait: a job failed, was cancelled or skipped",
                "2:bad usage, an invalid file, or the workflow was refused",
                "3:no leading coordinator answered",
                "5:any other error",
                "6:permission denied"})
    static final class Submit extends ClientCommand {
        @Parameters(paramLabel = "FILE", description = "The workflow file (.yaml, .yml or .json).")
        Path file;

        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Same key, same jobs: each job's key is "
                + "KEY/NAME (default: random, so each run of the command submits anew).")
        String key;

        @Option(names = "--wait", description = "Wait until every job has ended; print each one's state.")
        boolean await;

        @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = "7d", description = "Give up waiting after this long (default ${DEFAULT-VALUE}).")
        Duration waitTimeout;

        @Override
        protected int run(DroverClient client) {
            Workflow w = WorkflowFile.read(file, key != null ? key : "workflow-" + UUID.randomUUID());
            Map<String, JobHandle> jobs = client.submitWorkflow(w);
            TextTable table = new TextTable("NAME", "JOB");
            jobs.forEach((name, job) -> table.row(name, job.jobId()));
            out().print(table.render());
            out().flush();
            if (!await) {
                return OK;
            }
            int code = OK;
            long deadline = System.nanoTime() + waitTimeout.toNanos();
            for (Map.Entry<String, JobHandle> e : jobs.entrySet()) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                JobStatus s = e.getValue().await(left, status -> { });
                err().println(SafeText.of(e.getKey()) + " " + SafeText.of(s.jobId()) + " " + s.state()
                        + (s.error() == null ? "" : ": " + SafeText.of(s.error())));
                if (s.state() != JobState.SUCCEEDED) {
                    code = JOB_NOT_SUCCEEDED;
                }
            }
            return code;
        }
    }
}
