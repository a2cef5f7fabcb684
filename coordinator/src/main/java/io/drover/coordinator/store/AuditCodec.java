package io.drover.coordinator.store;

import io.drover.coordinator.auth.AuditRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One audit entry's znode data: a version byte, the time, then the text fields as modified UTF-8. */
final class AuditCodec {
    private static final int VERSION = 1;

    private AuditCodec() {
    }

    static byte[] encode(AuditRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(r.atMs());
            for (String s : new String[] {r.who(), r.role(), r.action(), r.target(), r.remote(), r.outcome()}) {
                out.writeUTF(s); // fields are at most AuditRecord.MAX_FIELD_CHARS, well inside writeUTF's 64 KiB
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding an audit entry in memory", e);
        }
        return bytes.toByteArray();
    }

    /** @throws StoreException naming {@code path} when the data is not an audit entry of a known version */
    static AuditRecord decode(String path, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new StoreException("audit entry " + path + " has format version " + version + "; this coordinator "
                        + "reads version " + VERSION + " (written by a newer release?)");
            }
            return new AuditRecord(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                    in.readUTF());
        } catch (IOException e) {
            throw new StoreException("audit entry " + path + " is corrupt: " + e.getMessage(), e);
        }
    }
}
