package dev.xssab.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xssab.audit.AuditKeys;
import dev.xssab.audit.AuditSettings;
import dev.xssab.kafka.client.ClientSettings;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** up --secure's files: one audit key file (mode 600, kept by a second up), named in the audit sink's and the UI's settings only. */
class SecureStackAuditKeysTest {
    @TempDir
    Path tmp;

    @Test
    void theAuditSinkAndTheUiGetTheKeyFileItMakesOnce() throws Exception {
        SecureStack.prepare(tmp, new LocalCluster(1, true));
        Path keys = tmp.resolve(SecureStack.AUDIT_KEYS);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        String first = Files.readString(keys);
        assertEquals("k1", AuditKeys.read(keys).currentId());

        SecureStack.prepare(tmp, new LocalCluster(1, true));
        assertEquals(first, Files.readString(keys), "a second up keeps the key file: the stored images stay readable");
        for (String service : new String[] {"audit", "ui"}) {
            assertEquals(keys.toString(), settings(service).getProperty(AuditSettings.ENCRYPTION_KEY_FILE.key()), service);
        }
        assertNull(settings("gateway").getProperty(AuditSettings.ENCRYPTION_KEY_FILE.key()), "only the services that store or draw faces");
        assertEquals("ui", settings("ui").getProperty(ClientSettings.PRINCIPAL.key()), "the UI keeps its principal");
    }

    private Properties settings(String service) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(tmp.resolve(service + ".properties"))) {
            p.load(in);
        }
        return p;
    }
}
