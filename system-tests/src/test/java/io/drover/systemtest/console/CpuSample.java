package io.drover.systemtest.console;

import io.drover.bench.cluster.DroverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU seconds used so far, from Linux's /proc: by the coordinator process, by the agent processes together, and by
 * the whole machine (busy time of all cores). A round's difference splits its CPU between the cluster and the rest
 * (the browsers, Prometheus, this JVM, and whatever else the machine runs). Assumes the usual 100 clock ticks a second.
 */
record CpuSample(double coordinator, double agents, double machine) {
    private static final double TICKS = 100.0;

    static CpuSample read(DroverProcess coordinator, List<DroverProcess> agents) throws IOException {
        double agentSeconds = 0;
        for (DroverProcess agent : agents) {
            agentSeconds += processSeconds(agent.pid());
        }
        return new CpuSample(processSeconds(coordinator.pid()), agentSeconds, machineBusySeconds());
    }

    CpuSample since(CpuSample start) {
        return new CpuSample(coordinator - start.coordinator, agents - start.agents, machine - start.machine);
    }

    /** Machine CPU not used by the cluster's processes. */
    double others() {
        return machine - coordinator - agents;
    }

    /**
     * CPU seconds of the observers so far, split: Prometheus (by pid), the chromium processes and their drivers (this
     * JVM's descendants named so), and this JVM itself (Selenium's client, the bench). A process that exited between
     * listing and reading is not counted.
     */
    static ObserverCpu observers(long prometheusPid) {
        double chromium = 0;
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            String command = p.info().command().orElse("");
            if (command.contains("chrom")) {
                chromium += secondsOrZero(p.pid());
            }
        }
        return new ObserverCpu(prometheusPid < 0 ? 0 : secondsOrZero(prometheusPid), chromium,
                secondsOrZero(ProcessHandle.current().pid()));
    }

    /** See {@link #observers}. */
    record ObserverCpu(double prometheus, double chromium, double benchJvm) {
        ObserverCpu since(ObserverCpu start) {
            return new ObserverCpu(prometheus - start.prometheus, chromium - start.chromium, benchJvm - start.benchJvm);
        }
    }

    private static double secondsOrZero(long pid) {
        try {
            return processSeconds(pid);
        } catch (IOException | RuntimeException gone) {
            return 0; // the process ended: its time is no longer readable
        }
    }

    private static double processSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: state is [0], utime [11], stime [12].
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    }

    private static double machineBusySeconds() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / TICKS;
    }
}
