package io.drover.bench.million;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;

/**
 * Measures the leader through the run on a thread of its own: its heap after a full GC
 * ({@link HeapProbe}) and Drover's data in ZooKeeper ({@link ZkFootprint}), every period.
 */
final class Sampler implements AutoCloseable {
    private final ProcessCluster cluster;
    private final CuratorFramework zk;
    private final String root;
    private final long periodMs;
    private final HeapProbe heap = new HeapProbe();
    private final Map<String, Long> maxHeapByLeader = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean stop;
    private long maxZkBytes;
    private int samples;

    Sampler(ProcessCluster cluster, CuratorFramework zk, String root, long periodMs) {
        this.cluster = cluster;
        this.zk = zk;
        this.root = root;
        this.periodMs = periodMs;
        this.thread = new Thread(this::run, "bench-million-sampler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            try {
                Thread.sleep(periodMs); // a benchmark's sampling period, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
            try {
                sampleNow();
            } catch (RuntimeException e) {
                System.err.println("bench-million: a sample failed (a failover in progress?): " + e.getMessage());
            }
        }
    }

    synchronized void sampleNow() {
        Optional<DroverProcess> leader = cluster.leader();
        if (leader.isPresent()) {
            long bytes = heap.liveHeapBytes(leader.get().pid());
            if (bytes >= 0) {
                maxHeapByLeader.merge(leader.get().name(), bytes, Math::max);
                samples++;
            }
        }
        maxZkBytes = Math.max(maxZkBytes, ZkFootprint.under(zk, root).dataBytes());
    }

    synchronized long maxHeapBytes() {
        return maxHeapByLeader.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    synchronized int samples() {
        return samples;
    }

    synchronized long maxZkBytes() {
        return maxZkBytes;
    }

    synchronized String perLeader() {
        return maxHeapByLeader.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f MB", e.getKey(), e.getValue() / 1e6)).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
