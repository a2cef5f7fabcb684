package io.drover.agent;

import io.drover.agent.platform.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <workDir>/agent-id}: the id an agent ran under, so a restarted agent keeps its identity
 * (and with it the attempts the coordinator thinks it runs, and its result journal) without being
 * told again. Written by {@link Agent#start}; read by {@code drover agent} to pick its default id.
 *
 * <p>{@code <workDir>/agent-instance}: a random token made on the first start in the work dir and
 * sent with every registration, so the coordinator tells a restart of this agent (same token) from
 * another agent started with the same id (another token), and refuses the latter. The token
 * file also records where it was made (the work dir's absolute path and the agent's host): a work
 * dir copied elsewhere (a cloned VM image, a copied directory) gets a token of its own on its first
 * start there, so the copy is refused while the original is connected instead of merging with it.
 */
public final class AgentIdFile {
    private static final Logger log = LoggerFactory.getLogger(AgentIdFile.class);
    static final String NAME = "agent-id";
    static final String INSTANCE = "agent-instance";

    private AgentIdFile() {
    }

    /** The stored id; empty when none is stored, or when what is stored is not a valid id (logged). */
    public static Optional<String> read(Path workDir) {
        Path file = workDir.resolve(NAME);
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (AgentConfig.isValidAgentId(id)) {
                return Optional.of(id);
            }
            log.warn("{} does not hold a valid agent id ('{}'); ignoring it", file, id);
        } catch (NoSuchFileException e) {
            // first start in this work dir
        } catch (IOException e) {
            log.warn("cannot read the stored agent id from {}: {}; ignoring it", file, e.toString());
        }
        return Optional.empty();
    }

    /**
     * The work dir's instance token, made (and stored) on first use, and made anew when the stored
     * one was made for another work dir path or host (a copy). When the work dir cannot hold it, a
     * token for this run only (logged): a restart then looks like another agent until the old
     * connections close.
     *
     * @param host the host the agent registers with; part of where the token belongs
     */
    public static String instanceId(Path workDir, String host) {
        Path file = workDir.resolve(INSTANCE);
        String origin = workDir.toAbsolutePath().normalize() + " on " + host;
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).strip().split("\n", 2);
            String stored = lines[0].strip();
            String madeFor = lines.length > 1 ? lines[1].strip() : null;
            if (stored.matches("[0-9a-f]{32}")) {
                if (madeFor == null) {
                    store(workDir, file, stored, origin); // written by a release that did not record its origin
                    return stored;
                }
                if (madeFor.equals(origin)) {
                    return stored;
                }
                log.warn("the agent instance token in {} was made for {}, this is {}: the work dir was copied; making "
                        + "a new token so this agent is not taken for the original", file, madeFor, origin);
            } else {
                log.warn("{} does not hold an instance token ('{}'); making a new one", file, stored);
            }
        } catch (NoSuchFileException e) {
            // first start in this work dir
        } catch (IOException e) {
            log.warn("cannot read the agent instance token from {}: {}; making a new one", file, e.toString());
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        store(workDir, file, token, origin);
        return token;
    }

    private static void store(Path workDir, Path file, String token, String origin) {
        try {
            PrivateFiles.workDir(workDir);
            Path temp = workDir.resolve(INSTANCE + ".tmp");
            PrivateFiles.writeString(temp, token + "\n" + origin + "\n");
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot store the agent instance token in {}: {}; using one for this run only", file, e.toString());
        }
    }

    /** Stores {@code id}, replacing the file atomically so a crash leaves the old id or the new one. */
    static void write(Path workDir, String id) throws IOException {
        Optional<String> stored = read(workDir);
        if (stored.equals(Optional.of(id))) {
            return;
        }
        stored.ifPresent(old -> log.warn("work dir {} belonged to agent {}; it is agent {} from now on "
                + "(results in its journal are delivered under the new id)", workDir.toAbsolutePath(), old, id));
        Path temp = workDir.resolve(NAME + ".tmp");
        PrivateFiles.writeString(temp, id + "\n");
        Files.move(temp, workDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
