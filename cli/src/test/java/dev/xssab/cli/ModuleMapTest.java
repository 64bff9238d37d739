package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's module map names exactly the modules of the root pom, in the pom's order. */
class ModuleMapTest {
    static final String BEGIN = "<!-- modules:begin -->\n";
    static final String END = "<!-- modules:end -->";
    private static final Pattern POM_MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    /** A row of the map: {@code | `name/` | what it holds |}. */
    private static final Pattern MAP_ROW = Pattern.compile("(?m)^\\| `([^`/]+)/?` \\|");

    @Test
    void theReadmeMapListsExactlyThePomModulesInOrder() throws Exception {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
        List<String> pomModules = matches(POM_MODULE, Files.readString(root.resolve("pom.xml")));
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has the markers " + BEGIN.strip() + " and " + END);
        List<String> mapModules = matches(MAP_ROW, readme.substring(start + BEGIN.length(), end));
        assertTrue(pomModules.size() > 1, "the root pom lists its modules: " + pomModules);
        assertEquals(pomModules, mapModules, "README.md's module map (between the markers) must have one row | `module/` | ... |"
                + " per <module> of the root pom.xml, in the pom's order");
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
