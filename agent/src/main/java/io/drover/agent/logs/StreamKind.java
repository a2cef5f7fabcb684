package io.drover.agent.logs;

/** Which captured output of an attempt. */
public enum StreamKind {
    STDOUT("stdout"),
    STDERR("stderr");

    private final String suffix;

    StreamKind(String suffix) {
        this.suffix = suffix;
    }

    /** The file name extension: {@code attempt-<id>.<suffix>}. */
    public String suffix() {
        return suffix;
    }
}
