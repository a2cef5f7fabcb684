package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.launch.NativeLauncher;
import io.drover.agent.platform.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent started under {@code umask 000}, with the credential variables an operator may have
 * set in its environment: everything it writes in its work dir is 0600 / 0700, and neither a process
 * task nor a worker JVM task sees a credential variable or a file descriptor beyond 0-2.
 */
class AgentPrivacyTest {
    @TempDir
    Path tmp;

    @Test
    void underAPermissiveUmaskTheAgentsFilesArePrivateAndTasksInheritNoCredentials() throws Exception {
        Path workDir = tmp.resolve("agent");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The probe's agent starts its tasks as this build's agents do: through drover-launch where it was built.
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "umask 000 && exec \"$0\" -D" + NativeLauncher.PATH_PROPERTY
                + "=\"$3\" -cp \"$1\" " + PrivacyProbe.class.getName() + " \"$2\"", java, System.getProperty("java.class.path"),
                workDir.toString(), System.getProperty(NativeLauncher.PATH_PROPERTY, ""));
        pb.environment().put("DROVER_TOKEN", "drv1.client-token");
        pb.environment().put("DROVER_TOKEN_FILE", "/etc/drover/token");
        pb.environment().put("DROVER_JOIN_TOKEN", "drv1.join-token");
        pb.environment().put("DROVER_CLUSTER_SECRET_KEY", "k");
        pb.environment().put("DROVER_COORDINATORS", "127.0.0.1:1");
        pb.redirectErrorStream(true);
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        String process = line(output, "PROCESS:");
        assertThat(process).as("DROVER_* names a process task sees, then its open descriptors")
                .doesNotContain("DROVER_TOKEN", "DROVER_JOIN_TOKEN", "SECRET")
                .contains("DROVER_COORDINATORS,", "DROVER_JOB_ID,", "DROVER_SHARD_INDEX,");
        assertThat(process.substring(process.indexOf('|') + 1).trim()).as("file descriptors of the task's shell").isEqualTo("0 1 2");
        assertThat(line(output, "WORKER:")).as("DROVER_* names a worker JVM sees")
                .doesNotContain("DROVER_TOKEN", "DROVER_JOIN_TOKEN", "SECRET").contains("DROVER_COORDINATORS");

        List<String> wrong = new ArrayList<>();
        List<Path> checked = new ArrayList<>();
        try (Stream<Path> all = Files.walk(workDir)) {
            for (Path p : all.toList()) {
                boolean dir = Files.isDirectory(p);
                var mode = Files.getPosixFilePermissions(p);
                if (!mode.equals(dir ? PrivateFiles.DIRECTORY : PrivateFiles.FILE)) {
                    wrong.add(workDir.relativize(p) + " " + PosixFilePermissions.toString(mode));
                }
                checked.add(workDir.relativize(p));
            }
        }
        assertThat(checked).as("the walk saw the journal, an artifact, task output and the workers' directory")
                .anyMatch(p -> p.toString().startsWith("journal/"))
                .anyMatch(p -> p.toString().startsWith("artifacts/") && p.toString().endsWith(".jar"))
                .anyMatch(p -> p.toString().endsWith(".stderr"))
                .anyMatch(p -> p.toString().equals("workers"));
        assertThat(wrong).as("created under umask 000, yet private").isEmpty();
    }

    private static String line(String output, String prefix) throws IOException {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()))
                .orElseThrow(() -> new IOException("no " + prefix + " line in the probe's output:\n" + output));
    }
}
