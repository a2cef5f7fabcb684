package io.drover.agent.launch;

/** Frame types and limits of the launcher's protocol; drover-launch.c describes the frames. */
final class LauncherProtocol {
    static final int VERSION = 1;
    /** The launcher's MAX_FRAME. */
    static final int MAX_REQUEST_BYTES = 4 << 20;
    /** The launcher's MAX_ATTEMPTS: attempts it runs at once. */
    static final int MAX_ATTEMPTS = 4096;
    /** Replies are written in one write() under PIPE_BUF. */
    static final int MAX_REPLY_BYTES = 4096;

    static final byte HELLO = 'H';
    static final byte STARTED = 'R';
    static final byte FAILED = 'F';
    static final byte EXITED = 'X';
    static final byte ERROR = 'E';
    static final byte KILL = 'K';

    private LauncherProtocol() {
    }
}
