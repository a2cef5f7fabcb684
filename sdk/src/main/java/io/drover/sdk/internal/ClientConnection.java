package io.drover.sdk.internal;

import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.Endpoint;
import io.drover.protocol.NoLeaderException;
import io.drover.protocol.NothingListeningException;
import io.drover.protocol.PermissionRefusedException;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.tls.TlsRefusedException;
import io.drover.sdk.TlsConnectionException;
import io.drover.protocol.thrift.ClientService;
import io.drover.sdk.AccessDeniedException;
import io.drover.sdk.CoordinatorUnavailableException;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.NoCoordinatorListeningException;
import java.time.Duration;

/**
 * The SDK's view of a {@link CoordinatorConnection} to the coordinator's client service: the same calls, with the protocol's failures
 * turned into the SDK's public exceptions so users catch only {@code io.drover.sdk} types.
 */
public final class ClientConnection implements AutoCloseable {
    private final CoordinatorConnection<ClientService.Client> connection;

    public ClientConnection(CoordinatorConnection<ClientService.Client> connection) {
        this.connection = connection;
    }

    public <T> T call(CoordinatorConnection.Call<ClientService.Client, T> call) {
        return call(connection.deadlines().call(), call);
    }

    /** A call whose every attempt may take {@code attemptDeadline} (large payloads, waits on purpose). */
    public <T> T call(Duration attemptDeadline, CoordinatorConnection.Call<ClientService.Client, T> call) {
        try {
            return connection.call(attemptDeadline, call);
        } catch (PermissionRefusedException e) {
            throw new AccessDeniedException(e.getMessage(), e.permission().orElse(null));
        } catch (TlsRefusedException e) {
            throw new TlsConnectionException(e.getMessage(), e);
        } catch (RequestRefusedException e) {
            throw new InvalidJobException(e.getMessage());
        } catch (NothingListeningException e) {
            throw new NoCoordinatorListeningException(e.getMessage(), e.getCause());
        } catch (NoLeaderException e) {
            throw new CoordinatorUnavailableException(e.getMessage(), e.getCause());
        }
    }

    public CallDeadlines deadlines() {
        return connection.deadlines();
    }

    public Endpoint currentEndpoint() {
        return connection.currentEndpoint();
    }

    @Override
    public void close() {
        connection.close();
    }
}
