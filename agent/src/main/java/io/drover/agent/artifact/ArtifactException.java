package io.drover.agent.artifact;

/**
 * An artifact could not be made available: the coordinator does not have it, its bytes do not
 * match its hash, or the cache directory cannot be written. The message names the artifact.
 */
public class ArtifactException extends Exception {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
