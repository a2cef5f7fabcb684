package io.drover.coordinator.sweep;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.FencedException;
import io.drover.coordinator.store.StoreException;
import io.drover.coordinator.store.StoreSizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per interval, for one leadership term: removes uploads untouched for {@code expiry} (left
 * unfinished: their chunks would otherwise stay in ZooKeeper, and in its heap, for ever), removes
 * complete artifacts untouched as long that no job or schedule in the core refers to, and
 * measures the store for {@code drover agents}. Result blobs are swept by the same rule
 * (see {@link #sweepResultBlobs}).
 *
 * <p>"Untouched" is the metadata znode's mtime: every chunk and every begin (also of a complete
 * artifact, which is how a client confirms a jar before submitting) rewrites it, so no format
 * change was needed. Mtimes are the ZooKeeper server's wall clock, hence compared with this
 * process's wall clock, not the core's injected clock. Deletes are fenced by the term's epoch and
 * lose to any change made after the listing.
 */
public final class ArtifactSweeper implements StoreSweeper {
    private static final Logger log = LoggerFactory.getLogger(ArtifactSweeper.class);
    private static final long CORE_ANSWER_SECONDS = 30;

    private final CoordinatorStore store;
    private final CoreLoop loop;
    private final Epoch epoch;
    private final long expiryMs;
    private final ScheduledExecutorService timer;
    private final AtomicReference<StoreSizes> latest = new AtomicReference<>();

    private ArtifactSweeper(String name, CoordinatorStore store, CoreLoop loop, Epoch epoch, Duration expiry) {
        this.store = store;
        this.loop = loop;
        this.epoch = epoch;
        this.expiryMs = expiry.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drover-sweep-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** A factory whose sweepers remove what was untouched for {@code expiry}, every {@code interval}. */
    public static StoreSweeper.Factory factory(CoordinatorStore store, Duration expiry, Duration interval) {
        return (name, loop, epoch) -> {
            ArtifactSweeper s = new ArtifactSweeper(name, store, loop, epoch, expiry);
            s.timer.scheduleWithFixedDelay(s::sweepOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            return s;
        };
    }

    private void sweepOnce() {
        try {
            latest.set(sweep());
        } catch (FencedException e) {
            log.info("artifact sweep of epoch {} stops: a newer leader exists", epoch.value());
            timer.shutdown();
        } catch (StoreException e) {
            log.warn("artifact sweep failed, retried next interval: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("artifact sweep failed, retried next interval", e);
        }
    }

    /** One pass: removes what expired, then measures what is left. */
    StoreSizes sweep() {
        long now = System.currentTimeMillis();
        List<ArtifactStore.Stored> kept = new ArrayList<>();
        Set<String> referenced = null; // asked only when some complete artifact is past its grace
        for (ArtifactStore.Stored a : store.artifacts().list()) {
            boolean expired = now - a.modifiedAtMs() > expiryMs;
            boolean remove = false;
            if (expired && !a.status().complete()) {
                remove = true;
            } else if (expired) {
                if (referenced == null) {
                    referenced = referencedArtifacts();
                }
                remove = !referenced.contains(a.status().sha256());
            }
            if (remove && store.artifacts().delete(epoch, a)) {
                log.info("removed {} artifact {} ({} of {} bytes), untouched for {} s", a.status().complete()
                                ? "unreferenced" : "unfinished", a.status().sha256(), a.status().bytesReceived(),
                        a.status().size(), (now - a.modifiedAtMs()) / 1000);
            } else {
                kept.add(a);
            }
        }
        sweepResultBlobs(now);
        return measure(kept, now);
    }

    /**
     * Result blobs (issue 17) by the same rule: unfinished uploads untouched for the expiry go, and so do
     * complete blobs untouched as long that no job the core still knows refers to (their job was
     * forgotten, or the attempt that stored one lost to another). An upload in progress touches its blob
     * with every chunk, and its agent reports it right after the last one.
     */
    private void sweepResultBlobs(long now) {
        if (store.resultBlobs() == store.artifacts()) {
            return; // a store without an area of its own: the pass above saw them
        }
        Set<String> referenced = null;
        for (ArtifactStore.Stored b : store.resultBlobs().list()) {
            if (now - b.modifiedAtMs() <= expiryMs) {
                continue;
            }
            if (b.status().complete()) {
                if (referenced == null) {
                    referenced = references(Event.QueryKind.RESULT_BLOB_REFS);
                }
                if (referenced.contains(b.status().sha256())) {
                    continue;
                }
            }
            if (store.resultBlobs().delete(epoch, b)) {
                log.info("removed {} result blob {} ({} of {} bytes), untouched for {} s", b.status().complete()
                                ? "unreferenced" : "unfinished", b.status().sha256(), b.status().bytesReceived(),
                        b.status().size(), (now - b.modifiedAtMs()) / 1000);
            }
        }
    }

    private Set<String> referencedArtifacts() {
        return references(Event.QueryKind.ARTIFACT_REFS);
    }

    private Set<String> references(Event.QueryKind kind) {
        try {
            Response r = loop.offer(id -> new Event.Query(id, loop.nowMs(), kind, null,
                    false, false, 0)).get(CORE_ANSWER_SECONDS, TimeUnit.SECONDS);
            if (r instanceof Response.ArtifactRefs refs) {
                return refs.sha256s();
            }
            throw new IllegalStateException("the core answered " + r + " to " + kind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("artifact sweep interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StoreException("the core did not say which artifacts are referenced: " + e, e);
        }
    }

    private StoreSizes measure(List<ArtifactStore.Stored> artifacts, long now) {
        int complete = 0;
        int uploading = 0;
        long completeBytes = 0;
        long uploadBytes = 0;
        for (ArtifactStore.Stored a : artifacts) {
            if (a.status().complete()) {
                complete++;
                completeBytes += a.status().size();
            } else {
                uploading++;
                uploadBytes += a.status().bytesReceived();
            }
        }
        StoreSizes.FactLog log = store.factLogSize().orElse(new StoreSizes.FactLog(-1, -1));
        return new StoreSizes(log.znodes(), log.bytes(), complete, completeBytes, uploading, uploadBytes, now);
    }

    @Override
    public StoreSizes sizes() {
        StoreSizes s = latest.get();
        return s != null ? s : measure(store.artifacts().list(), System.currentTimeMillis());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("artifact sweep of epoch {} did not stop within 5 s", epoch.value());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
