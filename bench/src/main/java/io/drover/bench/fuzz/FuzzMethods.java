package io.drover.bench.fuzz;

import io.drover.protocol.thrift.Coordinator;
import java.util.List;
import java.util.TreeSet;

/** The method names the coordinator's port serves, read from the generated processors. */
final class FuzzMethods {
    private FuzzMethods() {
    }

    static List<String> all() {
        TreeSet<String> names = new TreeSet<>(new Coordinator.Processor<Coordinator.Iface>(null).getProcessMapView().keySet());
        return List.copyOf(names);
    }
}
