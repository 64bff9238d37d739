package dev.xssab.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;

/**
 * The cluster id that every node of a static-quorum cluster must be formatted with, kept in a
 * file the nodes share, so that nodes started as separate processes (at the same moment, by
 * {@code xssab up}) agree on it without talking to each other.
 */
public final class ClusterIdFile {
    private ClusterIdFile() {}

    /** The id in {@code file}; made (a new random id) by whichever node gets there first. */
    public static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path draft = Files.createTempFile(file.toAbsolutePath().getParent(), ".cluster-id-", ".tmp");
            try {
                Files.writeString(draft, Uuid.randomUuid() + "\n", StandardCharsets.UTF_8);
                // A hard link is made atomically or not at all: a second node finds the first one's complete file.
                Files.createLink(file, draft);
            } catch (FileAlreadyExistsException e) {
                // another node was first: use its id
            } finally {
                Files.deleteIfExists(draft);
            }
        }
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (id.isEmpty()) {
            throw new IOException("empty cluster id file " + file);
        }
        return id;
    }
}
