package io.drover.coordinator.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * Ops gathered into fenced transactions under a byte budget: one is sent (once, see {@link FencedMulti})
 * as soon as the next op would take it past the budget, and {@code progress} runs after each, so a long
 * write (a snapshot, a finished job's archive) is seen to move.
 */
final class FencedTxns {
    private final FencedMulti multi;
    private final Epoch epoch;
    private final int budgetBytes;
    private final int opOverheadBytes;
    private final Runnable progress;
    private final List<CuratorOp> ops = new ArrayList<>();
    private int bytes;

    FencedTxns(FencedMulti multi, Epoch epoch, int budgetBytes, int opOverheadBytes, Runnable progress) {
        this.multi = multi;
        this.epoch = epoch;
        this.budgetBytes = budgetBytes;
        this.opOverheadBytes = opOverheadBytes;
        this.progress = progress;
    }

    /** Adds an op carrying {@code dataBytes} of data, sending what was gathered first if it would not fit. */
    void add(CuratorOp op, int dataBytes) throws Exception {
        if (!ops.isEmpty() && bytes + dataBytes + opOverheadBytes > budgetBytes) {
            send();
        }
        ops.add(op);
        bytes += dataBytes + opOverheadBytes;
    }

    /** Sends what was gathered, if anything. */
    void send() throws Exception {
        if (!ops.isEmpty()) {
            multi.run(epoch, ops);
            progress.run();
            ops.clear();
            bytes = 0;
        }
    }
}
