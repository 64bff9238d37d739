package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.config.ConfigDoc;
import dev.xssab.config.ServiceConfig;
import dev.xssab.explainer.ExplainerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/operations.md's configuration table is the declared one; sources apply in order; bad values name their key. */
class ConfigDocTest {
    @TempDir
    Path tmp;

    @Test
    void theOperationsGuideCarriesTheGeneratedTable() throws Exception {
        Path operations = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "operations.md");
        String guide = Files.readString(operations);
        int start = guide.indexOf("<!-- config-doc:start -->\n");
        int end = guide.indexOf("<!-- config-doc:end -->");
        assertTrue(start >= 0 && end > start, "docs/operations.md has the config-doc markers");
        assertEquals(ConfigDoc.markdown(XssabSettings.CATALOG), guide.substring(start + "<!-- config-doc:start -->\n".length(), end),
                "docs/operations.md's configuration section differs from ./xssab config --doc: paste its output between the markers");
    }

    @Test
    void fileThenEnvironmentThenFlagsAndKafkaSettingsPassThrough() throws Exception {
        Path file = tmp.resolve("xssab.properties");
        Files.writeString(file, "explainer.batch=4\nexplainer.max.wait.ms=50\nkafka.security.protocol=SASL_SSL\n");
        ServiceConfig c = ServiceConfig.load(XssabSettings.CATALOG, file, Map.of("XSSAB_EXPLAINER_BATCH", "6", "XSSAB_EXPLAINER_INSTANCE", "2"),
                Map.of("explainer.batch", "7"));
        assertEquals(7, c.integer(ExplainerSettings.BATCH), "a flag beats the environment and the file");
        assertEquals(2, c.integer(ExplainerSettings.INSTANCE), "the environment beats the default");
        assertEquals(50L, c.longValue(ExplainerSettings.MAX_WAIT_MS));
        assertEquals("SASL_SSL", dev.xssab.kafka.KafkaClients.of(c).common().get("security.protocol"), "kafka.* reaches every client unchanged");
        assertEquals("127.0.0.1:9092", dev.xssab.kafka.KafkaClients.of(c).bootstrapServers());
    }

    @Test
    void aBadValueFailsAtStartNamingTheKey() throws Exception {
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ServiceConfig.load(XssabSettings.CATALOG, null, Map.of("XSSAB_EXPLAINER_BATCH", "many"), Map.of()));
        assertTrue(bad.getMessage().contains("explainer.batch") && bad.getMessage().contains("XSSAB_EXPLAINER_BATCH"),
                bad.getMessage());
        Path file = tmp.resolve("typo.properties");
        Files.writeString(file, "explainer.bacth=4\n");
        ConfigException typo = assertThrows(ConfigException.class, () -> ServiceConfig.load(XssabSettings.CATALOG, file, Map.of(), Map.of()));
        assertTrue(typo.getMessage().contains("explainer.bacth"), typo.getMessage());
        assertEquals(2, XssabCli.run("explainer", "--batch", "0"), "out of range: a user error, exit 2");
    }
}
