package dev.xssab.models;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the project keeps its state outside git: {@code ${XSSAB_HOME:-~/.cache/xssab}}. */
public final class XssabHome {
    private XssabHome() {}

    public static Path dir() {
        String configured = System.getenv("XSSAB_HOME");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("xssab.home");
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "xssab");
    }
}
