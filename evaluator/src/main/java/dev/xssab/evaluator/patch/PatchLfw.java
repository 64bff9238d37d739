package dev.xssab.evaluator.patch;

import dev.xssab.schemas.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Patch-LFW as in the reference protocol. Into the first (aligned 112x112) image of a pair, 27
 * patches of 16x16 are pasted at positions with the left column uniform in [0,96) and the bottom
 * row uniform in [16,112). Impostor pairs take the patches from the pair's second image at the
 * same place; genuine pairs take them from one randomly chosen image of a different identity.
 *
 * <p>Deterministic: each pair has its own generator seeded from (seed, pair index), so a pair's
 * patches do not depend on which other pairs are generated or in which order.
 */
public final class PatchLfw {
    public static final int PATCHES = 27;
    public static final int PATCH_SIZE = 16;

    private PatchLfw() {}

    /** One pasted patch: its top-left corner and the index of the image it came from. */
    public record Patch(int x, int y, int sourceImage) {}

    /** Image 1 with the patches in, and where they came from. */
    public record Patched(RgbImage image, List<Patch> patches, int sourceImage) {}

    /**
     * @param pairIndex index of the pair, mixed into the seed
     * @param first the pair's first image (aligned)
     * @param second the pair's second image (aligned)
     * @param genuine whether the pair shows the same person
     * @param candidates indices of images of other identities (for genuine pairs), never empty then
     * @param imageById aligned image by index, for the genuine source
     */
    public static Patched patch(long seed, int pairIndex, RgbImage first, int secondIndex, RgbImage second, boolean genuine,
            List<Integer> candidates, java.util.function.IntFunction<RgbImage> imageById) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + pairIndex);
        int sourceIndex;
        RgbImage source;
        if (genuine) {
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("pair " + pairIndex + " is genuine but no image of another identity exists");
            }
            sourceIndex = candidates.get(rnd.nextInt(candidates.size()));
            source = imageById.apply(sourceIndex);
        } else {
            sourceIndex = secondIndex;
            source = second;
        }
        if (source.width() != first.width() || source.height() != first.height()) {
            throw new IllegalArgumentException("patch source and target differ in size");
        }
        byte[] out = first.rgb().clone();
        int w = first.width();
        List<Patch> patches = new ArrayList<>(PATCHES);
        for (int k = 0; k < PATCHES; k++) {
            int x = rnd.nextInt(w - PATCH_SIZE);                        // [0, 96) for 112
            int bottom = PATCH_SIZE + rnd.nextInt(first.height() - PATCH_SIZE); // [16, 112)
            int y = bottom - PATCH_SIZE;
            for (int row = y; row < bottom; row++) {
                System.arraycopy(source.rgb(), (row * w + x) * 3, out, (row * w + x) * 3, PATCH_SIZE * 3);
            }
            patches.add(new Patch(x, y, sourceIndex));
        }
        return new Patched(new RgbImage(w, first.height(), out), List.copyOf(patches), sourceIndex);
    }
}
