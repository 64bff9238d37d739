package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The users file: hashed lines with roles, a created file that keeps no password, legacy
 * plaintext lines read as operators, malformed lines named without their password, and a
 * basic-auth check that pays PBKDF2 once per user and password.
 */
class UiUsersTest {
    @TempDir
    Path tmp;

    @Test
    void aCreatedFileKeepsOnlyTheHashAndTheRole() throws Exception {
        Path file = tmp.resolve("run").resolve("ui-credentials");
        String password = UiUsers.create(file, "alice", UiRole.AUDITOR);
        String content = Files.readString(file);
        assertFalse(content.contains(password), "the file keeps no plaintext");
        assertTrue(content.matches("alice:pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:auditor\n"), content);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String bob = UiUsers.add(file, "bob", UiRole.VIEWER);
        assertThrows(IllegalArgumentException.class, () -> UiUsers.add(file, "bob", UiRole.OPERATOR));
        UiUsers users = UiUsers.read(file);
        assertEquals(Optional.of(new UiUsers.User("alice", UiRole.AUDITOR)), users.check("alice", password));
        assertEquals(Optional.of(new UiUsers.User("bob", UiRole.VIEWER)), users.check("bob", bob));
        assertEquals(Optional.empty(), users.check("alice", bob));
        assertEquals(Optional.empty(), users.check("carol", password));
        String header = "Basic " + Base64.getEncoder().encodeToString(("bob:" + bob).getBytes());
        assertEquals(Optional.of(new UiUsers.User("bob", UiRole.VIEWER)), users.authenticate(null, header));
    }

    @Test
    void legacyPlaintextLinesAreOperators() throws Exception {
        Path file = Files.write(tmp.resolve("old"), List.of("# an older file", "ops:a:password:with:colons", ""));
        assertEquals(Optional.of(new UiUsers.User("ops", UiRole.OPERATOR)), UiUsers.read(file).check("ops", "a:password:with:colons"));
    }

    @Test
    void aMalformedLineIsNamedWithoutItsPassword() throws Exception {
        String good = UiUsers.line("ann", "secret-one", UiRole.VIEWER);
        Path file = Files.write(tmp.resolve("bad"), List.of(good, good.replace(":viewer", ":admin")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UiUsers.read(file));
        assertEquals(file + " line 2: a UI role is viewer, auditor or operator, not 'admin'", e.getMessage());
        Path truncated = Files.write(tmp.resolve("truncated"), List.of("ann:pbkdf2-sha256$210000$c2FsdA==:viewer"));
        e = assertThrows(IllegalArgumentException.class, () -> UiUsers.read(truncated));
        assertEquals(truncated + " line 1: expected pbkdf2-sha256$ITERATIONS$SALT$HASH", e.getMessage());
    }

    /** A script's every request carries basic authentication: PBKDF2 (tens of milliseconds) must not run for each. */
    @Test
    void aSuccessfulCheckIsRememberedNotRehashed() throws Exception {
        Path file = tmp.resolve("users");
        String password = UiUsers.create(file, "script", UiRole.VIEWER);
        UiUsers users = UiUsers.read(file);
        long first = System.nanoTime();
        assertTrue(users.check("script", password).isPresent());
        long hashed = System.nanoTime() - first;
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertTrue(users.check("script", password).isPresent());
        }
        long twenty = System.nanoTime() - start;
        assertTrue(twenty < hashed, "20 remembered checks took " + twenty / 1_000_000 + " ms, one PBKDF2 check "
                + hashed / 1_000_000 + " ms");
        long wrong = System.nanoTime();
        assertFalse(users.check("script", password + "x").isPresent());
        assertTrue(System.nanoTime() - wrong > hashed / 4, "a wrong password is not answered from the cache");
    }
}
