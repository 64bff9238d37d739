package dev.xssab.evaluator.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Images with identities and labelled pairs over them.
 *
 * @param name short name, used in run tags and reports
 * @param images every image the pairs use, with its identity
 * @param pairs pairs as indices into {@code images}
 */
public record Dataset(String name, List<Image> images, List<Pair> pairs) {
    /** One image file and who is on it. */
    public record Image(Path file, String identity) {}

    /** Two images and whether they show the same person. */
    public record Pair(int first, int second, boolean genuine) {}

    public long genuineCount() {
        return pairs.stream().filter(Pair::genuine).count();
    }
}
