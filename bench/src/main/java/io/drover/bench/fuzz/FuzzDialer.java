package io.drover.bench.fuzz;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * How the fuzzer reaches the port: a bare TCP connection (plaintext frames, and garbage sent to a
 * TLS port before any handshake), or a completed TLS session ({@link TlsSessionDialer}).
 */
interface FuzzDialer {
    /** A connection ready for a malformed frame. */
    Socket open() throws IOException;

    /** Whether the fuzzer half-closes the socket after its frame, so the server sees its end without waiting. */
    boolean halfCloses();

    /** A TCP connection to {@code host:port}, nothing sent. */
    static FuzzDialer plain(String host, int port) {
        return new FuzzDialer() {
            @Override
            public Socket open() throws IOException {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(host, port), 2000);
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
                return s;
            }

            @Override
            public boolean halfCloses() {
                return true;
            }

            @Override
            public String toString() {
                return "tcp " + host + ":" + port;
            }
        };
    }
}
