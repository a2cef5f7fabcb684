/**
 * The coordinator's Thrift face, one endpoint per caller.
 *
 * <pre>
 *  agents  ── AgentService ──┐                           ┌─ AgentEndpoint ──┐
 *                            ├─ RpcServer, one port ─────┤                  ├─ CoreGateway ─┬─ core loop (CoreAsk: event + answer type)
 *  clients ── ClientService ─┘  (MultiplexedAsync-       └─ ClientEndpoint ─┘               └─ I/O pool (artifact store)
 *                                Processor)                 uses ArtifactCalls, LogReadCalls, ScheduleCalls;
 *                                                           both use Handshake (hello)
 * </pre>
 *
 * <p>Both services share one non-blocking server with async processors, so a parked heartbeat
 * holds a socket and no thread. Current peers send {@code "AgentService:heartbeat"}; releases
 * before the split send a bare {@code "heartbeat"}. Method names are unique across the services
 * (hello aside), so a bare name still finds its service; {@code WireCompatibilityTest} holds the
 * coordinator to that.
 */
package io.drover.coordinator.rpc;
