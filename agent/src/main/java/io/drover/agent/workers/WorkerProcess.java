package io.drover.agent.workers;

import io.drover.agent.platform.ProcessTree;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskDone;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's handle on one running worker JVM: its process, its connection, its log (what the
 * JVM printed outside any attempt's files) and how many tasks it has run. A worker speaking protocol
 * 2 has a {@link TaskPipe} several task threads send on at once; an older one serves one task thread
 * at a time. The lease counts are the pool's (guarded by its lock); {@link #kill} may come from any thread.
 */
final class WorkerProcess {
    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
    /** After SIGKILL the kernel frees a process quickly; this bounds the wait if it does not. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How long a worker that broke its connection gets to finish exiting before it is killed. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final int MAX_OUTPUT_BYTES = 64 * 1024;

    final int id;
    final PoolKey key;
    private final Process process;
    private final WorkerLink link;
    private final TaskPipe pipe; // null: an older worker, one synchronous call per task
    private final Path logFile;
    private final Path crashReport;
    private int tasksRun; // guarded by the pool's lock
    private int leases; // guarded by the pool's lock
    private boolean dropped; // guarded by the pool's lock
    private boolean stopping; // guarded by the pool's lock
    private long idleSinceNanos;

    WorkerProcess(int id, PoolKey key, Process process, WorkerLink link, Path logFile, Path crashReport, Runnable onBreak)
            throws TTransportException {
        this.id = id;
        this.key = key;
        this.process = process;
        this.link = link;
        this.pipe = link.pipelined() ? link.openPipe("drover-worker-" + id + "-link", onBreak) : null;
        this.logFile = logFile;
        this.crashReport = crashReport;
    }

    boolean pipelined() {
        return pipe != null;
    }

    /** A lease begins: one more task for this worker. */
    void leased() {
        leases++;
        tasksRun++;
    }

    /** A lease ended; returns how many remain. */
    int unleased() {
        return --leases;
    }

    int leases() {
        return leases;
    }

    boolean dropped() {
        return dropped;
    }

    void markDropped() {
        dropped = true;
    }

    /** True the first time: the caller is the one to stop this worker. */
    boolean stop() {
        boolean first = !stopping;
        stopping = true;
        return first;
    }

    long pid() {
        return process.pid();
    }

    int tasksRun() {
        return tasksRun;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }

    /** Alive, connected, and (protocol 2) still taking tasks: not after a task left it dirty. */
    boolean usable() {
        return process.isAlive() && link.isOpen() && (pipe == null || pipe.accepting());
    }

    /** Where the worker log ends now: what the JVM prints from here on belongs to the next attempt. */
    long logSize() {
        try {
            return Files.size(logFile);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Protocol 1: runs an attempt; an interrupt of the calling thread closes the connection and fails the call at once. */
    TaskDone run(RunTask task) throws TException {
        return link.client().run(task);
    }

    /** Protocol 2: queues an attempt in the worker (see {@link TaskPipe#submit}). */
    TaskPipe.Pending submit(RunTask task, Runnable started) {
        return pipe.submit(task, started);
    }

    /** Protocol 2: drops a queued attempt; false if it may have started (see {@link TaskPipe#drop}). */
    boolean drop(TaskPipe.Pending pending) {
        return pipe.drop(pending);
    }

    /**
     * After the connection broke: waits a little for the process to end, kills it (and what it
     * started) if it does not, and says how it ended.
     */
    WorkerEnd end(long logOffset) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        boolean exited = process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            log.warn("worker {} (pid {}) broke its connection but did not exit within {} s; killing it", id, pid(), EXIT_WAIT.toSeconds());
            killProcess();
        }
        link.close();
        descendants.forEach(ProcessHandle::destroyForcibly); // a job's child processes do not outlive its worker
        WorkerEnd end = new WorkerEnd(pid(), exited ? process.exitValue() : -1,
                Files.exists(crashReport) ? Optional.of(crashReport) : Optional.empty(), output(logOffset));
        deleteLog();
        return end;
    }

    /** Kills the worker and everything it started, waiting a bounded time for the process to go. */
    void kill() throws InterruptedException {
        killProcess();
        deleteLog();
    }

    private void killProcess() throws InterruptedException {
        ProcessTree.kill(process);
        link.close();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("worker {} (pid {}) still not gone {} s after SIGKILL", id, pid(), KILL_WAIT.toSeconds());
        }
    }

    /**
     * Stops an idle worker: closing its connection and stdin asks it to exit (its job's shutdown
     * hooks run); after {@code grace} it is killed. Its log goes with it.
     */
    void retire(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        link.close();
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("worker {}: closing its stdin: {}", id, e.toString());
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("worker {} (pid {}) did not exit within {} ms of being retired; killing it", id, pid(), grace.toMillis());
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTree.kill(process);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        deleteLog();
    }

    private void deleteLog() {
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            log.debug("worker {}: deleting its log {}: {}", id, logFile, e.toString());
        }
    }

    /** The worker log from {@code offset}, at most the last 64 KiB of it. */
    String output(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long end = file.length();
            long from = Math.max(offset, end - MAX_OUTPUT_BYTES);
            byte[] bytes = new byte[(int) Math.max(0, end - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(worker log " + logFile + " unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "worker " + id + " (pid " + pid() + ", " + key + ")";
    }
}
