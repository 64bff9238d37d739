package dev.xssab.chaos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The face photos of a folder that a bench runs on, by name order, so that two runs see the same photos in the same order. */
public final class FacePhotos {
    /** JPEG, PNG and BMP files. */
    public static final String JPEG_PNG_BMP = "(?i).*\\.(jpe?g|png|bmp)$";
    /** JPEG and PNG files. */
    public static final String JPEG_PNG = "(?i).*\\.(jpe?g|png)$";

    private FacePhotos() {}

    /** The files of {@code folder} whose names match {@code pattern}, sorted. */
    public static List<Path> list(Path folder, String pattern) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().matches(pattern)).sorted().toList();
        }
    }

    /** Their bytes, in the same order. */
    public static List<byte[]> read(List<Path> files) throws IOException {
        List<byte[]> photos = new ArrayList<>();
        for (Path f : files) {
            photos.add(Files.readAllBytes(f));
        }
        return photos;
    }
}
