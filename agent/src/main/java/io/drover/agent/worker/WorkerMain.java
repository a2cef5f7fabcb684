package io.drover.agent.worker;

import io.drover.protocol.worker.WorkerHello;
import io.drover.protocol.worker.WorkerService;
import io.drover.protocol.worker.workerConstants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Entry point of a worker JVM, started by the agent (see {@code io.drover.agent.workers}). It
 * connects back to the agent on loopback ({@value #PORT_ENV}), proves who it is with the one-time
 * token in {@value #TOKEN_ENV}, then runs the tasks the agent sends, one at a time, until the
 * agent closes the connection or its stdin: queued on its side as they come ({@link PipelinedServer},
 * protocol 2), or one synchronous call each (protocol 1, older releases).
 *
 * <p>Why a socket and not stdin/stdout: the JVM and native code write to the process's stdout and
 * stderr on their own (warnings, crash summaries), which would corrupt a framed protocol there.
 * Stdin stays useful as the agent's lifeline (see {@link AgentWatch}).
 */
public final class WorkerMain {
    public static final String PORT_ENV = "DROVER_WORKER_PORT";
    public static final String TOKEN_ENV = "DROVER_WORKER_TOKEN";
    /** Largest frame on the agent link: a reduce task carries every shard result. */
    public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** Test hook: {@code -Ddrover.worker.protocol=1} makes a worker speak the single-call protocol of older releases. */
    static final String PROTOCOL_PROPERTY = "drover.worker.protocol";
    /** Exit status when the worker was started wrongly (missing environment, no agent to connect to). */
    public static final int EXIT_BAD_START = 64;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        InputStream agentPipe = System.in;
        System.setIn(new ByteArrayInputStream(new byte[0])); // job code gets no input
        AttemptOutput output = AttemptOutput.install();
        PrintStream processErr = output.processErr();
        AgentWatch.start(agentPipe, processErr);
        String port = System.getenv(PORT_ENV);
        String token = System.getenv(TOKEN_ENV);
        if (port == null || token == null) {
            processErr.println("drover worker: " + PORT_ENV + " and " + TOKEN_ENV + " must be set; only a Drover agent starts workers");
            Runtime.getRuntime().halt(EXIT_BAD_START);
        }
        FatalErrors fatalErrors = new FatalErrors(Thread.getDefaultUncaughtExceptionHandler());
        Thread.setDefaultUncaughtExceptionHandler(fatalErrors);
        TaskRunner runner = new TaskRunner(output, fatalErrors);
        Runtime.getRuntime().addShutdownHook(new Thread(new ExitWitness(runner::current, processErr), "drover-worker-exit-witness"));
        // The agent allows the whole hello 2 s from the connect; on a loaded host, loading and running the Thrift
        // code that writes it could spend that. So the frame is made before connecting and sent as bytes.
        int protocol = Integer.getInteger(PROTOCOL_PROPERTY, workerConstants.WORKER_PROTOCOL_VERSION);
        byte[] hello = helloFrame(token, protocol, processErr);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port))) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(hello);
            socket.getOutputStream().flush();
            if (protocol >= 2) {
                new PipelinedServer(socket, runner, processErr).serve();
            } else {
                serve(socket, runner);
            }
        } catch (IOException | TTransportException | NumberFormatException e) {
            processErr.println("drover worker: cannot reach the agent on port " + port + ": " + e);
            Runtime.getRuntime().halt(EXIT_BAD_START);
        }
        AgentWatch.exit(0); // the agent closed the connection: retired
    }

    /** The hello as the framed compact transport sends it: a 4-byte big-endian length, then the struct. */
    private static byte[] helloFrame(String token, int protocol, PrintStream processErr) {
        try {
            byte[] body = new TSerializer(new TCompactProtocol.Factory())
                    .serialize(new WorkerHello(token, ProcessHandle.current().pid(), protocol));
            return ByteBuffer.allocate(Integer.BYTES + body.length).putInt(body.length).put(body).array();
        } catch (TException e) {
            processErr.println("drover worker: cannot encode its hello: " + e);
            Runtime.getRuntime().halt(EXIT_BAD_START);
            throw new IllegalStateException(e); // not reached
        }
    }

    private static void serve(Socket socket, TaskRunner runner) throws TTransportException {
        TFramedTransport transport = new TFramedTransport(new TSocket(socket), MAX_FRAME_BYTES);
        TProtocol protocol = new TCompactProtocol(transport);
        try {
            WorkerService.Processor<TaskRunner> processor = new WorkerService.Processor<>(runner);
            while (true) {
                processor.process(protocol, protocol);
            }
        } catch (TTransportException e) {
            if (e.getType() != TTransportException.END_OF_FILE) {
                throw e;
            }
        } catch (TException e) {
            throw new TTransportException(e); // a protocol error: the link is unusable
        }
    }
}
