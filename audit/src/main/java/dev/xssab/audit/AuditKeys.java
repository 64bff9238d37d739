package dev.xssab.audit;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key file of {@code audit.encryption.key.file}: properties, {@code current=k2} and one
 * {@code ID=base64 of 32 random bytes} per key. Its keys wrap the data key of each sealed row
 * ({@link SealedPayloads}); {@code current} is the one new rows and rotate-key wrap under. The
 * old keys stay until no row uses them. An immutable snapshot of the file; its key bytes never
 * reach a message or a log.
 */
public final class AuditKeys {
    private static final Logger LOG = LoggerFactory.getLogger(AuditKeys.class);
    private static final String CURRENT = "current";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NUMBERED = Pattern.compile("k(\\d{1,9})");
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The files already warned about: once per file and process, not at every open. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final String currentId;
    private final Map<String, SecretKey> keys;
    private final FileTime modified;

    private AuditKeys(Path file, String currentId, Map<String, SecretKey> keys, FileTime modified) {
        this.file = file;
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
        this.modified = modified;
    }

    /** Reads the file; warns (once) when others than its owner may read it. */
    public static AuditKeys read(Path file) {
        String text;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AuditKeyException("audit key file " + file + " does not exist (xssab audit rotate-key creates one)");
        } catch (IOException e) {
            throw new AuditKeyException("cannot read the audit key file " + file + ": " + e.getMessage(), e);
        }
        warnIfOthersMayRead(file);
        return parse(file, text, modified);
    }

    /** Writes a new key file with one random key, k1, readable by its owner only; refuses to replace one. */
    public static AuditKeys create(Path file) {
        if (Files.exists(file)) {
            throw new AuditKeyException("audit key file " + file + " exists already: not replaced");
        }
        return new AuditKeys(file, "k1", Map.of("k1", randomKey()), null).written();
    }

    /** Adds a new random key (the next kN), makes it current and rewrites the file (atomically, mode 600). */
    public AuditKeys withNewKey() {
        int highest = 0;
        for (String id : keys.keySet()) {
            Matcher m = NUMBERED.matcher(id);
            highest = m.matches() ? Math.max(highest, Integer.parseInt(m.group(1))) : highest;
        }
        String id = "k" + (highest + 1);
        Map<String, SecretKey> more = new TreeMap<>(keys);
        more.put(id, randomKey());
        return new AuditKeys(file, id, more, modified).written();
    }

    /** This snapshot, or the file as it is now if it changed since (rotate-key ran); a file that no longer reads keeps this one. */
    AuditKeys reloadIfChanged() {
        try {
            FileTime now = Files.getLastModifiedTime(file);
            if (now.equals(modified)) {
                return this;
            }
            try {
                return read(file);
            } catch (AuditKeyException e) {
                LOG.warn("audit: the key file changed but does not read, the keys read before stay in use: {}", e.getMessage());
                return new AuditKeys(file, currentId, keys, now);
            }
        } catch (IOException e) {
            return this;
        }
    }

    public Path file() {
        return file;
    }

    public String currentId() {
        return currentId;
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    SecretKey currentKey() {
        return keys.get(currentId);
    }

    /** The key of this id; null when the file has none. */
    SecretKey key(String id) {
        return keys.get(id);
    }

    private static AuditKeys parse(Path file, String text, FileTime modified) {
        Properties p = new Properties();
        try (Reader in = new StringReader(text)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new AuditKeyException("audit key file " + file + " is not a properties file (current=ID, ID=base64 key)", e);
        }
        String current = p.getProperty(CURRENT);
        Map<String, SecretKey> keys = new TreeMap<>();
        for (String id : p.stringPropertyNames()) {
            if (!id.equals(CURRENT)) {
                keys.put(id, decodeKey(file, id, p.getProperty(id)));
            }
        }
        if (current == null || current.isBlank()) {
            throw new AuditKeyException("audit key file " + file + " has no current=ID line");
        }
        if (!keys.containsKey(current.strip())) {
            throw new AuditKeyException("audit key file " + file + ": current=" + current.strip() + " names no key in it (it has "
                    + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet())) + ")");
        }
        return new AuditKeys(file, current.strip(), keys, modified);
    }

    private static SecretKey decodeKey(Path file, String id, String base64) {
        if (!ID.matcher(id).matches()) {
            throw new AuditKeyException("audit key file " + file + ": a key id has 1 to 64 letters, digits, - or _, not '" + id + "'");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new AuditKeyException("audit key file " + file + ": key " + id + " is not base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new AuditKeyException("audit key file " + file + ": key " + id + " has " + bytes.length + " bytes, not " + KEY_BYTES);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static SecretKey randomKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    private static void warnIfOthersMayRead(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            boolean shared = mode.stream().anyMatch(m -> !m.name().startsWith("OWNER_"));
            if (shared && WARNED.add(file.toAbsolutePath())) {
                LOG.warn("audit: key file {} has mode {}, so others than its owner may read the keys: chmod 600 it", file,
                        PosixFilePermissions.toString(mode));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not POSIX: the folder's permissions apply
        }
    }

    /** Writes this snapshot to its file through a mode-600 temporary file and an atomic rename; returns it as written. */
    private AuditKeys written() {
        StringBuilder text = new StringBuilder("# xssab audit keys: whoever holds this file can open the stored face images;"
                + " without it nobody can. Back it up; keep it private (mode 600).\n");
        text.append(CURRENT).append('=').append(currentId).append('\n');
        keys.forEach((id, key) -> text.append(id).append('=').append(Base64.getEncoder().encodeToString(key.getEncoded())).append('\n'));
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path temp = privateTempFile(dir);
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                move(temp, file);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new AuditKeys(file, currentId, keys, Files.getLastModifiedTime(file));
        } catch (IOException e) {
            throw new AuditKeyException("cannot write the audit key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path privateTempFile(Path dir) throws IOException {
        try {
            return Files.createTempFile(dir, ".audit-keys", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, ".audit-keys", ".tmp");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
