package io.drover.bench.fuzz;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The method names the coordinator's port serves, read from the generated processors: each as
 * today's clients send it ("AgentService:heartbeat") and as the previous release did ("heartbeat").
 */
final class FuzzMethods {
    private FuzzMethods() {
    }

    static List<String> all() {
        TreeSet<String> names = new TreeSet<>();
        add(names, CoordinatorService.AGENT.name(), new AgentService.Processor<AgentService.Iface>(null).getProcessMapView().keySet());
        add(names, CoordinatorService.CLIENT.name(), new ClientService.Processor<ClientService.Iface>(null).getProcessMapView().keySet());
        return List.copyOf(names);
    }

    private static void add(Set<String> names, String service, Set<String> methods) {
        for (String m : methods) {
            names.add(m);
            names.add(service + ":" + m);
        }
    }
}
