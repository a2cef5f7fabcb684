package io.drover.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the host's process table (/proc) to find processes a task left behind. */
public final class ProcessTable {
    private ProcessTable() {
    }

    /** Live (not zombie) processes whose environment has {@code name=value}: a task's whole tree inherits it. */
    public static List<Long> withVariable(String name, String value) {
        byte[] wanted = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                if (alive(p) && hasVariable(p, wanted)) {
                    found.add(Long.parseLong(p.getFileName().toString()));
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return found;
    }

    private static boolean alive(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile
        }
    }

    private static boolean hasVariable(Path proc, byte[] wanted) {
        byte[] env;
        try {
            env = Files.readAllBytes(proc.resolve("environ"));
        } catch (IOException e) {
            return false; // gone meanwhile, or not ours
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == wanted.length && java.util.Arrays.equals(env, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
