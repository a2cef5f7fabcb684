package io.drover.agent.launch;

/** The launcher answered a start request with a refusal: nothing of the attempt ran, so it may start another way. */
public final class LaunchRefusedException extends LauncherException {
    public LaunchRefusedException(String message) {
        super(message);
    }
}
