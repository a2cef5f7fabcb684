package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-owner quotas and weighted fair share. Durable ({@link Fact.QuotaSet}, {@link Fact.QuotaRemoved});
 * the running counts are the ledger's (soft). An owner's share is its running tasks over its weight:
 * the owner with the lowest share goes first, so with work waiting everywhere running tasks converge
 * to the weights (Slurm's fair share, without decay: what counts is what runs now).
 */
final class Quotas {
    private final Map<String, Quota> explicit = new TreeMap<>();
    /** The ledger's running attempts per owner (live, read only here). */
    private final Map<String, Integer> running;

    Quotas(Map<String, Integer> runningByOwner) {
        this.running = runningByOwner;
    }

    /** The quota that applies to {@code owner}: its own entry, else the default entry, else {@link Quota#BUILT_IN}. */
    Quota of(String owner) {
        Quota q = limits(owner);
        return q.owner().equals(owner) ? q : q.forOwner(owner);
    }

    /** The entry whose limits apply to {@code owner} (placement's hot path: no copy for the owner's name). */
    private Quota limits(String owner) {
        if (explicit.isEmpty()) {
            return Quota.BUILT_IN;
        }
        Quota q = explicit.get(owner);
        return q != null ? q : explicit.getOrDefault(Quota.DEFAULT_OWNER, Quota.BUILT_IN);
    }

    boolean hasEntry(String owner) {
        return explicit.containsKey(owner);
    }

    /** The owner's entry with the values given changed (null: kept; a new entry starts from {@link Quota#BUILT_IN}). */
    Quota merged(String owner, Integer maxRunning, Integer weight) {
        Quota base = explicit.getOrDefault(owner, Quota.BUILT_IN);
        return new Quota(owner, maxRunning == null ? base.maxRunning() : maxRunning, weight == null ? base.weight() : weight);
    }

    void set(Quota quota) {
        explicit.put(quota.owner(), quota);
    }

    /** The removed entry, or null when there was none. */
    Quota remove(String owner) {
        return explicit.remove(owner);
    }

    /** The entries, by owner. */
    Collection<Quota> entries() {
        return List.copyOf(explicit.values());
    }

    int running(String owner) {
        return Math.max(0, running.getOrDefault(owner, 0));
    }

    /** Whether the owner may not start another task now. */
    boolean atCap(String owner) {
        Quota q = limits(owner);
        return q.capped() && running(owner) >= q.maxRunning();
    }

    /** Negative when owner {@code a} is further below its share than {@code b} (running/weight lower). */
    int compareShare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        return Long.compare((long) running(a) * limits(b).weight(), (long) running(b) * limits(a).weight());
    }

    /** Why {@code job}'s ready tasks wait, given the jobs with ready work; null when it has none ready. */
    QueueWait waitOf(Job job, Collection<Job> runnable) {
        if (job.state != JobState.RUNNING || job.readyCount() == 0) {
            return null;
        }
        String owner = job.def.owner();
        Quota q = of(owner);
        if (atCap(owner)) {
            return new QueueWait(QueueWait.Reason.QUOTA, owner, running(owner), q.maxRunning(), q.weight(), 0);
        }
        Set<String> ahead = new HashSet<>();
        for (Job other : runnable) {
            String o = other.def.owner();
            if (!atCap(o) && compareShare(o, owner) < 0) {
                ahead.add(o);
            }
        }
        QueueWait.Reason reason = ahead.isEmpty() ? QueueWait.Reason.NO_SLOT : QueueWait.Reason.SHARE;
        return new QueueWait(reason, owner, running(owner), q.maxRunning(), q.weight(), ahead.size());
    }

    /** Every entry and every owner with running or ready work, with its numbers. */
    List<Response.QuotaUsage> usage(Collection<Job> runnable) {
        Map<String, int[]> ready = new TreeMap<>();
        for (Job job : runnable) {
            ready.computeIfAbsent(job.def.owner(), k -> new int[1])[0] += job.readyCount();
        }
        Set<String> owners = new java.util.TreeSet<>(explicit.keySet());
        running.forEach((o, n) -> {
            if (n > 0) {
                owners.add(o);
            }
        });
        owners.addAll(ready.keySet());
        List<Response.QuotaUsage> out = new ArrayList<>(owners.size());
        for (String o : owners) {
            out.add(usage(o, ready.containsKey(o) ? ready.get(o)[0] : 0));
        }
        return out;
    }

    Response.QuotaUsage usage(String owner, int readyTasks) {
        return new Response.QuotaUsage(of(owner), hasEntry(owner), running(owner), readyTasks);
    }

    /** Facts that rebuild the entries (for compaction). */
    List<Fact> durableSnapshot() {
        List<Fact> out = new ArrayList<>(explicit.size());
        explicit.values().forEach(q -> out.add(new Fact.QuotaSet(q)));
        return out;
    }
}
