package io.drover.protocol;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;

/** The compact protocol of one socket, remembering the last method name it wrote (for refusals). */
final class MethodNames extends TProtocolDecorator {
    private String last = "?";

    MethodNames(TProtocol concrete) {
        super(concrete);
    }

    @Override
    public void writeMessageBegin(TMessage message) throws TException {
        last = message.name;
        super.writeMessageBegin(message);
    }

    /** The method, without a service name. */
    String lastMethod() {
        int i = last.indexOf(TMultiplexedProtocol.SEPARATOR);
        return i < 0 ? last : last.substring(i + TMultiplexedProtocol.SEPARATOR.length());
    }
}
