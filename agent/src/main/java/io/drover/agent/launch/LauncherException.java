package io.drover.agent.launch;

/** The native launcher cannot take this attempt (it is gone, or refused the request): start it another way. */
public class LauncherException extends Exception {
    public LauncherException(String message) {
        super(message);
    }
}
