package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.sdk.DroverClient;
import io.drover.sdk.LogStream;
import io.drover.sdk.TaskLog;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover logs JOB [--shard N | --reduce] [--stderr] [--follow]}. */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print a task's captured output (its newest attempt), fetched from the agent that ran it "
                + "through the coordinator.",
                "Output stays on the agents: capped per attempt and stream (agent --log-cap) and removed by their log "
                        + "retention (--log-retain, --log-retain-age). A cut-off output ends with a note on stderr."})
public final class LogsCommand extends ClientCommand {
    @Parameters(paramLabel = "JOB", description = "Job id, as printed by submit.")
    String jobId;

    @Option(names = "--shard", paramLabel = "N", defaultValue = "0", description = "Shard (task) index (default: ${DEFAULT-VALUE}).")
    int shard;

    @Option(names = "--reduce", description = "The job's reduce step instead of a shard.")
    boolean reduce;

    @Option(names = "--stderr", description = "Standard error instead of standard output.")
    boolean stderr;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the task has ended (a retry's output "
            + "follows its predecessor's).")
    boolean follow;

    @Override
    protected int run(DroverClient client) {
        if (shard < 0) {
            throw new IllegalArgumentException("--shard must be >= 0, was " + shard);
        }
        if (reduce && shard != 0) {
            throw new IllegalArgumentException("--shard and --reduce exclude each other");
        }
        int task = reduce ? DroverClient.REDUCE_TASK : shard;
        LogStream stream = stderr ? LogStream.STDERR : LogStream.STDOUT;
        Utf8Text text = new Utf8Text();
        boolean truncated;
        if (follow) {
            truncated = client.followLogs(jobId, task, stream, bytes -> {
                out().print(text.decode(bytes, false));
                out().flush();
            });
        } else {
            TaskLog log = client.logs(jobId, task, stream);
            out().print(text.decode(log.data(), false));
            truncated = log.truncated();
        }
        out().print(text.decode(new byte[0], true));
        out().flush();
        if (truncated) {
            err().println("drover: the output was cut off on the agent at its --log-cap; later bytes were dropped");
        }
        return OK;
    }

    /** Decodes UTF-8 across chunk boundaries: a character split between two chunks comes out whole. */
    static final class Utf8Text {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private byte[] rest = new byte[0];

        String decode(byte[] bytes, boolean end) {
            ByteBuffer in = ByteBuffer.allocate(rest.length + bytes.length).put(rest).put(bytes).flip();
            CharBuffer out = CharBuffer.allocate((int) (in.remaining() * 1.1) + 4);
            decoder.decode(in, out, end);
            if (end) {
                decoder.flush(out);
            }
            rest = new byte[in.remaining()];
            in.get(rest);
            return out.flip().toString();
        }
    }
}
