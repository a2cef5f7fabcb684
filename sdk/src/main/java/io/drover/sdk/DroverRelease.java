package io.drover.sdk;

/**
 * The Drover release this process runs: what {@code drover --version} prints and what an agent reports
 * when it registers. The distribution's {@code bin/drover} sets {@value #PROPERTY} from its {@code RELEASE}
 * file, so a release is named by what is installed, not only by how its jars were built.
 */
public final class DroverRelease {
    /** System property holding the release name; wins over the jar manifest. */
    public static final String PROPERTY = "drover.release";

    private DroverRelease() {
    }

    /**
     * {@value #PROPERTY} if set, else this jar's Implementation-Version, else "dev" (run from classes).
     *
     * @return the release name
     */
    public static String version() {
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            return named.strip();
        }
        String built = DroverRelease.class.getPackage().getImplementationVersion();
        return built != null ? built : "dev";
    }
}
