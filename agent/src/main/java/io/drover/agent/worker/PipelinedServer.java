package io.drover.agent.worker;

import io.drover.protocol.worker.DoneBatch;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskBatch;
import io.drover.protocol.worker.TaskDone;
import java.io.PrintStream;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Protocol 2 of the agent link, the worker's side: a reader thread takes {@code TaskBatch} frames
 * into a bounded queue as they come, and the calling (task) thread runs the queued tasks one at a
 * time, in order, answering a {@code DoneBatch} after each. So the next task is already here when
 * one ends: no round trip to the agent and no wake-up between tasks.
 *
 * <p>After a task that leaves the worker dirty (out of memory, a fatal error) nothing more runs: the
 * agent gives the queued tasks back and retires this worker. Reads and writes use separate
 * transports and protocols (a protocol object keeps state), on the same socket.
 */
final class PipelinedServer {
    /** More than any agent keeps in flight per worker; a fuller queue is a broken agent. */
    static final int MAX_QUEUED = 256;
    private static final RunTask END = new RunTask();

    private final Socket socket;
    private final TaskRunner runner;
    private final PrintStream processErr;
    private final LinkedBlockingQueue<RunTask> queue = new LinkedBlockingQueue<>(MAX_QUEUED + 1);

    PipelinedServer(Socket socket, TaskRunner runner, PrintStream processErr) {
        this.socket = socket;
        this.runner = runner;
        this.processErr = processErr;
    }

    /** Serves until the agent closes the connection (returns) or the link breaks (throws). */
    void serve() throws TTransportException, InterruptedException {
        TSocket raw = new TSocket(socket);
        TProtocol in = new TCompactProtocol(new TFramedTransport(raw, WorkerMain.MAX_FRAME_BYTES));
        TFramedTransport outTransport = new TFramedTransport(raw, WorkerMain.MAX_FRAME_BYTES);
        TProtocol out = new TCompactProtocol(outTransport);
        Thread reader = new Thread(() -> read(in), "drover-worker-link-reader");
        reader.setDaemon(true);
        reader.start();
        while (true) {
            RunTask task = queue.take();
            if (task == END) {
                return;
            }
            TaskDone done = runner.run(task).setAttemptId(task.getAttemptId());
            try {
                new DoneBatch(List.of(done)).write(out);
                outTransport.flush();
            } catch (TException e) {
                throw new TTransportException(e);
            }
            if (done.isDirty()) {
                awaitEnd(); // the last task this JVM runs: wait for the agent to retire it
                return;
            }
        }
    }

    private void awaitEnd() throws InterruptedException {
        while (queue.take() != END) {
            // queued tasks are given back by the agent, not run here
        }
    }

    private void read(TProtocol in) {
        try {
            while (true) {
                TaskBatch batch = new TaskBatch();
                batch.read(in);
                if (batch.isSetDropAttempts() && !batch.getDropAttempts().isEmpty()) {
                    Set<Long> drop = new HashSet<>(batch.getDropAttempts());
                    queue.removeIf(t -> t != END && drop.contains(t.getAttemptId()));
                }
                for (RunTask task : batch.isSetTasks() ? batch.getTasks() : List.<RunTask>of()) {
                    if (!queue.offer(task) || queue.size() > MAX_QUEUED) {
                        processErr.println("drover worker: the agent queued more than " + MAX_QUEUED + " tasks; stopping");
                        Runtime.getRuntime().halt(WorkerMain.EXIT_BAD_START);
                    }
                }
            }
        } catch (TTransportException e) {
            if (e.getType() != TTransportException.END_OF_FILE) {
                processErr.println("drover worker: the agent link broke: " + e);
            }
        } catch (TException e) {
            processErr.println("drover worker: a malformed frame from the agent: " + e);
        } finally {
            queue.clear(); // not started: the agent gives them back
            queue.add(END);
        }
    }
}
