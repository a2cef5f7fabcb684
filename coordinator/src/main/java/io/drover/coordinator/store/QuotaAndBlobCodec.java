package io.drover.coordinator.store;

import io.drover.coordinator.core.Quota;
import io.drover.coordinator.core.ResultBlob;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Two small field layouts of the fact log (FactCodec versions 9 and 10): an owner's quota, and the reference to a
 * result kept as a blob (hash and size) that a commit may carry. Values the records refuse make the batch corrupt.
 */
final class QuotaAndBlobCodec {
    private QuotaAndBlobCodec() {
    }

    static void writeQuota(DataOutputStream out, Quota quota) throws IOException {
        out.writeUTF(quota.owner());
        out.writeInt(quota.maxRunning());
        out.writeInt(quota.weight());
    }

    /** A quota as written; values a quota refuses make the batch corrupt, not a half-read fact. */
    static Quota readQuota(DataInputStream in) throws IOException {
        String owner = in.readUTF();
        int maxRunning = in.readInt();
        int weight = in.readInt();
        try {
            return new Quota(owner, maxRunning, weight);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt quota fact for owner " + owner + ": " + e.getMessage(), e);
        }
    }

    static void writeBlob(DataOutputStream out, ResultBlob blob) throws IOException {
        out.writeBoolean(blob != null);
        if (blob != null) {
            out.writeUTF(blob.sha256());
            out.writeLong(blob.size());
        }
    }

    /** {@code written}: the batch's version has blob references (10 on); older batches have none. */
    static ResultBlob readBlob(DataInputStream in, boolean written) throws IOException {
        if (!written || !in.readBoolean()) {
            return null;
        }
        try {
            return new ResultBlob(in.readUTF(), in.readLong());
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt result blob reference: " + e.getMessage(), e);
        }
    }
}
