package io.drover.agent;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testjobs.EnvJob;
import io.drover.protocol.thrift.TaskResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link AgentPrivacyTest} in a child JVM started under {@code umask 000} with credential
 * variables set: runs a process task and a worker JVM task on a real agent, prints what each saw
 * ("PROCESS:" and "WORKER:" lines), and leaves the agent's work dir for the test to inspect.
 */
public final class PrivacyProbe {
    private PrivacyProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        try (AgentHarness h = AgentHarness.start(workDir, 1)) {
            h.coordinator.addProcessJob("probe", List.of("/bin/sh", "-c",
                    // The shell's descriptors are listed by a background command (it redirects in the child): while a pipeline
                    // starts, or a redirection runs in the shell, it briefly holds more (a pipe's ends, a saved 10).
                    "f=$(mktemp); ls /proc/$$/fd > \"$f\" & wait $!; env | sed -n 's/^\\(DROVER_[A-Z_]*\\)=.*/\\1/p' | sort | tr '\\n' ','; echo; "
                            + "tr '\\n' ' ' < \"$f\"; rm -f \"$f\"; echo oops >&2"), 1, 0, List.of());
            TaskResult process = h.awaitResult(h.coordinator.assign(AgentHarness.AGENT_ID, "probe", 0, null));
            System.out.println("PROCESS:" + utf8(process).replace("\n", "|"));

            String jar = h.coordinator.putArtifact(TestJars.ofPackage(EnvJob.class));
            h.coordinator.addJvmJob("env", jar, EnvJob.class.getName(), 1, 0, List.of());
            TaskResult worker = h.awaitResult(h.coordinator.assign(AgentHarness.AGENT_ID, "env", 0, null));
            System.out.println("WORKER:" + (worker.getValue() == null ? "error " + worker.getError() : utf8(worker)));
        }
        System.out.flush();
        System.exit(0); // daemon threads of the harness must not keep the child alive
    }

    private static String utf8(TaskResult r) {
        return r.getValue() == null ? "error " + r.getError() : StandardCharsets.UTF_8.decode(r.bufferForValue()).toString();
    }
}
