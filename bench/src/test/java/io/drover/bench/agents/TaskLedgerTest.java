package io.drover.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskLedgerTest {
    @Test
    void everyTaskAckedOnceIsExactlyOnceWithTheSpreadPerAgent() {
        TaskLedger l = new TaskLedger(4, 3);
        l.assigned("j1", 0, 0);
        l.assigned("j1", 1, 0);
        l.assigned("j1", 2, 1);
        l.assigned("j1", 3, 0);
        for (int t = 0; t < 4; t++) {
            l.acked("j1", t);
        }
        TaskLedger.Verdict v = l.verdict();
        assertTrue(v.exactlyOnce());
        assertEquals(4, l.ackedTasks());
        assertEquals("j1", l.jobId());
        assertEquals(0, v.minPerAgent());
        assertEquals(1, v.medianPerAgent());
        assertEquals(3, v.maxPerAgent());
    }

    @Test
    void aDoubledAMissingOrARerunTaskOrAnotherJobFailsTheVerdict() {
        TaskLedger l = new TaskLedger(3, 1);
        l.assigned("j1", 0, 0);
        l.assigned("j1", 1, 0);
        l.assigned("j1", 1, 0); // rerun
        l.acked("j1", 0);
        l.acked("j1", 0); // doubled
        l.acked("j1", 1);
        l.assigned("j2", 0, 0); // another job
        TaskLedger.Verdict v = l.verdict();
        assertFalse(v.exactlyOnce());
        assertEquals(1, v.neverAcked());
        assertEquals(1, v.ackedTwice());
        assertEquals(1, v.reassigned());
        assertEquals(1, v.foreign());
    }
}
