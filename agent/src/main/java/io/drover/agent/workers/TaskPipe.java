package io.drover.agent.workers;

import io.drover.agent.worker.WorkerMain;
import io.drover.protocol.worker.DoneBatch;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskBatch;
import io.drover.protocol.worker.TaskDone;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol 2 of a worker link, the agent's side: task threads queue their attempts without waiting
 * for the ones before theirs; a writer thread sends whatever is waiting as one {@code TaskBatch}
 * frame (task threads never write: an interrupt during a write would close the shared channel), and
 * a reader thread completes each attempt from the worker's {@code DoneBatch} frames.
 *
 * <p>The worker runs tasks in the order sent, so the agent knows which may have started: the first
 * in flight that was not dropped (a task cancelled while queued is {@linkplain #drop dropped}; it may
 * still run if the drop comes late). When the link breaks, that one {@link Kind#DIED} with the
 * worker; the ones behind it never started and come back {@link Kind#NOT_STARTED}, to be run
 * elsewhere. After a dirty answer the worker runs nothing more, so the ones behind it come back too.
 */
final class TaskPipe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskPipe.class);
    /** Frames waiting to be written; far more than the pool keeps in flight per worker. */
    static final int OUTBOX_FRAMES = 1024;
    private static final TaskBatch STOP = new TaskBatch();

    enum Kind { DONE, DIED, NOT_STARTED }

    /** How an attempt sent on the pipe ended: its answer, or why there is none. */
    record Result(Kind kind, TaskDone done) {
    }

    /** One attempt in flight. Its state is guarded by the pipe's lock. */
    static final class Pending {
        final long attemptId;
        private final Runnable started;
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private boolean running;
        private boolean dropped;

        private Pending(long attemptId, Runnable started) {
            this.attemptId = attemptId;
            this.started = started;
        }

        /** Waits for the attempt's end; an interrupt leaves it in flight (the caller drops it or kills the worker). */
        Result await() throws InterruptedException {
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a pipe result never fails", e);
            }
        }
    }

    private final Socket socket;
    private final TFramedTransport outTransport;
    private final TProtocol out;
    private final TProtocol in;
    private final Runnable onBreak;
    private final ReentrantLock lock = new ReentrantLock();
    /** Frames to send; drained by the writer thread, so an interrupt of a task thread never lands in a socket write. */
    private final LinkedBlockingQueue<TaskBatch> outbox = new LinkedBlockingQueue<>(OUTBOX_FRAMES);
    private final Deque<Pending> inFlight = new ArrayDeque<>(); // in send order; guarded by lock
    private boolean broken; // guarded by lock
    private boolean drained; // a dirty answer came: nothing more runs here; guarded by lock
    private final JobTemplates templates; // null: a protocol 2 worker gets whole tasks; guarded by lock
    private final Thread reader;
    private final Thread writer;

    /**
     * {@code onBreak} runs once, on the reader thread, when the link breaks or is closed. With
     * {@code protocolVersion} 3 or more a job's fields go once per link ({@link JobTemplates}).
     */
    TaskPipe(Socket socket, String name, int protocolVersion, Runnable onBreak) throws TTransportException {
        this.socket = socket;
        this.templates = protocolVersion >= 3 ? new JobTemplates() : null;
        TSocket raw = new TSocket(socket);
        this.outTransport = new TFramedTransport(raw, WorkerMain.MAX_FRAME_BYTES);
        this.out = new TCompactProtocol(outTransport);
        this.in = new TCompactProtocol(new TFramedTransport(raw, WorkerMain.MAX_FRAME_BYTES));
        this.onBreak = onBreak;
        this.reader = new Thread(this::read, name + "-reader");
        reader.setDaemon(true);
        this.writer = new Thread(this::write, name + "-writer");
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    /**
     * Sends the attempt; {@code started} runs when it is first in line in the worker (now, or when
     * the one before it ends), on the calling or the reader thread.
     */
    Pending submit(RunTask task, Runnable started) {
        Pending p = new Pending(task.getAttemptId(), started);
        List<Pending> nowRunning;
        lock.lock();
        try {
            if (broken || drained) {
                p.result.complete(new Result(Kind.NOT_STARTED, null));
                return p;
            }
            inFlight.addLast(p);
            nowRunning = promote();
            // Queued under the lock: frames must reach the worker in the order of inFlight, which is the order
            // the worker runs and answers them (two task threads sending after unlocking could swap them).
            send(frame(task));
        } finally {
            lock.unlock();
        }
        nowRunning.forEach(r -> r.started.run());
        return p;
    }

    /** The task's frame: protocol 3 sends its job's fields only when this link has not had them yet. */
    private TaskBatch frame(RunTask task) {
        if (templates == null) {
            return new TaskBatch(List.of(task));
        }
        List<RunTask> newTemplates = new ArrayList<>(0);
        TaskBatch batch = new TaskBatch(List.of(templates.compact(task, newTemplates)));
        return newTemplates.isEmpty() ? batch : batch.setJobs(newTemplates);
    }

    /**
     * Asks the worker to drop a queued attempt (its task thread was stopped). False when it may have
     * started: then only killing the worker stops it.
     */
    boolean drop(Pending p) {
        List<Pending> nowRunning;
        lock.lock();
        try {
            if (p.result.isDone()) {
                return true;
            }
            if (p.running) {
                return false;
            }
            p.dropped = true;
            p.result.complete(new Result(Kind.NOT_STARTED, null));
            nowRunning = promote();
            send(new TaskBatch(List.of()).setDropAttempts(List.of(p.attemptId)));
        } finally {
            lock.unlock();
        }
        nowRunning.forEach(r -> r.started.run());
        return true;
    }

    /** False once the link broke or a dirty answer came: nothing sent now would run. */
    boolean accepting() {
        lock.lock();
        try {
            return !broken && !drained;
        } finally {
            lock.unlock();
        }
    }

    /** Marks running the first live attempts in line (all before them dropped); returns the newly running. */
    private List<Pending> promote() {
        List<Pending> now = new ArrayList<>(1);
        for (Pending x : inFlight) {
            if (!x.running) {
                x.running = true;
                if (!x.dropped) {
                    now.add(x);
                }
            }
            if (!x.dropped) {
                break;
            }
        }
        return now;
    }

    private void send(TaskBatch batch) {
        if (!outbox.offer(batch)) {
            log.warn("worker link: {} frames waiting to be written; closing it", OUTBOX_FRAMES);
            close();
        }
    }

    /** Writes what task threads queued, several waiting frames as one batch (one system call). */
    private void write() {
        List<TaskBatch> frames = new ArrayList<>();
        try {
            while (true) {
                frames.add(outbox.take());
                outbox.drainTo(frames);
                TaskBatch merged = new TaskBatch(new ArrayList<>());
                for (TaskBatch f : frames) {
                    if (f == STOP) {
                        return;
                    }
                    if (f.isSetJobs() && reusesSlot(merged, f)) {
                        merged.write(out); // the worker applies a frame's templates before its tasks: keep them apart
                        outTransport.flush();
                        merged = new TaskBatch(new ArrayList<>());
                    }
                    merge(merged, f);
                }
                frames.clear();
                merged.write(out);
                outTransport.flush();
            }
        } catch (TException e) {
            log.debug("worker link write failed: {}", e.toString());
            close(); // the reader ends every attempt in flight
        } catch (InterruptedException e) {
            close();
        }
    }

    private static void merge(TaskBatch merged, TaskBatch f) {
        merged.getTasks().addAll(f.getTasks());
        if (f.isSetDropAttempts()) {
            if (!merged.isSetDropAttempts()) {
                merged.setDropAttempts(new ArrayList<>());
            }
            merged.getDropAttempts().addAll(f.getDropAttempts());
        }
        if (f.isSetJobs()) {
            if (!merged.isSetJobs()) {
                merged.setJobs(new ArrayList<>());
            }
            merged.getJobs().addAll(f.getJobs());
        }
    }

    /**
     * Whether {@code f} fills a template slot that {@code merged} already fills or that a task in {@code merged}
     * names: the worker applies a frame's templates before its tasks, so such a task would run with the
     * new template.
     */
    private static boolean reusesSlot(TaskBatch merged, TaskBatch f) {
        for (RunTask t : f.getJobs()) {
            if (merged.isSetJobs()) {
                for (RunTask m : merged.getJobs()) {
                    if (m.getJobRef() == t.getJobRef()) {
                        return true;
                    }
                }
            }
            for (RunTask task : merged.getTasks()) {
                if (task.isSetJobRef() && task.getJobRef() == t.getJobRef()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void read() {
        try {
            while (true) {
                DoneBatch batch = new DoneBatch();
                batch.read(in);
                for (TaskDone done : batch.isSetDone() ? batch.getDone() : List.<TaskDone>of()) {
                    if (!answer(done)) {
                        log.warn("worker link: an answer for attempt {} that is not in line; closing", done.getAttemptId());
                        return;
                    }
                }
            }
        } catch (TException e) {
            log.debug("worker link closed: {}", e.toString());
        } finally {
            breakLink();
            outbox.clear();
            outbox.offer(STOP);
            onBreak.run();
        }
    }

    /** Completes the attempt answered; false if the worker answered out of line. */
    private boolean answer(TaskDone done) {
        List<Pending> nowRunning;
        lock.lock();
        try {
            Pending p = inFlight.pollFirst();
            while (p != null && p.attemptId != done.getAttemptId() && p.dropped) {
                p = inFlight.pollFirst(); // dropped in time: no answer comes for it
            }
            if (p == null || p.attemptId != done.getAttemptId()) {
                return false;
            }
            p.result.complete(new Result(Kind.DONE, done));
            if (done.isDirty()) {
                drained = true; // the worker runs nothing after this one
                giveBackAll();
            }
            nowRunning = promote();
        } finally {
            lock.unlock();
        }
        nowRunning.forEach(r -> r.started.run());
        return true;
    }

    private void breakLink() {
        lock.lock();
        try {
            broken = true;
            for (Pending p : inFlight) {
                p.result.complete(new Result(p.running ? Kind.DIED : Kind.NOT_STARTED, null));
            }
            inFlight.clear();
        } finally {
            lock.unlock();
        }
    }

    private void giveBackAll() {
        for (Pending p : inFlight) {
            p.result.complete(new Result(Kind.NOT_STARTED, null));
        }
        inFlight.clear();
    }

    /** Closes the socket; the reader then ends every attempt still in flight. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (java.io.IOException e) {
            log.debug("closing a worker link: {}", e.toString());
        }
    }

}
