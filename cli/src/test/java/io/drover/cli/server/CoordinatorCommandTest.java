package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag checks of {@code drover coordinator} that end before it starts serving (which blocks). */
class CoordinatorCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new CoordinatorCommand()).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void aBadFlagWithDevCreatesNoDirectory(@TempDir Path tmp) {
        Path data = tmp.resolve("zk");
        for (String[] bad : new String[][] {
                {"--listen", "no-port"}, {"--lost-after", "soon"}, {"--zk-root", "drover/"},
                {"--step-down-after", "1s"}, {"--pool-policy", "edge"}, {"--max-frame", "3GiB"},
                {"--http-listen", "nowhere"}}) {
            String[] args = new String[bad.length + 3];
            args[0] = "--dev";
            args[1] = "--zk-data-dir";
            args[2] = data.toString();
            System.arraycopy(bad, 0, args, 3, bad.length);

            assertThat(run(args)).as(String.join(" ", bad)).isNotZero();
            assertThat(data).as(String.join(" ", bad)).doesNotExist();
        }
    }

    @Test
    void httpListenDefaultsToPort7421AndTakesOff() {
        CoordinatorCommand command = new CoordinatorCommand();
        new CommandLine(command).parseArgs("--dev");
        assertThat(command.httpListen()).hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(7421));
        new CommandLine(command).parseArgs("--dev", "--http-listen", "off");
        assertThat(command.httpListen()).isEmpty();
        new CommandLine(command).parseArgs("--dev", "--http-listen", "127.0.0.1:9100");
        assertThat(command.httpListen()).hasValueSatisfying(a -> assertThat(a.getHostString()).isEqualTo("127.0.0.1"));
        assertThat(HttpListen.url(true, "coord1.example", 7421)).isEqualTo("https://coord1.example:7421");
    }

    @Test
    void aZooKeeperCredentialFileOthersMayReadIsRefusedBeforeAnythingStarts(@TempDir Path tmp) throws Exception {
        Path auth = tmp.resolve("zookeeper.digest");
        Files.writeString(auth, "drover:pa55word\n");
        Files.setPosixFilePermissions(auth, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path data = tmp.resolve("zk");

        assertThat(run("--dev", "--zk-data-dir", data.toString(), "--zk-auth-file", auth.toString())).isNotZero();
        assertThat(err.toString()).contains("--zk-auth-file").contains("chmod 600 " + auth).doesNotContain("pa55word");
        assertThat(data).doesNotExist();

        Files.setPosixFilePermissions(auth, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        CoordinatorCommand command = new CoordinatorCommand();
        new CommandLine(command).parseArgs("--dev", "--zk-auth-file", auth.toString());
        assertThat(command.zkCredential()).hasValueSatisfying(c -> {
            assertThat(c.user()).isEqualTo("drover");
            assertThat(c.password()).isEqualTo("pa55word");
            assertThat(c.toString()).doesNotContain("pa55word");
        });

        Files.writeString(auth, "no-colon-here");
        assertThat(run("--dev", "--zk-data-dir", data.toString(), "--zk-auth-file", auth.toString())).isNotZero();
        assertThat(err.toString()).contains("'user:password'");
        assertThat(data).doesNotExist();
    }

    @Test
    void zkDataDirIsForDevOnly(@TempDir Path tmp) {
        assertThat(run("--zk", "zk1:2181", "--zk-data-dir", tmp.resolve("zk").toString())).isNotZero();
        assertThat(err.toString()).contains("--zk-data-dir").contains("--dev");
        assertThat(tmp.resolve("zk")).doesNotExist();
    }

    @Test
    void theDevDataDirIsPerUserNotTheWorkingDirectory() {
        assertThat(CoordinatorCommand.defaultDevDataDir(Map.of(), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.local/share/drover/dev-zk"));
        assertThat(CoordinatorCommand.defaultDevDataDir(Map.of("XDG_DATA_HOME", "/data/ann"), "/home/ann"))
                .isEqualTo(Path.of("/data/ann/drover/dev-zk"));
        assertThat(CoordinatorCommand.defaultDevDataDir(Map.of("XDG_DATA_HOME", "relative"), "/home/ann"))
                .as("the XDG spec ignores a relative path").isEqualTo(Path.of("/home/ann/.local/share/drover/dev-zk"));

        CoordinatorCommand command = new CoordinatorCommand();
        new CommandLine(command).parseArgs("--dev");
        assertThat(command.devDataDir())
                .isEqualTo(CoordinatorCommand.defaultDevDataDir(System.getenv(), System.getProperty("user.home")));
        assertThat(command.devDataDir().isAbsolute()).isTrue();
        assertThat(Files.exists(Path.of("drover-zk-data"))).as("nothing created in the working directory").isFalse();
    }
}
