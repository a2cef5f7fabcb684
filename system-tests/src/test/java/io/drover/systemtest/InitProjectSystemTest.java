package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import io.drover.cli.demo.Directories;
import io.drover.cli.demo.LocalCluster;
import io.drover.cli.init.ProjectGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job author's first hour, for real: {@code drover init} makes a project, Maven builds it offline
 * against the SDK of this checkout (running its unit test on {@code LocalJobRunner}) into a fat jar,
 * and the submit command its README shows, run as a separate {@code drover} process in the project
 * directory, prints the result the README promises from a real cluster.
 */
class InitProjectSystemTest {
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void aGeneratedProjectBuildsTestsAndRunsOnACluster() throws Exception {
        Path project = tmp.resolve("sum-job");
        StringWriter initOut = new StringWriter();
        int code = DroverCli.commandLine().setOut(new PrintWriter(initOut, true))
                .execute("init", "sum-job", "--package", "org.example.sums", "--dir", project.toString());
        assertThat(code).as(initOut.toString()).isZero();

        String version = ProjectGenerator.ofThisRelease().droverVersion();
        OfflineMaven maven = new OfflineMaven(Files.createDirectories(Path.of("target", "init-project-maven").toAbsolutePath()));
        maven.installSdk(version);
        try (LocalCluster cluster = new LocalCluster(1, 4)) {
            ChildProcess.Result build = maven.run(project, BUILD_DEADLINE, "package");
            assertThat(build.code()).as(build.describe()).isZero();

            Path reports = project.resolve("target/surefire-reports/TEST-org.example.sums.SumOfSquaresTest.xml");
            assertThat(Files.readString(reports)).contains("tests=\"2\"", "failures=\"0\"", "errors=\"0\"");
            try (JarFile jar = new JarFile(project.resolve("target/sum-job.jar").toFile())) {
                assertThat(jar.getEntry("org/example/sums/SumOfSquares.class")).as("the job class").isNotNull();
                assertThat(jar.stream().filter(e -> e.getName().startsWith("io/drover/"))).as("the provided SDK").isEmpty();
            }

            String readme = Files.readString(project.resolve("README.md"));
            List<String> submit = submitCommand(readme);
            assertThat(submit).startsWith("drover", "submit", "--jar", "target/sum-job.jar", "--class",
                    "org.example.sums.SumOfSquares");
            ChildProcess.Result run = ChildProcess.run(ChildProcess.drover(submit.subList(1, submit.size())), project,
                    Map.of("DROVER_SECRETS_DIR", cluster.secretsDir().toString(), "DROVER_COORDINATORS", cluster.endpoint()),
                    Duration.ofSeconds(90));
            assertThat(run.code()).as(run.describe()).isZero();
            List<String> lines = run.out().lines().toList();
            assertThat(lines).as(run.describe()).hasSize(2);
            assertThat(lines.get(1)).isEqualTo(promisedResult(readme)).isEqualTo("333333833333500000");
        } finally {
            Directories.deleteTree(project);
        }
    }

    /** The README's {@code drover submit ...} command, continuation lines joined, split into words. */
    private static List<String> submitCommand(String readme) {
        Matcher m = Pattern.compile("(?m)^drover submit (?:[^\\n]*\\\\\\n)*[^\\n]*$").matcher(readme);
        assertThat(m.find()).as("a drover submit command in the generated README").isTrue();
        String joined = m.group().replaceAll("\\\\\\n\\s*", " ");
        return new ArrayList<>(Arrays.asList(joined.trim().split("\\s+")));
    }

    /** The result the README says the submit command prints: "... then the result, `N`." */
    private static String promisedResult(String readme) {
        Matcher m = Pattern.compile("then the result, `([^`]+)`").matcher(readme);
        assertThat(m.find()).as("the promised result in the generated README").isTrue();
        return m.group(1);
    }
}
