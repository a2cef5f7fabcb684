package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Quota;
import io.drover.coordinator.core.QueueWait;
import io.drover.coordinator.core.Response;
import io.drover.protocol.thrift.QuotaView;
import io.drover.protocol.thrift.QuotaWait;

/** Quotas and why ready tasks wait, on the wire and worded for people. */
final class QuotaWording {
    private QuotaWording() {
    }

    static QuotaView view(Response.QuotaUsage u) {
        Quota q = u.quota();
        return new QuotaView().setOwner(q.owner()).setMaxRunning(q.maxRunning()).setWeight(q.weight())
                .setExplicit(u.explicit()).setRunning(u.running()).setReady(u.ready());
    }

    static QuotaWait wait(QueueWait w) {
        return new QuotaWait().setReason(w.reason().name()).setOwner(w.owner()).setRunning(w.running())
                .setMaxRunning(w.maxRunning()).setWeight(w.weight()).setOwnersAhead(w.ownersAhead()).setSummary(summary(w));
    }

    /** E.g. "owner alice is at its quota: 4 running of at most 4; tasks start as its running ones end". */
    static String summary(QueueWait w) {
        String numbers = w.running() + " running, weight " + w.weight()
                + (w.maxRunning() == Quota.NO_CAP ? ", no cap" : ", at most " + w.maxRunning());
        return switch (w.reason()) {
            case QUOTA -> "owner " + w.owner() + " is at its quota: " + w.running() + " running of at most "
                    + w.maxRunning() + "; tasks start as its running ones end";
            case SHARE -> w.ownersAhead() + (w.ownersAhead() == 1 ? " other owner is further below its fair share and gets"
                    : " other owners are further below their fair share and get") + " free slots first (owner " + w.owner()
                    + ": " + numbers + ")";
            case NO_SLOT -> "waiting for a free slot that fits (owner " + w.owner() + ": " + numbers + ")";
        };
    }
}
