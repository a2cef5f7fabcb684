package io.drover.agent.jobcode;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Parent of every job class loader: it exposes the JDK (through the platform loader) and the
 * public Drover SDK ({@code io.drover.sdk.*}), nothing else. Job code thereby shares the SDK's
 * interface classes with the agent or worker JVM that loads it (so a job instance is a
 * {@code ShardedJob} there) but cannot see the agent, its libraries, or the SDK's {@code internal}
 * packages, which carry no compatibility promise. A job brings every other dependency inside its
 * own jar.
 */
public final class SdkApiClassLoader extends ClassLoader {
    private static final String SDK_PREFIX = "io.drover.sdk.";
    private static final String SDK_INTERNAL_PREFIX = "io.drover.sdk.internal.";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader sdkLoader;

    /** @param sdkLoader the loader that defined the SDK classes in the agent */
    public SdkApiClassLoader(ClassLoader sdkLoader) {
        super("drover-sdk-api", ClassLoader.getPlatformClassLoader());
        this.sdkLoader = sdkLoader;
    }

    /** Reached only for classes the platform loader does not have. */
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (isPublicSdk(name)) {
            return sdkLoader.loadClass(name);
        }
        throw new ClassNotFoundException(name + " (job code sees only the JDK and the public io.drover.sdk API)");
    }

    @Override
    protected URL findResource(String name) {
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return Collections.emptyEnumeration();
    }

    static boolean isPublicSdk(String className) {
        return className.startsWith(SDK_PREFIX) && !className.startsWith(SDK_INTERNAL_PREFIX);
    }
}
