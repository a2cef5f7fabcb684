package io.drover.agent.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the last bytes of a file: task output can be large, only its end is reported. */
final class FileTail {
    private FileTail() {
    }

    static byte[] read(Path file, int maxBytes) throws IOException {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int length = (int) Math.min(size, maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            long position = size - length;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n < 0) {
                    break;
                }
            }
            byte[] out = new byte[buffer.position()];
            buffer.flip().get(out);
            return out;
        }
    }
}
