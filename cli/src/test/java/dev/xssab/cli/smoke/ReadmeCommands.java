package dev.xssab.cli.smoke;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * The commands of README.md's command table (between its commands markers), as the smoke tests'
 * list of what must be covered: a row the README gains without a smoke entry fails, by its name.
 */
final class ReadmeCommands {
    private static final String BEGIN = "<!-- commands:begin -->";
    private static final String END = "<!-- commands:end -->";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9 -]+)` \\|", Pattern.MULTILINE);

    private ReadmeCommands() {}

    /** Every command path of the table, in its order ("models", "models list", ...). */
    static List<String> paths() {
        Path readme = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md");
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command table of " + readme.toAbsolutePath(), e);
        }
        int start = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(start >= 0 && end > start, readme + " has the markers " + BEGIN + " and " + END);
        List<String> paths = new ArrayList<>();
        Matcher row = ROW.matcher(text.substring(start, end));
        while (row.find()) {
            paths.add(row.group(1));
        }
        assertFalse(paths.isEmpty(), "no command rows between the markers of " + readme);
        return paths;
    }

    /** A command path as the arguments that name it. */
    static List<String> words(String path) {
        return Arrays.asList(path.split(" "));
    }

    /**
     * One dynamic test per README row, named after the command, running its entry; a row without an
     * entry fails naming itself, and so does an entry without a row (a command the README lost).
     */
    static Stream<DynamicTest> tests(String suite, Map<String, ? extends Executable> entries, Function<String, String> display) {
        List<String> rows = paths();
        Set<String> unknown = new LinkedHashSet<>(entries.keySet());
        rows.forEach(unknown::remove);
        Stream<DynamicTest> covered = entries.entrySet().stream().filter(e -> rows.contains(e.getKey()))
                .map(e -> DynamicTest.dynamicTest(display.apply(e.getKey()), e.getValue()));
        Stream<DynamicTest> missing = rows.stream().filter(r -> !entries.containsKey(r))
                .map(r -> DynamicTest.dynamicTest(display.apply(r), () -> fail("README.md's command table has `" + r
                        + "`, but " + suite + " has no smoke entry for it: add one")));
        Stream<DynamicTest> stale = unknown.stream().map(u -> DynamicTest.dynamicTest(display.apply(u), () -> fail(suite
                + " has a smoke entry for `" + u + "`, which README.md's command table does not list")));
        return Stream.of(covered, missing, stale).flatMap(s -> s);
    }
}
