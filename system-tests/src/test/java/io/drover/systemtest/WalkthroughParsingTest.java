package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.systemtest.Walkthrough.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How README's walkthrough blocks are read and matched (the process side: ReadmeWalkthroughTest). */
class WalkthroughParsingTest {

    @Test
    void readsCommandsBackgroundMarksAndShownOutputOfMarkedBlocksOnly() {
        String readme = """
                ```console
                $ not-marked
                ```
                <!-- walkthrough -->
                ```console
                $ bin/drover coordinator --dev &     # in a terminal of its own
                ... LEADER: 127.0.0.1:7420 leads
                $ bin/drover submit -- echo 'a b'
                j1-1

                ...
                shard 0: a b
                ```
                """;
        List<Step> steps = Walkthrough.parse(readme);
        assertThat(steps).extracting(Step::command).containsExactly("bin/drover coordinator --dev",
                "bin/drover submit -- echo 'a b'");
        assertThat(steps).extracting(Step::background).containsExactly(true, false);
        assertThat(steps.get(0).expected()).containsExactly("... LEADER: 127.0.0.1:7420 leads");
        assertThat(steps.get(1).expected()).containsExactly("j1-1", "shard 0: a b");
        assertThat(steps.get(1).line()).isEqualTo(8);
        assertThat(Walkthrough.words(steps.get(1).command())).containsExactly("bin/drover", "submit", "--", "echo", "a b");
    }

    @Test
    void matchesInOrderWithDotsForVaryingTextAndAnySpacing() {
        List<String> out = List.of("03:23:13.409 INFO  LeaderElection   LEADER: 127.0.0.1:7420 leads epoch 1", "j1-1",
                "progress", "shard 0: hi", "");
        assertThat(Walkthrough.firstUnmatched(List.of("... LeaderElection LEADER: 127.0.0.1:7420 leads epoch ...",
                "shard 0: hi"), out)).isEmpty();
        assertThat(Walkthrough.firstUnmatched(List.of("shard 0: hi", "j1-1"), out)).contains("j1-1"); // order counts
        assertThat(Walkthrough.firstUnmatched(List.of("shard 0: h"), out)).contains("shard 0: h"); // whole lines
        assertThat(Walkthrough.firstUnmatched(List.of("j1-.*"), out)).contains("j1-.*"); // no regex from README
    }

    @Test
    void aMarkerWithoutAConsoleBlockIsAnError() {
        assertThatThrownBy(() -> Walkthrough.parse("<!-- walkthrough -->\n```bash\nls\n```\n"))
                .hasMessageContaining("must be followed by a ```console block");
        assertThatThrownBy(() -> Walkthrough.parse("<!-- walkthrough -->\n```console\n$ ls\n"))
                .hasMessageContaining("never closed");
    }
}
