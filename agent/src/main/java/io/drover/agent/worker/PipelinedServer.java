package io.drover.agent.worker;

import io.drover.protocol.worker.DoneBatch;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskBatch;
import io.drover.protocol.worker.TaskDone;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Protocol 2 of the agent link, the worker's side. The task thread itself takes {@code TaskBatch}
 * frames into a bounded queue: before each task it reads every frame already here (without
 * waiting), and waits for one only when the queue is empty. It runs the queued tasks one at a time,
 * in order, answering a {@code DoneBatch} after each. So the next task is already here when one
 * ends, with no round trip to the agent, and no other thread: no hand-over and no wake-up per task.
 * A drop ({@code TaskBatch.dropAttempts}) that arrives while a task runs is applied before the next
 * one starts. Protocol 3: a frame's job templates ({@code TaskBatch.jobs}) are stored first, and each
 * task naming one is completed from it as it is queued ({@link JobTemplateTable}).
 *
 * <p>After a task that leaves the worker dirty (out of memory, a fatal error) nothing more runs: the
 * agent gives the queued tasks back and retires this worker. Reads and writes use separate
 * transports and protocols (a protocol object keeps state), on the same socket.
 */
final class PipelinedServer {
    /** More than any agent keeps in flight per worker; a fuller queue is a broken agent. */
    static final int MAX_QUEUED = 256;

    private final Socket socket;
    private final TaskRunner runner;
    private final PrintStream processErr;
    private final ArrayDeque<RunTask> queue = new ArrayDeque<>();
    private final JobTemplateTable templates = new JobTemplateTable();

    PipelinedServer(Socket socket, TaskRunner runner, PrintStream processErr) {
        this.socket = socket;
        this.runner = runner;
        this.processErr = processErr;
    }

    /** Serves until the agent closes the connection (returns) or the link breaks (throws). */
    void serve() throws TTransportException {
        BufferedInputStream bytesIn;
        BufferedOutputStream bytesOut;
        try {
            bytesIn = new BufferedInputStream(socket.getInputStream(), 8192);
            bytesOut = new BufferedOutputStream(socket.getOutputStream(), 8192);
        } catch (IOException e) {
            throw new TTransportException(e);
        }
        TFramedTransport inTransport = new TFramedTransport(new TIOStreamTransport(bytesIn), WorkerMain.MAX_FRAME_BYTES);
        TProtocol in = new TCompactProtocol(inTransport);
        TFramedTransport outTransport = new TFramedTransport(new TIOStreamTransport(bytesOut), WorkerMain.MAX_FRAME_BYTES);
        TProtocol out = new TCompactProtocol(outTransport);
        while (true) {
            // Frames that came while the last task ran first (drops among them), then wait only if nothing is queued.
            if (!readWaiting(in, inTransport, bytesIn)) {
                return;
            }
            RunTask task = queue.pollFirst();
            if (task == null) {
                if (!readFrame(in)) {
                    return;
                }
                continue;
            }
            TaskDone done = runner.run(task).setAttemptId(task.getAttemptId());
            try {
                new DoneBatch(List.of(done)).write(out);
                outTransport.flush();
            } catch (TException e) {
                throw new TTransportException(e);
            }
            if (done.isDirty()) {
                awaitEnd(in); // the last task this JVM runs: wait for the agent to retire it
                return;
            }
        }
    }

    /** Reads the frames already arrived, without waiting for more; false once the link ended. */
    private boolean readWaiting(TProtocol in, TFramedTransport transport, BufferedInputStream bytes) {
        try {
            while (transport.getBytesRemainingInBuffer() > 0 || bytes.available() > 0) {
                if (!readFrame(in)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            processErr.println("drover worker: the agent link broke: " + e);
            queue.clear();
            return false;
        }
    }

    /**
     * Reads one frame, waiting for it: queues its tasks and drops the attempts it names. False once the
     * link ended (the queued tasks never started: the agent gives them back).
     */
    private boolean readFrame(TProtocol in) {
        try {
            TaskBatch batch = new TaskBatch();
            batch.read(in);
            if (batch.isSetDropAttempts() && !batch.getDropAttempts().isEmpty()) {
                Set<Long> drop = new HashSet<>(batch.getDropAttempts());
                queue.removeIf(t -> drop.contains(t.getAttemptId()));
            }
            if (batch.isSetJobs()) {
                for (RunTask template : batch.getJobs()) {
                    templates.store(template);
                }
            }
            for (RunTask task : batch.isSetTasks() ? batch.getTasks() : List.<RunTask>of()) {
                if (queue.size() >= MAX_QUEUED) {
                    processErr.println("drover worker: the agent queued more than " + MAX_QUEUED + " tasks; stopping");
                    Runtime.getRuntime().halt(WorkerMain.EXIT_BAD_START);
                }
                queue.addLast(templates.resolve(task)); // now: a later frame may fill its template's slot again
            }
            return true;
        } catch (JobTemplateTable.MalformedFrameException e) {
            processErr.println("drover worker: a malformed frame from the agent: " + e.getMessage());
        } catch (TTransportException e) {
            if (e.getType() != TTransportException.END_OF_FILE) {
                processErr.println("drover worker: the agent link broke: " + e);
            }
        } catch (TException e) {
            processErr.println("drover worker: a malformed frame from the agent: " + e);
        }
        queue.clear(); // not started: the agent gives them back
        return false;
    }

    /** After a dirty answer: reads (and never runs) what comes until the agent closes the link. */
    private void awaitEnd(TProtocol in) {
        while (readFrame(in)) {
            queue.clear(); // queued tasks are given back by the agent, not run here
        }
    }
}
