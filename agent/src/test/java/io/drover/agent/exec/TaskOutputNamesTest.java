package io.drover.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.logs.StreamKind;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.task.AttemptFileNames;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A protocol 3 worker names an attempt's files from its job's directory: the names must be the agent's. */
class TaskOutputNamesTest {
    @Test
    void theWorkersNamesFromTheJobDirectoryAreTheAgentsFiles() {
        TaskOutput output = TaskOutput.of(Path.of("/work/tasks"), "job/with odd:name", 7, 42);
        String base = AttemptFileNames.base(output.dir().getParent().toString(), 7, 42);

        assertThat(Path.of(base + AttemptFileNames.STDOUT)).isEqualTo(output.stdout());
        assertThat(Path.of(base + AttemptFileNames.STDERR)).isEqualTo(output.stderr());
        assertThat(Path.of(base + AttemptFileNames.RESULT)).isEqualTo(ResultFiles.resultFile(output));
        TaskOutputs logs = new TaskOutputs(Path.of("/work/tasks"), 1);
        assertThat(logs.output("job/with odd:name", 7, 42, StreamKind.STDOUT)).as("the native launcher's and logs' files")
                .isEqualTo(output.stdout());
        assertThat(logs.output("job/with odd:name", 7, 42, StreamKind.STDERR)).isEqualTo(output.stderr());
    }
}
