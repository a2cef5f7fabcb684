package io.drover.testkit;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * What a SIGSTOPped coordinator looks like from outside: a loopback port where the kernel completes
 * every TCP handshake (into the listen backlog) but nothing ever reads or answers. Cheaper and more
 * deterministic than stopping a process, and it shows that connecting proves nothing.
 */
public final class FrozenEndpoint implements AutoCloseable {
    private final ServerSocket socket = LoopbackServer.bindLoopback();

    /** "127.0.0.1:port". */
    public String endpoint() {
        return LoopbackServer.endpoint(socket);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a listening socket that was never used: nothing to do
        }
    }
}
