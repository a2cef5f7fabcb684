package io.drover.bench.million;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's Java heap after a full collection, through {@code jcmd}: {@code GC.run} (a full GC,
 * so what is left is what is live) then {@code GC.heap_info}, whose generation lines say how much
 * is used. The benchmark's processes run the serial collector (young and tenured generations);
 * the lines of other collectors are summed the same way.
 */
final class HeapProbe {
    /** "def new generation   total 9792K, used 2101K [..." and "tenured generation   total ..., used ...". */
    private static final Pattern USED = Pattern.compile("^\\s*(\\S.*?generation|garbage-first heap|PSYoungGen|ParOldGen)\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K",
            Pattern.MULTILINE);

    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    /** Live heap in bytes after a full GC, or -1 when the process did not answer (killed, paused). */
    long liveHeapBytes(long pid) {
        if (run(pid, "GC.run") == null) {
            return -1;
        }
        String info = run(pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        Matcher m = USED.matcher(info);
        long kb = 0;
        boolean any = false;
        while (m.find()) {
            kb += Long.parseLong(m.group(2));
            any = true;
        }
        return any ? kb * 1024 : -1;
    }

    private String run(long pid, String command) {
        try {
            Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command)).redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // the process is gone (killed on purpose during the failover)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
