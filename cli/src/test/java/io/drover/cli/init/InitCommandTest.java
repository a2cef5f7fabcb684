package io.drover.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import io.drover.sdk.ShardedJob;
import io.drover.sdk.testing.LocalJobRunner;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apiguardian.api.API;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * {@code drover init} as a user runs it: the files it writes, what it refuses, and that the
 * generated job and test compile against this SDK and compute the right answer. (The full Maven
 * build of a generated project and its submission to a cluster: {@code InitProjectSystemTest}.)
 */
class InitCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int drover(String... args) {
        var cl = DroverCli.commandLine();
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void createsAJobProjectWithThePackageAsked() throws Exception {
        Path dir = tmp.resolve("projects/word-job");
        assertThat(drover("init", "word-job", "--package", "org.acme.words", "--dir", dir.toString())).isZero();

        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted())
                    .containsExactly(".gitignore", "README.md", "pom.xml",
                            "src/main/java/org/acme/words/SumOfSquares.java",
                            "src/test/java/org/acme/words/SumOfSquaresTest.java");
        }
        String version = ProjectGenerator.ofThisRelease().droverVersion();
        assertThat(version).doesNotContain("${").isNotBlank();
        String pom = Files.readString(dir.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>word-job</artifactId>", "<groupId>org.acme.words</groupId>",
                "<drover.version>" + version + "</drover.version>", "<artifactId>drover-sdk</artifactId>",
                "<scope>provided</scope>", "maven-shade-plugin", "<finalName>word-job</finalName>").doesNotContain("{{");
        String readme = Files.readString(dir.resolve("README.md"));
        assertThat(readme).contains("drover submit --jar target/word-job.jar --class org.acme.words.SumOfSquares",
                "mvn -q -pl sdk -am install", "lib/drover-sdk-" + version + ".jar").doesNotContain("{{");
        assertThat(out.toString()).startsWith("created " + dir + ": job org.acme.words.SumOfSquares")
                .contains("drover submit --jar target/word-job.jar --class org.acme.words.SumOfSquares --shards 4");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theGeneratedJobAndTestCompileAgainstThisSdkAndTheJobIsRight() throws Exception {
        Path dir = tmp.resolve("sq");
        assertThat(drover("init", "sq", "--dir", dir.toString())).isZero();
        Path main = dir.resolve("src/main/java/com/example/sq/SumOfSquares.java");
        Path test = dir.resolve("src/test/java/com/example/sq/SumOfSquaresTest.java");
        Path classes = Files.createDirectories(tmp.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("-d", classes.toString(), "--release", "17",
                "-Xlint:all", "-Werror", "-cp", jobProjectClassPath()), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(main, test)).call();
        assertThat(ok).as(diagnostics.toString()).isTrue();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            @SuppressWarnings("unchecked")
            ShardedJob<Long> job = (ShardedJob<Long>) loader.loadClass("com.example.sq.SumOfSquares")
                    .getConstructor().newInstance();
            long n = 1_000_000;
            assertThat(LocalJobRunner.forJob(job).shards(7).arguments(Long.toString(n)).reduce(true).build().run().result())
                    .isEqualTo(n * (n + 1) * (2 * n + 1) / 6);
        }
    }

    /** What the generated project compiles against: the SDK, JUnit's API and AssertJ (a short path compiles faster). */
    private static String jobProjectClassPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> c : List.of(ShardedJob.class, Test.class, Assertions.class, API.class,
                AssertionFailedError.class)) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    @Test
    void refusesANonEmptyDirectoryAndLeavesItAlone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThat(drover("init", "busy", "--dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: " + dir + " is not empty; drover init never overwrites files")
                .endsWith("see 'drover init --help'\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(drover("init", "x", "--dir", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(file + " exists and is not a directory");
    }

    @Test
    void anEmptyDirectoryIsFine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThat(drover("init", "empty-ok", "--dir", dir.toString())).isZero();
        assertThat(dir.resolve("pom.xml")).exists();
    }

    @Test
    void badNamesAndPackagesAreRefusedWithWhatToTypeInstead() {
        assertThat(drover("init", "My Job", "--dir", tmp.resolve("a").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: 'My Job' is not a valid project name: use lower-case letters")
                .contains("(e.g. my-job)").endsWith("see 'drover init --help'\n");
        assertThat(tmp.resolve("a")).doesNotExist();

        err.getBuffer().setLength(0);
        assertThat(drover("init", "ok", "--package", "com.example.class", "--dir", tmp.resolve("b").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: 'com.example.class' is not a valid Java package name");

        err.getBuffer().setLength(0);
        assertThat(drover("init", "ok", "--package", "java.util.jobs", "--dir", tmp.resolve("c").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: package java.util.jobs is reserved for the JDK");

        err.getBuffer().setLength(0);
        assertThat(drover("init", "ok", "--package", "io.drover.sdk.mine", "--dir", tmp.resolve("d").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: package io.drover.sdk.mine is Drover's own");
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    @Test
    void theDefaultPackageComesFromTheName() {
        assertThat(JobProject.of("my-job", null).packageName()).isEqualTo("com.example.myjob");
        assertThat(JobProject.of("new-2", null).packageName()).isEqualTo("com.example.new2");
        assertThat(JobProject.of("int", null).packageName()).isEqualTo("com.example.myjob"); // a keyword
        assertThat(JobProject.of("sq", "org.x").jobClass()).isEqualTo("org.x.SumOfSquares");
    }
}
