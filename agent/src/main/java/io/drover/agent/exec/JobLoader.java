package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.artifact.ArtifactException;
import io.drover.agent.jobcode.JobClasses;
import io.drover.agent.jobcode.JobLoadException;
import io.drover.agent.jobcode.SdkApiClassLoader;
import io.drover.agent.task.ArtifactRef;
import io.drover.agent.task.JobDescription;
import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an in-agent JVM job's entry class from its artifact, one isolated class loader per artifact,
 * and keeps one instance per job (the SDK allows reusing it across shards and threads) for the most
 * recently used jobs. Class loaders stay open for the agent's life: closing one while a task of
 * its artifact still runs would break that task's class loading; so does their artifact's lease,
 * which keeps the cache from evicting the jar under them. Worker JVMs do not have that problem: a
 * worker's exit unloads everything.
 */
final class JobLoader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobLoader.class);

    private final ArtifactCache artifacts;
    private final ClassLoader sdkApi;
    private final Map<String, URLClassLoader> loaders = new HashMap<>(); // by artifact hash; guarded by itself
    private final Map<String, ArtifactCache.Lease> leases = new HashMap<>(); // by artifact hash; guarded by loaders
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
        try {
            ClassLoader loader = loaderFor(artifact);
            synchronized (jobs) {
                loaded = jobs.get(job.jobId());
                if (loaded == null) {
                    loaded = JobClasses.instantiate(entryClass, loader, artifact.sha256());
                    jobs.put(job.jobId(), loaded);
                    log.info("job {}: loaded {} from artifact {} into the agent", job.jobId(), entryClass, artifact.shortHash());
                }
                return loaded;
            }
        } catch (JobLoadException e) {
            throw new TaskRejectedException(e.getMessage(), e);
        }
    }

    private ClassLoader loaderFor(ArtifactRef artifact) throws JobLoadException, TaskRejectedException, InterruptedException {
        synchronized (loaders) {
            URLClassLoader loader = loaders.get(artifact.sha256());
            if (loader == null) {
                ArtifactCache.Lease jar;
                try {
                    jar = artifacts.acquire(artifact); // verified now, the load this lease is for
                } catch (ArtifactException e) {
                    throw new TaskRejectedException(e.getMessage(), e);
                }
                try {
                    loader = JobClasses.loaderFor(jar.path(), artifact.sha256(), sdkApi);
                } catch (JobLoadException | RuntimeException e) {
                    jar.close();
                    throw e;
                }
                loaders.put(artifact.sha256(), loader);
                leases.put(artifact.sha256(), jar);
            }
            return loader;
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
            leases.values().forEach(ArtifactCache.Lease::close);
            leases.clear();
        }
    }
}
