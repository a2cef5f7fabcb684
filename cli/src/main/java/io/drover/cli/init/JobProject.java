package io.drover.cli.init;

import java.util.Locale;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * What {@code drover init} makes: a project name (the Maven artifactId and the jar's name) and the
 * Java package of its classes. {@link #of} checks both and says what to type instead.
 */
public record JobProject(String name, String packageName) {
    static final int MAX_NAME = 64;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public JobProject {
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid project name: use lower-case letters, "
                    + "digits and single hyphens, starting with a letter, at most " + MAX_NAME + " characters (e.g. "
                    + suggestion(name) + "); it becomes the Maven artifactId and the job jar's name");
        }
        if (packageName == null || !SourceVersion.isName(packageName)) {
            throw new IllegalArgumentException("'" + packageName + "' is not a valid Java package name: dot-separated "
                    + "identifiers, none of them a Java keyword (e.g. com.example." + defaultPackageSuffix(name) + ")");
        }
        if (packageName.equals("java") || packageName.startsWith("java.")) {
            throw new IllegalArgumentException("package " + packageName + " is reserved for the JDK: no class loader "
                    + "defines classes in java.*; use your own, e.g. com.example." + defaultPackageSuffix(name));
        }
        if (packageName.equals("io.drover") || packageName.startsWith("io.drover.")) {
            throw new IllegalArgumentException("package " + packageName + " is Drover's own (agents hide and share "
                    + "parts of it); use your own, e.g. com.example." + defaultPackageSuffix(name));
        }
    }

    /** The project {@code name} with its classes in {@code packageName}, or com.example.NAME (hyphens dropped). */
    public static JobProject of(String name, String packageName) {
        return new JobProject(name, packageName != null ? packageName
                : name != null && NAME.matcher(name).matches() ? "com.example." + defaultPackageSuffix(name) : null);
    }

    /** The package as a relative path: com/example/myjob. */
    public String packagePath() {
        return packageName.replace('.', '/');
    }

    /** The example job's fully qualified class name. */
    public String jobClass() {
        return packageName + ".SumOfSquares";
    }

    private static String defaultPackageSuffix(String name) {
        String suffix = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return suffix.isEmpty() || !Character.isLetter(suffix.charAt(0)) || SourceVersion.isKeyword(suffix)
                ? "myjob" : suffix;
    }

    private static String suggestion(String name) {
        if (name == null) {
            return "my-job";
        }
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^[-0-9]+|-+$", "");
        s = s.length() > MAX_NAME ? s.substring(0, MAX_NAME).replaceAll("-+$", "") : s;
        return s.isEmpty() ? "my-job" : s;
    }
}
