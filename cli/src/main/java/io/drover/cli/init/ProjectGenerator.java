package io.drover.cli.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a job project from the templates under {@code io/drover/cli/init/template}: each
 * {@code {{key}}} is replaced by its value (name, package, package path, the Drover, JUnit and
 * AssertJ versions this release was built with). Refuses a target that is a file or a directory
 * with anything in it, so it never overwrites work.
 */
public final class ProjectGenerator {
    private static final String TEMPLATES = "/io/drover/cli/init/template/";
    private static final String VERSIONS = "/io/drover/cli/init/versions.properties";

    private final Map<String, String> versions;

    /** @param versions {@code drover.version}, {@code junit.version} and {@code assertj.version} */
    public ProjectGenerator(Map<String, String> versions) {
        for (String key : List.of("drover.version", "junit.version", "assertj.version")) {
            String v = versions.get(key);
            if (v == null || v.isBlank() || v.contains("${")) {
                throw new IllegalArgumentException("no " + key + " for the generated project (was " + v + ")");
            }
        }
        this.versions = Map.copyOf(versions);
    }

    /** The versions this build of the CLI was made with (a resource the build fills in). */
    public static ProjectGenerator ofThisRelease() {
        Properties p = new Properties();
        try (InputStream in = ProjectGenerator.class.getResourceAsStream(VERSIONS)) {
            if (in == null) {
                throw new IllegalStateException("the CLI jar lacks " + VERSIONS + ": rebuild it with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VERSIONS, e);
        }
        Map<String, String> versions = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> versions.put(k, p.getProperty(k)));
        return new ProjectGenerator(versions);
    }

    public String droverVersion() {
        return versions.get("drover.version");
    }

    /**
     * Writes the project into {@code dir} (created with its parents if missing).
     *
     * @return the files written, relative to {@code dir}
     * @throws IllegalArgumentException when {@code dir} is a file or a non-empty directory
     */
    public List<Path> generate(JobProject project, Path dir) throws IOException {
        refuseToOverwrite(dir);
        Map<String, String> values = Map.of("name", project.name(), "package", project.packageName(),
                "packagePath", project.packagePath(), "droverVersion", versions.get("drover.version"),
                "junitVersion", versions.get("junit.version"), "assertjVersion", versions.get("assertj.version"));
        Map<String, String> files = new LinkedHashMap<>(); // template -> path in the project
        files.put("pom.xml.tmpl", "pom.xml");
        files.put("README.md.tmpl", "README.md");
        files.put("gitignore.tmpl", ".gitignore");
        files.put("SumOfSquares.java.tmpl", "src/main/java/" + project.packagePath() + "/SumOfSquares.java");
        files.put("SumOfSquaresTest.java.tmpl", "src/test/java/" + project.packagePath() + "/SumOfSquaresTest.java");
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = dir.resolve(f.getValue());
            Files.createDirectories(target.getParent());
            Files.writeString(target, fill(template(f.getKey()), values), StandardCharsets.UTF_8);
            written.add(Path.of(f.getValue()));
        }
        return written;
    }

    private static void refuseToOverwrite(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a directory; choose another --dir");
        }
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new IllegalArgumentException(dir + " is not empty; drover init never overwrites files: "
                            + "choose another --dir or an empty directory");
                }
            }
        }
    }

    private static String template(String name) throws IOException {
        try (InputStream in = ProjectGenerator.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new IllegalStateException("the CLI jar lacks the template " + TEMPLATES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace("{{" + v.getKey() + "}}", v.getValue());
        }
        int left = out.indexOf("{{");
        if (left >= 0) {
            throw new IllegalStateException("template placeholder left unfilled: "
                    + out.substring(left, Math.min(out.length(), left + 40)));
        }
        return out;
    }
}
