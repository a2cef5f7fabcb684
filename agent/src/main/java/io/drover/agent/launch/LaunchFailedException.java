package io.drover.agent.launch;

/** The launcher tried and the command could not be started (no such program, no such directory...). */
public final class LaunchFailedException extends Exception {
    public LaunchFailedException(String message) {
        super(message);
    }
}
