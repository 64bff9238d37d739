package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's command table is the one picocli's command tree gives. */
class CommandTableTest {
    static final String BEGIN = "<!-- commands:begin -->\n";
    static final String END = "<!-- commands:end -->";

    @Test
    void theReadmeCarriesTheGeneratedCommandTable() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
        int start = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has the markers " + BEGIN.strip() + " and " + END);
        String expected = CommandTable.markdown();
        assertEquals(expected, readme.substring(start + BEGIN.length(), end),
                "README.md's command table differs from the commands' @Command descriptions. Replace the lines between the markers"
                        + " with the output of java -cp 'cli/target/classes:cli/target/lib/*' dev.xssab.cli.CommandTable, which is:\n"
                        + expected);
    }

    @Test
    void nestedCommandsAndTheBenchmarksHaveRows() {
        String table = CommandTable.markdown();
        for (String command : new String[] {"`audit run`", "`models list`", "`threshold set`", "`bench-gateway`", "`bench-latency`"}) {
            assertTrue(table.contains("| " + command + " | "), command + " has a row:\n" + table);
        }
    }
}
