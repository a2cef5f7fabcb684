package io.drover.agent.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptOutputTest {
    @TempDir
    Path dir;

    @Test
    void anAttemptFileIsCreatedOnItsFirstWriteOnly() throws IOException {
        Path silent = dir.resolve("attempt-1.stdout");
        AttemptOutput.LazyFile nothing = new AttemptOutput.LazyFile(silent);
        nothing.flush();
        nothing.close();
        assertThat(silent).doesNotExist();

        Path chatty = dir.resolve("attempt-2.stdout");
        AttemptOutput.LazyFile file = new AttemptOutput.LazyFile(chatty);
        file.write("hello\n".getBytes(StandardCharsets.UTF_8));
        file.close();
        assertThat(chatty).hasContent("hello");
    }

    @Test
    void theFirstWriteMakesTheAttemptsDirectoryPrivate() throws IOException {
        Path out = dir.resolve("job-1/7/attempt-4.stdout"); // the agent leaves the directory to the first file
        AttemptOutput.LazyFile file = new AttemptOutput.LazyFile(out);
        file.close();
        assertThat(out.getParent()).doesNotExist();
        AttemptOutput.LazyFile chatty = new AttemptOutput.LazyFile(out);
        chatty.write('x');
        chatty.close();
        assertThat(out).hasContent("x");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheWriteAndAgainAtClose() throws IOException {
        Files.writeString(dir.resolve("not-a-dir"), "");
        AttemptOutput.LazyFile file = new AttemptOutput.LazyFile(dir.resolve("not-a-dir/attempt-3.stdout"));
        assertThatThrownBy(() -> file.write('x')).isInstanceOf(IOException.class).hasMessageContaining("cannot open");
        assertThatThrownBy(file::close).isInstanceOf(IOException.class).hasMessageContaining("not-a-dir");
    }
}
