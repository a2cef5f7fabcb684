package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JoinFlagsTest {
    @TempDir
    Path dir;

    private JoinFlags parse(String... args) {
        JoinFlags flags = new JoinFlags();
        new CommandLine(flags).parseArgs(args);
        return flags;
    }

    @Test
    void theTokenComesFromTheFlagOrAFileButNotBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "drv1.abc.def\n");
        assertThat(parse("--join-token", "drv1.x.y").token()).contains("drv1.x.y");
        assertThat(parse("--join-token-file", file.toString()).token()).contains("drv1.abc.def");
        assertThatThrownBy(() -> parse("--join-token", "drv1.x.y", "--join-token-file", file.toString()).token())
                .hasMessageContaining("not both");
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> parse("--join-token-file", empty.toString()).token()).hasMessageContaining("is empty");
    }

    @Test
    void aCertificateIsWantedWithATokenOrAPin() {
        assertThat(parse("--ca-fingerprint", "sha256:" + "a".repeat(64)).wanted()).isTrue();
        assertThat(parse("--join-token", "drv1.x.y").wanted()).isTrue();
    }
}
