package io.drover.sdk;

import io.drover.protocol.thrift.QuotaSpec;
import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.Mappers;
import java.util.List;
import org.apache.thrift.TException;

/** {@link DroverClient}'s per-owner quota calls; a leader of a release without quotas is named as such. */
final class QuotaCalls {
    private final ClientConnection connection;

    QuotaCalls(ClientConnection connection) {
        this.connection = connection;
    }

    /** A null value is left unset on the wire: the coordinator keeps the entry's. */
    Quota set(String owner, Integer maxRunning, Integer weight) {
        QuotaSpec spec = new QuotaSpec().setOwner(requireOwner(owner));
        if (maxRunning != null) {
            spec.setMaxRunning(maxRunning);
        }
        if (weight != null) {
            spec.setWeight(weight);
        }
        return Mappers.toQuota(connection.call(c -> quotaCall(() -> c.setQuota(spec))));
    }

    List<Quota> list() {
        return connection.call(c -> quotaCall(c::listQuotas)).stream().map(Mappers::toQuota).toList();
    }

    Quota remove(String owner) {
        String checked = requireOwner(owner); // refused before any call: a blank owner never waits for a leader
        return Mappers.toQuota(connection.call(c -> quotaCall(() -> c.removeQuota(checked))));
    }

    private static String requireOwner(String owner) {
        return Args.nonBlank(owner, "owner");
    }

    /** A quota call; a leader of a release without quotas says so instead of an unknown-method error. */
    private static <T> T quotaCall(OlderLeader.ThriftCall<T> call) throws TException {
        return OlderLeader.orElse(call, () -> {
            throw new DroverException("the leading coordinator's release has no quotas; upgrade it first");
        });
    }
}
