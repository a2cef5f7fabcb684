package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows fault isolation: each shard misbehaves on its first attempt and returns its index on the
 * next. Argument 0 is how: {@code exit} (System.exit(3)), {@code halt} (Runtime.halt(5)),
 * {@code oom} (allocates until the heap runs out), {@code spin} (loops forever, ignoring
 * interrupts: give the job a task timeout), {@code crash} (writes to address 0 through
 * sun.misc.Unsafe, crashing the JVM) or {@code pid} (behaves, returns the id of the process it ran
 * in). Argument 1 is a directory the shards can all see: a shard that finds no file named after it
 * there creates one and misbehaves.
 *
 * <p>Run it in worker JVMs (the default) and the agent survives every mode; run it
 * {@code --in-agent} and most of them take the agent down with it.
 */
public final class Misbehave implements ShardedJob<Long> {
    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) throws IOException, ReflectiveOperationException {
        String mode = context.argument(0, "pid");
        if (mode.equals("pid")) {
            return ProcessHandle.current().pid();
        }
        if (!firstAttempt(Path.of(context.argument(1, ".")), context.shardIndex())) {
            return (long) context.shardIndex();
        }
        switch (mode) {
            case "exit" -> System.exit(3);
            case "halt" -> Runtime.getRuntime().halt(5);
            case "oom" -> exhaustHeap();
            case "spin" -> spin();
            case "crash" -> crash();
            default -> throw new IllegalArgumentException("unknown mode " + mode + " (exit, halt, oom, spin, crash, pid)");
        }
        return -1L;
    }

    private static boolean firstAttempt(Path markers, int shard) throws IOException {
        try {
            Files.createFile(markers.resolve("misbehaved-" + shard));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void exhaustHeap() {
        List<long[]> hoard = new ArrayList<>();
        while (hoard.size() >= 0) {
            hoard.add(new long[1 << 20]);
        }
    }

    private static void spin() {
        long spins = 0;
        while (spins >= 0) {
            spins++;
            Thread.interrupted();
        }
    }

    private static void crash() throws ReflectiveOperationException {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        type.getMethod("putAddress", long.class, long.class).invoke(field.get(null), 0L, 42L);
    }
}
