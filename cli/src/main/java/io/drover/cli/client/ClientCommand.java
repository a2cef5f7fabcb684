package io.drover.cli.client;

import io.drover.sdk.AccessDeniedException;
import io.drover.sdk.CoordinatorUnavailableException;
import io.drover.sdk.DroverClient;
import io.drover.sdk.DroverException;
import io.drover.sdk.DroverTimeoutException;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.NoCoordinatorListeningException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the client-side commands: opens a {@link DroverClient} from the shared
 * {@link CoordinatorOptions}, runs the command, and turns errors into one line on stderr
 * ({@code drover: <message>}, shown through {@link SafeText}, with the stack trace only under
 * {@code --verbose}) and an exit code. Commands show every string from the wire or the user through
 * {@link SafeText} (tables do it for their cells).
 *
 * <p>Exit codes: {@value #OK} success; {@value #JOB_NOT_SUCCEEDED} the awaited job ended FAILED
 * or CANCELLED; {@value #INVALID} the request was invalid (bad option values, rejected job spec,
 * unknown job or agent); {@value #UNAVAILABLE} no leading coordinator answered;
 * {@value #TIMED_OUT} a wait timed out; {@value #ERROR} any other error; {@value #PERMISSION_DENIED}
 * permission denied (the token's role may not make the call, or the token is missing or refused).
 */
public abstract class ClientCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int JOB_NOT_SUCCEEDED = 1;
    public static final int INVALID = 2;
    public static final int UNAVAILABLE = 3;
    public static final int TIMED_OUT = 4;
    public static final int ERROR = 5;
    public static final int PERMISSION_DENIED = 6;

    @Mixin
    CoordinatorOptions coordinator;

    @Spec
    CommandSpec spec;

    /** Runs the command with a client; returns the exit code. Throws DroverExceptions freely. */
    protected abstract int run(DroverClient client);

    @Override
    public final Integer call() {
        try (DroverClient client = coordinator.connect()) {
            return run(client);
        } catch (InvalidJobException | IllegalArgumentException e) {
            return fail(e, INVALID);
        } catch (NoCoordinatorListeningException e) {
            int code = fail(e, UNAVAILABLE);
            err().println("drover: is a coordinator running? Start one (`drover coordinator --dev` on this host), or give "
                    + "where yours listen with --coordinators HOST:PORT,... or DROVER_COORDINATORS");
            return code;
        } catch (CoordinatorUnavailableException e) {
            return fail(e, UNAVAILABLE);
        } catch (DroverTimeoutException e) {
            return fail(e, TIMED_OUT);
        } catch (AccessDeniedException e) { // its message says who may not do what, and which token would
            return fail(e, PERMISSION_DENIED);
        } catch (io.drover.sdk.TlsConnectionException e) { // TLS on one side only, or another CA: a setup to fix
            return fail(e, INVALID);
        } catch (DroverException | UncheckedIOException e) {
            return fail(e, ERROR);
        } finally {
            // print() does not flush an auto-flushing PrintWriter, and the process may exit next.
            out().flush();
            err().flush();
        }
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(RuntimeException e, int code) {
        PrintWriter err = err();
        err.println("drover: " + SafeText.of(e.getMessage() != null ? e.getMessage() : e.toString()));
        if (coordinator.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
