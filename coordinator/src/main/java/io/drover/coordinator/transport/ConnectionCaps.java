package io.drover.coordinator.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Counts open connections per remote address and in total, admitting a new one only under both caps. */
final class ConnectionCaps {
    private final int perAddress;
    private final int total;
    private final Map<InetAddress, Integer> open = new HashMap<>();
    private int all;

    ConnectionCaps(int perAddress, int total) {
        this.perAddress = perAddress;
        this.total = total;
    }

    /** Null when admitted (call {@link #release} when it closes), else why not. */
    synchronized String tryAdmit(InetAddress remote) {
        if (all >= total) {
            return "connection refused: " + all + " connections open, the most this coordinator takes";
        }
        int mine = open.getOrDefault(remote, 0);
        if (mine >= perAddress) {
            return "connection refused: " + mine + " connections open from this address, the most one address may hold";
        }
        open.put(remote, mine + 1);
        all++;
        return null;
    }

    synchronized void release(InetAddress remote) {
        Integer mine = open.get(remote);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            open.remove(remote);
        } else {
            open.put(remote, mine - 1);
        }
        all--;
    }

    synchronized int open() {
        return all;
    }
}
