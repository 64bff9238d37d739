package dev.xssab.cli.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Small folders of the shared deepface faces, so that each command does little work: the smoke IT times every command once. */
final class SmokeData {
    /**
     * Two genuine and two impostor pairs of pairs.csv (img1/img2 is a genuine one, img3/img1 an impostor one): a
     * dataset for csv:DIR, calibrate, evaluate and bench-latency, its images linked to the shared ones.
     */
    static final List<String> PAIRS = List.of("img1.jpg,img2.jpg,Yes", "img20.jpg,img21.jpg,Yes", "img3.jpg,img1.jpg,No",
            "img20.jpg,img16.jpg,No");

    private SmokeData() {}

    static Path smallDataset(Path faces, Path dir) throws IOException {
        Files.createDirectories(dir);
        Set<String> images = new LinkedHashSet<>();
        for (String pair : PAIRS) {
            String[] fields = pair.split(",");
            images.add(fields[0]);
            images.add(fields[1]);
        }
        for (String image : images) {
            Files.createSymbolicLink(dir.resolve(image), faces.resolve(image));
        }
        Files.writeString(dir.resolve("pairs.csv"), "file_x,file_y,Decision\n" + String.join("\n", PAIRS) + "\n");
        return dir;
    }

    /** A folder of two face photos: the benches need at least two. */
    static Path twoFaces(Path faces, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String image : List.of("img1.jpg", "img2.jpg")) {
            Files.createSymbolicLink(dir.resolve(image), faces.resolve(image));
        }
        return dir;
    }
}
