package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.artifact.ArtifactException;
import io.drover.agent.task.ArtifactRef;
import io.drover.agent.task.JobDescription;
import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a JVM job's entry class from its artifact, one isolated class loader per artifact, and
 * keeps one instance per job (the SDK allows reusing it across shards and threads) for the most
 * recently used jobs. Class loaders stay open for the agent's life: closing one while a task of
 * its artifact still runs would break that task's class loading. Unloading idle artifacts needs
 * reference counting and comes with the child-JVM executor, where a worker exit unloads everything.
 */
final class JobLoader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobLoader.class);

    private final ArtifactCache artifacts;
    private final ClassLoader sdkApi;
    private final Map<String, URLClassLoader> loaders = new HashMap<>(); // by artifact hash; guarded by itself
    private final Map<String, ShardedJob<?>> jobs; // by job id, most recently used last; guarded by itself

    JobLoader(ArtifactCache artifacts, int cachedJobs) {
        this.artifacts = artifacts;
        this.sdkApi = new SdkApiClassLoader(ShardedJob.class.getClassLoader());
        this.jobs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ShardedJob<?>> eldest) {
                return size() > cachedJobs; // a job seen again later is simply instantiated again
            }
        };
    }

    ShardedJob<?> load(JobDescription job) throws TaskRejectedException, InterruptedException {
        ShardedJob<?> loaded;
        synchronized (jobs) {
            loaded = jobs.get(job.jobId());
        }
        if (loaded != null) {
            return loaded;
        }
        ArtifactRef artifact = job.artifact().orElseThrow(() ->
                new TaskRejectedException("JVM job " + job.jobId() + " names no artifact"));
        String entryClass = job.entryClass().orElseThrow(() ->
                new TaskRejectedException("JVM job " + job.jobId() + " names no entry class"));
        Path jar;
        try {
            jar = artifacts.get(artifact);
        } catch (ArtifactException e) {
            throw new TaskRejectedException(e.getMessage(), e);
        }
        ClassLoader loader = loaderFor(artifact, jar);
        synchronized (jobs) {
            loaded = jobs.get(job.jobId());
            if (loaded == null) {
                loaded = instantiate(entryClass, loader, artifact);
                jobs.put(job.jobId(), loaded);
                log.info("job {}: loaded {} from artifact {}", job.jobId(), entryClass, artifact.shortHash());
            }
            return loaded;
        }
    }

    private ClassLoader loaderFor(ArtifactRef artifact, Path jar) throws TaskRejectedException {
        synchronized (loaders) {
            URLClassLoader loader = loaders.get(artifact.sha256());
            if (loader == null) {
                loader = new URLClassLoader("drover-job-" + artifact.shortHash(), new URL[] {url(jar, artifact)}, sdkApi);
                loaders.put(artifact.sha256(), loader);
            }
            return loader;
        }
    }

    private static ShardedJob<?> instantiate(String entryClass, ClassLoader loader, ArtifactRef artifact)
            throws TaskRejectedException {
        String where = "entry class " + entryClass + " in artifact " + artifact.sha256();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // job code may look up resources through it
        try {
            Class<?> type = Class.forName(entryClass, true, loader);
            if (!ShardedJob.class.isAssignableFrom(type)) {
                throw new TaskRejectedException(where + " does not implement " + ShardedJob.class.getName());
            }
            return (ShardedJob<?>) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new TaskRejectedException(where + " not found", e);
        } catch (NoSuchMethodException e) {
            throw new TaskRejectedException(where + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new TaskRejectedException("constructor of " + where + " threw " + Failures.describe(e.getCause()), e);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new TaskRejectedException(where + " cannot be instantiated (abstract or not public): " + e, e);
        } catch (LinkageError e) {
            throw new TaskRejectedException(where + " cannot be loaded: " + Failures.describe(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL url(Path jar, ArtifactRef artifact) throws TaskRejectedException {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new TaskRejectedException("cannot load artifact " + artifact.sha256() + " from " + jar, e);
        }
    }

    @Override
    public void close() {
        synchronized (jobs) {
            jobs.clear();
        }
        synchronized (loaders) {
            for (URLClassLoader loader : loaders.values()) {
                try {
                    loader.close();
                } catch (IOException e) {
                    log.warn("could not close class loader {}: {}", loader.getName(), e.toString());
                }
            }
            loaders.clear();
        }
    }
}
