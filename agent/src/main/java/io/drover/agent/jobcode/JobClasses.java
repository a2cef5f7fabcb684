package io.drover.agent.jobcode;

import io.drover.sdk.ShardedJob;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads job code from an artifact jar: one isolated class loader per artifact (parent: the
 * {@link SdkApiClassLoader}), and the entry class instantiated through its public no-argument
 * constructor. Shared by the in-agent executor and the worker JVM, so both reject a bad job with
 * the same words.
 */
public final class JobClasses {
    private JobClasses() {
    }

    /**
     * A loader for the jar, named {@code drover-job-<first 12 hex digits of its hash>} so a stack
     * trace or heap dump says which artifact a class came from.
     */
    public static URLClassLoader loaderFor(Path jar, String artifactSha256, ClassLoader sdkApi) throws JobLoadException {
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new JobLoadException("cannot load artifact " + artifactSha256 + " from " + jar, e);
        }
        String shortHash = artifactSha256.length() > 12 ? artifactSha256.substring(0, 12) : artifactSha256;
        return new URLClassLoader("drover-job-" + shortHash, new URL[] {url}, sdkApi);
    }

    /** Instantiates the entry class with the loader as the thread's context loader (job code may look up resources through it). */
    public static ShardedJob<?> instantiate(String entryClass, ClassLoader loader, String artifactSha256) throws JobLoadException {
        String where = "entry class " + entryClass + " in artifact " + artifactSha256;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> type = Class.forName(entryClass, true, loader);
            if (!ShardedJob.class.isAssignableFrom(type)) {
                throw new JobLoadException(where + " does not implement " + ShardedJob.class.getName());
            }
            return (ShardedJob<?>) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new JobLoadException(where + " not found", e);
        } catch (NoSuchMethodException e) {
            throw new JobLoadException(where + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new JobLoadException("constructor of " + where + " threw " + Failures.describe(e.getCause()), e);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new JobLoadException(where + " cannot be instantiated (abstract or not public): " + e, e);
        } catch (LinkageError e) {
            throw new JobLoadException(where + " cannot be loaded: " + Failures.describe(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
