package io.drover.sdk.internal;

import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Keeps an application without a logging backend free of SLF4J's "No SLF4J providers were found"
 * warning, which the SDK's libraries would otherwise cause: libthrift and the protocol module log
 * through slf4j-api, and slf4j-api warns on stderr the first time anything asks it for a logger.
 *
 * <p>Routing the SDK's own lines elsewhere would not help (the lines that trigger it are
 * libthrift's), and shipping a provider would fight the application's. So, before the client
 * touches those libraries, and only when no SLF4J provider is on the class path and the
 * application set neither {@code slf4j.provider} nor {@code slf4j.internal.verbosity}, this lets
 * SLF4J start with its internal reporting at ERROR (its documented switch), then takes the switch
 * away again. Nothing changes for an application with a backend: it gets the SDK's logs as before.
 * An old binding (slf4j 1.7 style {@code StaticLoggerBinder}) is left to SLF4J to explain, since its
 * warning there is the one thing that says why that backend gets nothing.
 */
public final class QuietLogging {
    static final String VERBOSITY = "slf4j.internal.verbosity";
    static final String PROVIDER = "slf4j.provider";

    private QuietLogging() {
    }

    /** Starts SLF4J without its no-provider warning when the application has no backend; otherwise does nothing. */
    public static synchronized void startSlf4jQuietlyWithoutBackend() {
        if (System.getProperty(VERBOSITY) != null || System.getProperty(PROVIDER) != null) {
            return; // the application has decided how SLF4J behaves
        }
        ClassLoader loader = LoggerFactory.class.getClassLoader();
        if (ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isPresent()
                || loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null) {
            return;
        }
        System.setProperty(VERBOSITY, "ERROR");
        try {
            LoggerFactory.getILoggerFactory(); // SLF4J starts here, reading the switch once
        } finally {
            System.clearProperty(VERBOSITY);
        }
    }
}
