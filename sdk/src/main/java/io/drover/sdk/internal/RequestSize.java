package io.drover.sdk.internal;

import io.drover.protocol.WireLimits;
import io.drover.sdk.InvalidJobException;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;

/**
 * Checks a request's size before it is sent. A frame beyond the coordinator's limit makes it
 * close the connection, which looks like a network failure and would be retried until the
 * deadline; measured here, it fails at once as the invalid request it is.
 */
public final class RequestSize {
    /** Room for the message header, the method name and the argument wrapper around the struct. */
    private static final int ENVELOPE_BYTES = 4 * 1024;

    private RequestSize() {
    }

    /** @throws InvalidJobException when {@code request} would not fit in one frame */
    public static void check(String what, TBase<?, ?> request) {
        int bytes;
        try {
            bytes = new TSerializer(new TCompactProtocol.Factory()).serialize(request).length;
        } catch (TException e) {
            throw new InvalidJobException(what + " cannot be encoded: " + e.getMessage());
        }
        if (bytes + ENVELOPE_BYTES > WireLimits.MAX_FRAME_BYTES) {
            throw new InvalidJobException(what + " takes " + bytes + " bytes, more than the " + WireLimits.MAX_FRAME_BYTES
                    + " bytes a request may have; keep large inputs in the job's own storage");
        }
    }
}
