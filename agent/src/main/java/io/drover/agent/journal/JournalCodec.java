package io.drover.agent.journal;

import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.Execution;
import io.drover.agent.task.ResultBlob;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The journal's byte format. A file is a header ({@code "DRJL"}, version) followed by records,
 * each framed as {@code length (int) · CRC32 of the payload (int) · payload}; all integers are
 * big-endian. A payload is a type byte and the record's fields:
 *
 * <pre>
 *   RESULT (1): attemptId long · jobId str · task int · outcome byte · runMillis long · value bytes? · error str?
 *               [· resultCodec str? [· blob sha256 str · blob size long]]
 *   ACK    (2): count int · attemptId long × count
 *   str = length int + UTF-8;  bytes? / str? = length int (-1: absent) + bytes
 * </pre>
 *
 * <p>The result codec's name is written only when known, at the end of the payload, so records
 * without it keep the version-1 layout and journals written before it read as before. (An agent
 * of an older release reads a record that carries it as damage and drops that result; downgrade
 * only with an empty journal.)
 *
 * Outcome codes are fixed here (not enum ordinals) so reordering {@link TaskOutcome} cannot change
 * what an old journal means.
 */
final class JournalCodec {
    static final int MAGIC = 0x44524A4C; // "DRJL"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 8;
    static final int FRAME_BYTES = 8;
    /** Far above any real record (results are at most 64 KiB); a larger length is damage, not data. */
    static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
    private static final byte RESULT = 1;
    private static final byte ACK = 2;

    private JournalCodec() {
    }

    static byte[] header() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_BYTES);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The framed bytes of one record, ready to append. */
    static byte[] frame(JournalRecord record) {
        byte[] payload = payload(record);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(FRAME_BYTES + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(payload.length);
            out.writeInt(crc(payload, payload.length));
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] payload(JournalRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (record instanceof JournalRecord.Result r) {
                writeResult(out, r.report());
            } else if (record instanceof JournalRecord.Ack a) {
                out.writeByte(ACK);
                out.writeInt(a.attemptIds().size());
                for (long id : a.attemptIds()) {
                    out.writeLong(id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeResult(DataOutputStream out, TaskReport report) throws IOException {
        out.writeByte(RESULT);
        out.writeLong(report.attemptId());
        writeBytes(out, report.attempt().jobId().getBytes(StandardCharsets.UTF_8));
        out.writeInt(report.attempt().task());
        out.writeByte(code(report.outcome()));
        out.writeLong(report.runMillis());
        writeBytes(out, report.execution().value().orElse(null));
        writeBytes(out, report.execution().error().map(e -> e.getBytes(StandardCharsets.UTF_8)).orElse(null));
        if (report.execution().resultCodec().isPresent() || report.execution().blob().isPresent()) {
            writeBytes(out, report.execution().resultCodec().map(c -> c.getBytes(StandardCharsets.UTF_8)).orElse(null));
        }
        if (report.execution().blob().isPresent()) { // a result stored on the coordinator (issue 17)
            writeBytes(out, report.execution().blob().get().sha256().getBytes(StandardCharsets.UTF_8));
            out.writeLong(report.execution().blob().get().size());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * Reads the records of a journal file after its header, stopping at the first frame that is
     * incomplete, fails its checksum or does not decode.
     */
    static Scan scan(Path file) throws IOException {
        List<Framed> records = new ArrayList<>();
        // Classic streams, not NIO channels: an interrupt must not close the file under us.
        try (InputStream raw = new FileInputStream(file.toFile());
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024))) {
            in.skipNBytes(HEADER_BYTES);
            long position = HEADER_BYTES;
            while (true) {
                Optional<Framed> next = readFrame(in);
                if (next.isEmpty()) {
                    return new Scan(records, position);
                }
                records.add(next.get());
                position += next.get().bytes();
            }
        }
    }

    /** The next valid record, or empty at the end of the file or at the first damaged frame. */
    private static Optional<Framed> readFrame(DataInputStream in) throws IOException {
        try {
            int length = in.readInt();
            int crc = in.readInt();
            if (length < 1 || length > MAX_PAYLOAD_BYTES) {
                return Optional.empty();
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length < length || crc(payload, length) != crc) {
                return Optional.empty();
            }
            return decode(payload).map(record -> new Framed(record, FRAME_BYTES + length));
        } catch (EOFException e) {
            return Optional.empty();
        }
    }

    /** The record in a checksummed payload, or empty when it does not decode (damage or a bug). */
    static Optional<JournalRecord> decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte type = in.readByte();
            JournalRecord record = switch (type) {
                case RESULT -> readResult(in);
                case ACK -> readAck(in);
                default -> null;
            };
            return in.available() == 0 ? Optional.ofNullable(record) : Optional.empty();
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static JournalRecord readResult(DataInputStream in) throws IOException {
        long attemptId = in.readLong();
        String jobId = new String(readBytes(in).orElseThrow(() -> new IOException("no job id")), StandardCharsets.UTF_8);
        int task = in.readInt();
        TaskOutcome outcome = outcome(in.readByte());
        long runMillis = in.readLong();
        Optional<byte[]> value = readBytes(in);
        Optional<String> error = readBytes(in).map(b -> new String(b, StandardCharsets.UTF_8));
        Optional<String> codec = in.available() > 0
                ? readBytes(in).map(b -> new String(b, StandardCharsets.UTF_8)) : Optional.empty();
        Optional<ResultBlob> blob = Optional.empty();
        if (in.available() > 0) {
            String sha = new String(readBytes(in).orElseThrow(() -> new IOException("no blob hash")), StandardCharsets.UTF_8);
            blob = Optional.of(new ResultBlob(sha, in.readLong()));
        }
        return new JournalRecord.Result(new TaskReport(new AttemptRef(attemptId, jobId, task),
                new Execution(outcome, value, error, codec, blob), runMillis));
    }

    private static JournalRecord readAck(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available() / Long.BYTES) {
            throw new IOException("bad ack count " + count);
        }
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(in.readLong());
        }
        return new JournalRecord.Ack(ids);
    }

    private static Optional<byte[]> readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return Optional.empty();
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("bad field length " + length);
        }
        return Optional.of(in.readNBytes(length));
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static byte code(TaskOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> 1;
            case FAILED -> 2;
            case TIMED_OUT -> 3;
            case CANCELLED -> 4;
            case REJECTED -> 5;
        };
    }

    private static TaskOutcome outcome(byte code) throws IOException {
        return switch (code) {
            case 1 -> TaskOutcome.SUCCEEDED;
            case 2 -> TaskOutcome.FAILED;
            case 3 -> TaskOutcome.TIMED_OUT;
            case 4 -> TaskOutcome.CANCELLED;
            case 5 -> TaskOutcome.REJECTED;
            default -> throw new IOException("unknown outcome code " + code);
        };
    }

    /** A decoded record and how many bytes its frame takes in the file. */
    record Framed(JournalRecord record, int bytes) {
    }

    /** The valid records of a file and where the valid part ends (the file may continue with damage). */
    record Scan(List<Framed> records, long validEnd) {
        Scan {
            records = List.copyOf(records);
        }
    }
}
