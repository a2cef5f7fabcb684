package io.drover.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void userPlusSystemTicksEvenWithParenthesesAndSpacesInTheName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 40 0 100 0 0";
        assertEquals(1234 + 567, ProcessCpu.parseTicks(stat));
    }

    @Test
    void thisProcessHasUsedSomeCpu() throws Exception {
        assertTrue(ProcessCpu.seconds(ProcessHandle.current().pid()) > 0);
    }
}
