package io.drover.bench.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory and threads of a running JVM process, from /proc and the JDK's jcmd. */
public record ProcessProbe(long rssKb, int threads, long heapUsedKbAfterGc) {
    /**
     * Each heap space's "total ..K, used ..K": one for G1 ("garbage-first heap"), two for the
     * serial collector ("def new generation", "tenured generation"); not Metaspace.
     */
    private static final Pattern HEAP_USED = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

    /** Runs a full GC in {@code pid} first (jcmd GC.run), so the heap figure is live data only. */
    public static ProcessProbe of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        long used = 0;
        Matcher m = HEAP_USED.matcher(heap);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        if (used == 0) {
            throw new IOException("no heap figure in jcmd " + pid + " GC.heap_info: " + heap);
        }
        ProcessProbe os = light(pid);
        return new ProcessProbe(os.rssKb, os.threads, used);
    }

    /** RSS and threads only, from /proc (no GC, no attach: cheap enough to take around every kind); heap 0. */
    public static ProcessProbe light(long pid) throws IOException {
        long rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        return new ProcessProbe(rss, threads, 0);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "rss_kb=%d threads=%d heap_used_after_gc_kb=%d", rssKb, threads, heapUsedKbAfterGc);
    }
}
