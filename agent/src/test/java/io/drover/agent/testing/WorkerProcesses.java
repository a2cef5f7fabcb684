package io.drover.agent.testing;

import java.util.List;

/** Worker JVMs of an agent running in this test JVM, found in the process table. */
public final class WorkerProcesses {
    private WorkerProcesses() {
    }

    /** Live worker processes started by the agent with this id. */
    public static List<ProcessHandle> of(String agentId) {
        String marker = "-Ddrover.agent=" + agentId;
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
                .toList();
    }

    public static List<Long> pids(String agentId) {
        return of(agentId).stream().map(ProcessHandle::pid).toList();
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
