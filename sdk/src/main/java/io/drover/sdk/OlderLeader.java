package io.drover.sdk;

import java.util.function.Supplier;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;

/**
 * Calls a leader of an older release does not have: it answers them with an unknown-method error, which is
 * not worth retrying; the caller says what to do instead (fall back, or explain).
 */
final class OlderLeader {
    /** One Thrift call on a client the connection handed out. */
    @FunctionalInterface
    interface ThriftCall<T> {
        T get() throws TException;
    }

    private OlderLeader() {
    }

    /** The call's answer, or null when the leader's release does not have the call. */
    static <T> T orNull(ThriftCall<T> call) throws TException {
        return orElse(call, () -> null);
    }

    /** The call's answer, or {@code instead}'s (which may throw) when the leader's release does not have the call. */
    static <T> T orElse(ThriftCall<T> call, Supplier<T> instead) throws TException {
        try {
            return call.get();
        } catch (TApplicationException e) {
            if (e.getType() == TApplicationException.UNKNOWN_METHOD) {
                return instead.get();
            }
            throw e;
        }
    }
}
