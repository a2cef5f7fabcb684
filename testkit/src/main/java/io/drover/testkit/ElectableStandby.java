package io.drover.testkit;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.NotLeader;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;

/**
 * A standby coordinator that wins an election: until {@code elected} holds it answers {@code hello}
 * with leader=false and every call with {@code NotLeader}, both hinting at {@code oldLeader} (as a
 * real standby does while ZooKeeper still names the old leader); from then on it is {@code fake}.
 */
public final class ElectableStandby {
    private ElectableStandby() {
    }

    /** Serves {@code fake} to agents as a standby until {@code elected}; closing releases parked polls. */
    public static LoopbackServer serve(FakeAgentService fake, BooleanSupplier elected, String oldLeader) {
        return LoopbackServer.start(LoopbackServer.service(CoordinatorService.AGENT,
                new AgentService.Processor<>(of(AgentService.Iface.class, fake, elected, oldLeader))),
                LoopbackServer.bindLoopback(), fake::releaseParkedPolls);
    }

    /** Serves {@code fake} to clients as a standby until {@code elected}. */
    public static LoopbackServer serve(FakeClientService fake, BooleanSupplier elected, String oldLeader) {
        return LoopbackServer.start(LoopbackServer.service(CoordinatorService.CLIENT,
                new ClientService.Processor<>(of(ClientService.Iface.class, fake, elected, oldLeader))),
                LoopbackServer.bindLoopback(), () -> { });
    }

    /** {@code fake} (a {@link FakeAgentService} or {@link FakeClientService}) behind a standby's answers. */
    public static <I> I of(Class<I> iface, I fake, BooleanSupplier elected, String oldLeader) {
        Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (self, method, args) -> {
            if (!elected.getAsBoolean()) {
                if (method.getName().equals("hello")) {
                    ServerInfo info = new ServerInfo(droverConstants.PROTOCOL_VERSION, droverConstants.MIN_PROTOCOL_VERSION,
                            "standby", false, 1);
                    info.setLeaderEndpoint(oldLeader);
                    return info;
                }
                NotLeader notLeader = new NotLeader("not the leader");
                notLeader.setLeaderEndpoint(oldLeader);
                throw notLeader;
            }
            try {
                return method.invoke(fake, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return iface.cast(proxy);
    }
}
