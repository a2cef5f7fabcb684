package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.lang.reflect.Field;

/** Crashes the JVM: writes to address 0 through sun.misc.Unsafe (a segmentation fault in native terms). */
public class CrashJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) throws ReflectiveOperationException {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        Object unsafe = field.get(null);
        type.getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 42L);
        return "unreachable";
    }
}
