package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.audit.AuditSettings;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.kafka.AclTable;
import dev.xssab.kafka.ClusterAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's table of who reads what is the one ClusterAccess gives the secured stack's broker. */
class AclTableTest {
    private static final String BEGIN = "<!-- acls:begin -->\n";
    private static final String END = "<!-- acls:end -->";

    @Test
    void theReadmeCarriesTheGeneratedAclTable() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
        int start = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has the markers " + BEGIN.strip() + " and " + END);
        String expected = AclTable.markdown(ClusterAccess.acls((String) GatewaySettings.APPLICATION_ID.defaultValue(),
                (String) ExplainerSettings.GROUP_ID.defaultValue(), (String) AuditSettings.GROUP_ID.defaultValue(),
                (String) AggregatesSettings.APPLICATION_ID.defaultValue()));
        assertEquals(expected, readme.substring(start + BEGIN.length(), end),
                "README.md's ACL table differs from ClusterAccess.acls; replace the lines between the markers with:\n" + expected);
        // What the table must say, whatever its layout: a door reads its own outcomes only, literally.
        assertTrue(expected.contains("| `client` | `xssab.explanations.by.client`, `xssab.rejections.by.client`, "
                + "`xssab.verification-results.by.client`, group `client.*` |"), expected);
    }
}
