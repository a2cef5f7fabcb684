package io.drover.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the example job jar shipped beside the distribution (never on its classpath). */
public final class JobJars {
    private JobJars() {
    }

    public static Path examples() {
        String home = System.getProperty("drover.home", ".");
        for (Path candidate : new Path[] {
                Path.of(home, "jobs", "drover-job-examples.jar"),
                Path.of(home, "dist", "target", "jobs", "drover-job-examples.jar"),
                Path.of(home, "job-examples", "target", "drover-job-examples.jar")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("example job jar not found under " + Path.of(home).toAbsolutePath()
                + "; build with: mvn -DskipTests package");
    }
}
