package dev.xssab.evaluator.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Images with identities and labelled pairs over them.
 *
 * @param name short name, used in run tags and reports
 * @param images every image the pairs use, with its identity
 * @param pairs pairs as indices into {@code images}
 * @param aligned the images already are aligned crops of the model's input size: detection is
 *     skipped, and an image of another size is an error (never resized)
 */
public record Dataset(String name, List<Image> images, List<Pair> pairs, boolean aligned) {
    /** One image file and who is on it. */
    public record Image(Path file, String identity) {}

    /**
     * Two images and whether they show the same person.
     *
     * @param patchedFirst a Patch-LFW on disk: the patched image 1 to replay (no patches are made); else null
     */
    public record Pair(int first, int second, boolean genuine, Path patchedFirst) {
        public Pair(int first, int second, boolean genuine) {
            this(first, second, genuine, null);
        }
    }
}
