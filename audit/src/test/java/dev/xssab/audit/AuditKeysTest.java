package dev.xssab.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file on disk: made and rewritten with mode 600, read back to the same keys, and each way it can be wrong named in one line. */
class AuditKeysTest {
    @TempDir
    Path tmp;

    @Test
    void createdAndRotatedFilesAreTheOwnersOnlyAndReadBack() throws Exception {
        Path file = tmp.resolve("keys.properties");
        AuditKeys created = AuditKeys.create(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        AuditKeys rotated = AuditKeys.read(file).withNewKey();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "after the rewrite");
        AuditKeys read = AuditKeys.read(file);
        assertEquals(Set.of("k1", "k2"), read.ids());
        assertEquals("k2", read.currentId());
        assertEquals(created.key("k1"), read.key("k1"), "k1 kept its bytes");
        assertEquals(rotated.key("k2"), read.key("k2"));
        assertNotEquals(read.key("k1"), read.key("k2"));
        assertEquals(32, read.key("k2").getEncoded().length);
        assertTrue(assertThrows(AuditKeyException.class, () -> AuditKeys.create(file)).getMessage().endsWith("exists already: not replaced"));
    }

    @Test
    void aMissingOrGarbledFileIsNamedWithWhatIsWrong() throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> cases = Map.of(
                "current=k1\n", "current=k1 names no key in it (it has none)",
                "current=k9\nk1=" + key + "\n", "current=k9 names no key in it (it has k1)",
                "k1=" + key + "\n", "has no current=ID line",
                "current=k1\nk1=not base64!\n", "key k1 is not base64",
                "current=k1\nk1=" + Base64.getEncoder().encodeToString(new byte[16]) + "\n", "key k1 has 16 bytes, not 32",
                "current=k1\nk1=" + key + "\nk\\u00e9=" + key + "\n", "a key id has 1 to 64 letters, digits, - or _",
                "current=k1\nk1=\\u12\n", "is not a properties file");
        for (var c : cases.entrySet()) {
            Path file = Files.writeString(tmp.resolve("keys-" + Math.abs(c.getKey().hashCode())), c.getKey());
            AuditKeyException e = assertThrows(AuditKeyException.class, () -> AuditKeys.read(file), c.getKey());
            assertTrue(e.getMessage().startsWith("audit key file " + file) && e.getMessage().contains(c.getValue()),
                    c.getKey() + " gives: " + e.getMessage());
        }
        Path missing = tmp.resolve("none.properties");
        assertEquals("audit key file " + missing + " does not exist (xssab audit rotate-key creates one)",
                assertThrows(AuditKeyException.class, () -> AuditKeys.read(missing)).getMessage());
    }
}
