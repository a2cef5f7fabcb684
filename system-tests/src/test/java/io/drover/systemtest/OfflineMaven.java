package io.drover.systemtest;

import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A child {@code mvn} that builds a generated job project offline, never touching the shared
 * {@code ~/.m2}: its local repository is a directory of its own, into which this class puts the
 * SDK built from this checkout, and plugins and test libraries are read from {@code ~/.m2} as a
 * {@code file:} mirror (offline mode still allows the file protocol when told so). The repository
 * is kept under {@code target/} between runs, so only the first run copies the plugins.
 */
final class OfflineMaven {
    private final Path repo;
    private final Path settings;

    OfflineMaven(Path workDir) throws IOException {
        this.repo = Files.createDirectories(workDir.resolve("repository"));
        this.settings = workDir.resolve("settings.xml");
        Path userRepo = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Files.writeString(settings, """
                <settings>
                  <!-- Everything the build needs beyond the SDK is in the user's repository; read it, never write it. -->
                  <mirrors><mirror><id>user-repository</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors>
                </settings>
                """.formatted(userRepo.toUri()));
    }

    /**
     * Puts the SDK of this checkout into the repository as {@code io.drover:drover-sdk:version}, a
     * jar and a pom without dependencies, as {@code mvn install:install-file} does with the jar of a
     * release tarball. The SDK comes from this JVM's class path: its jar, or its classes jarred here.
     */
    void installSdk(String version) throws IOException {
        Path dir = Files.createDirectories(repo.resolve("io/drover/drover-sdk/" + version));
        Path jar = dir.resolve("drover-sdk-" + version + ".jar");
        Path sdk = sdkOnClassPath();
        if (Files.isDirectory(sdk)) {
            jarDirectory(sdk, jar);
        } else {
            Files.copy(sdk, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("drover-sdk-" + version + ".pom"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.drover</groupId><artifactId>drover-sdk</artifactId><version>%s</version>
                </project>
                """.formatted(version));
    }

    /** Runs {@code mvn -o -B -q goals...} in {@code project}. */
    ChildProcess.Result run(Path project, Duration deadline, String... goals) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-o", "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "-Daether.offline.protocols=file",
                "-DargLine=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")); // the project's test JVM: short-lived too
        cmd.addAll(List.of(goals));
        // A short-lived Maven starts faster with the client compiler and the serial collector.
        return ChildProcess.run(cmd, project, Map.of("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"), deadline);
    }

    private static Path sdkOnClassPath() {
        try {
            return Path.of(ShardedJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the SDK on the class path", e);
        }
    }

    private static void jarDirectory(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
