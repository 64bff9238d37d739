package dev.xssab.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared test data. Under CI=true missing data fails the test (CI lays shared/ beside
 * the clone, so a miss is a real fault); elsewhere the test is skipped with the reason.
 */
public final class SharedData {
    private SharedData() {}

    public static Path sharedDir() {
        String configured = System.getProperty("xssab.shared.dir");
        return Path.of(configured != null ? configured : "../shared").toAbsolutePath().normalize();
    }

    /** ../shared/faces/deepface with its 25 photos and pairs.csv. */
    public static Path deepface() {
        Path dir = sharedDir().resolve("faces").resolve("deepface");
        require(Files.isRegularFile(dir.resolve("pairs.csv")), "shared faces not found at " + dir);
        return dir;
    }

    private static void require(boolean present, String why) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI=true: shared data must be present)");
        }
        assumeTrue(false, why + "; skipping (set -Dxssab.shared.dir or lay shared/ beside the repo)");
    }
}
