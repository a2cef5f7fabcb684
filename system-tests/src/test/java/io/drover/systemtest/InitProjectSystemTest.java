package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import io.drover.cli.demo.Directories;
import io.drover.cli.demo.LocalCluster;
import io.drover.cli.init.ProjectGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job author's first hour, for real: {@code drover init} makes a project, the author adds a library
 * of the job's own as its pom says, Maven builds it offline against the SDK of this checkout (running
 * its unit test on {@code LocalJobRunner}) into a fat jar holding that library, and the submit command
 * its README shows, run as a separate {@code drover} process in the project directory, prints the
 * result the README promises from a real cluster.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
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

        assertThat(Files.readString(project.resolve("pom.xml")))
                .as("the shade plugin version this module's pom makes the build resolve (init-project-plugins)")
                .contains("<artifactId>maven-shade-plugin</artifactId><version>3.6.0</version>");
        addLibrary(project.resolve("pom.xml"), "org.jctools", "jctools-core", rootPomProperty("jctools.version"));
        String version = ProjectGenerator.ofThisRelease().droverVersion();
        OfflineMaven maven = new OfflineMaven(Files.createDirectories(Path.of("target", "init-project-maven").toAbsolutePath()));
        maven.installSdk(version);
        // The cluster starts while Maven builds: the two take about as long as each other.
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<LocalCluster> starting = starter.submit(() -> new LocalCluster(1, 1)); // one slot: one worker JVM, kept warm for every task
        try {
            long t0 = System.nanoTime();
            ChildProcess.Result build = maven.run(project, BUILD_DEADLINE, "package");
            assertThat(build.code()).as(build.describe()).isZero();
            System.out.printf("offline mvn package of the generated project: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            Path reports = project.resolve("target/surefire-reports/TEST-org.example.sums.SumOfSquaresTest.xml");
            assertThat(Files.readString(reports)).contains("tests=\"2\"", "failures=\"0\"", "errors=\"0\"");
            try (JarFile jar = new JarFile(project.resolve("target/sum-job.jar").toFile())) {
                assertThat(jar.getEntry("org/example/sums/SumOfSquares.class")).as("the job class").isNotNull();
                assertThat(jar.stream().filter(e -> e.getName().startsWith("io/drover/"))).as("the provided SDK").isEmpty();
                assertThat(jar.getEntry("org/jctools/queues/MpscArrayQueue.class")).as("the job's own library").isNotNull();
            }

            String readme = Files.readString(project.resolve("README.md"));
            List<String> submit = submitCommand(readme);
            assertThat(submit).startsWith("drover", "submit", "--jar", "target/sum-job.jar", "--class",
                    "org.example.sums.SumOfSquares");
            LocalCluster cluster = starting.get(2, TimeUnit.MINUTES);
            long t1 = System.nanoTime();
            ChildProcess.Result run = ChildProcess.run(ChildProcess.drover(submit.subList(1, submit.size())), project,
                    Map.of("DROVER_SECRETS_DIR", cluster.secretsDir().toString(), "DROVER_COORDINATORS", cluster.endpoint()),
                    Duration.ofSeconds(90));
            assertThat(run.code()).as(run.describe()).isZero();
            System.out.printf("drover submit --wait of the job jar: %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            List<String> lines = run.out().lines().toList();
            assertThat(lines).as(run.describe()).hasSize(2);
            assertThat(lines.get(1)).isEqualTo(promisedResult(readme)).isEqualTo("333333833333500000");
        } finally {
            starter.shutdown();
            closeWhenStarted(starting);
            Directories.deleteTree(project);
        }
    }

    /** Closes the cluster once its start ends; a start that failed fails the test (unless it failed already). */
    private static void closeWhenStarted(Future<LocalCluster> starting) throws InterruptedException, TimeoutException {
        try {
            starting.get(2, TimeUnit.MINUTES).close();
        } catch (ExecutionException e) {
            throw new AssertionError("the local cluster did not start", e.getCause());
        }
    }

    /** What the project's comment tells users to do: a library of the job's own, compile scope, in the job jar. */
    private static void addLibrary(Path pom, String groupId, String artifactId, String version) throws IOException {
        String anchor = "only the JDK and the SDK. -->\n";
        String text = Files.readString(pom);
        assertThat(text).contains(anchor);
        Files.writeString(pom, text.replace(anchor, anchor + "    <dependency><groupId>" + groupId + "</groupId><artifactId>"
                + artifactId + "</artifactId><version>" + version + "</version></dependency>\n"));
    }

    /** A property of the Drover build (so the library is one this machine's repository has). */
    private static String rootPomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(m.find()).as("property %s in the root pom.xml", name).isTrue();
        return m.group(1).strip();
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
