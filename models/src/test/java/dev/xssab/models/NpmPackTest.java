package dev.xssab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball reader on a tarball written here: only the wanted entries, flat, whatever their path's length. */
class NpmPackTest {
    @TempDir
    Path tmp;

    private Path tarball(Map<String, String> files) throws Exception {
        Path tgz = tmp.resolve("pkg.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.putArchiveEntry(new TarArchiveEntry("package/model/"));
            tar.closeArchiveEntry();
            for (var f : files.entrySet()) {
                byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    @Test
    void onlyTheWantedEntriesAreWrittenUnderTheirFileNames() throws Exception {
        String longPath = "package/" + "deep/".repeat(30) + "weights.bin";
        Path tgz = tarball(Map.of(ModelFile.FR_DETECT.tarEntry(), "detector", "package/README.md", "readme", longPath, "far down"));
        Path into = Files.createDirectories(tmp.resolve("out"));
        NpmPack.extract(tgz, Map.of(ModelFile.FR_DETECT.tarEntry(), ModelFile.FR_DETECT, longPath, ModelFile.FR_LANDMARK), into);
        try (var listing = Files.list(into)) {
            assertEquals(List.of(ModelFile.FR_DETECT.fileName(), ModelFile.FR_LANDMARK.fileName()),
                    listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("detector", Files.readString(into.resolve(ModelFile.FR_DETECT.fileName())));
        assertEquals("far down", Files.readString(into.resolve(ModelFile.FR_LANDMARK.fileName())));
        assertTrue(longPath.length() > 100, "the path needs the long-name extension");
    }
}
