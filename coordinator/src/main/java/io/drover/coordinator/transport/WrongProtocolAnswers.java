package io.drover.coordinator.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * What the coordinator says, before closing, to a peer speaking the other protocol, so the peer
 * reports a clear error rather than a closed socket: a plaintext Thrift call on a TLS port gets a
 * {@link TApplicationException} of type {@code UNSUPPORTED_CLIENT_TYPE}; a TLS client on a plaintext
 * port gets a line that is no TLS record, which its TLS stack reports as "unrecognized SSL message".
 */
final class WrongProtocolAnswers {
    static final String TLS_REQUIRED = "this coordinator requires TLS: give --ca-file (or DROVER_CA_FILE), "
            + "or run everything with --insecure";
    private static final byte[] PLAINTEXT_ONLY = "DROVER: this coordinator speaks plaintext (--insecure)\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_NAME_BYTES = 256;

    private WrongProtocolAnswers() {
    }

    /**
     * The framed reply to the plaintext call at the start of {@code request} (a frame header and
     * what arrived of the frame), naming the call's method and sequence id; empty when the bytes are
     * no Thrift compact call.
     */
    static Optional<ByteBuffer> tlsRequired(ByteBuffer request) {
        ByteBuffer in = request.duplicate();
        if (in.remaining() < 6) {
            return Optional.empty();
        }
        in.position(in.position() + 4);
        byte[] body = new byte[Math.min(in.remaining(), MAX_NAME_BYTES + 16)];
        in.get(body);
        try {
            TCompactProtocol p = new TCompactProtocol(new TMemoryInputTransport(
                    new TConfiguration(body.length, body.length, 4), body), MAX_NAME_BYTES, 1);
            TMessage call = p.readMessageBegin();
            TMemoryBuffer out = new TMemoryBuffer(512);
            TCompactProtocol w = new TCompactProtocol(out);
            w.writeMessageBegin(new TMessage(call.name, TMessageType.EXCEPTION, call.seqid));
            new TApplicationException(TApplicationException.UNSUPPORTED_CLIENT_TYPE, TLS_REQUIRED).write(w);
            w.writeMessageEnd();
            ByteBuffer frame = ByteBuffer.allocate(4 + out.length());
            frame.putInt(out.length()).put(out.getArray(), 0, out.length()).flip();
            return Optional.of(frame);
        } catch (TException e) {
            return Optional.empty(); // not a Thrift call: the peer gets the close alone
        }
    }

    /** The line a TLS client on a plaintext port receives. */
    static ByteBuffer plaintextOnly() {
        return ByteBuffer.wrap(PLAINTEXT_ONLY);
    }
}
