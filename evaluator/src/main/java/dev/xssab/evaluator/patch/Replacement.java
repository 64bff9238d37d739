package dev.xssab.evaluator.patch;

import dev.xssab.schemas.RgbImage;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Pixel replacement: put the original pixels back into the patched image 1 at XX% of its pixels.
 * <ul>
 *   <li>best_worst: if the patched pair scored below t, at the XX% lowest values of the combined
 *       map (the pixels arguing most against a match); otherwise at the XX% highest;</li>
 *   <li>random: at XX% random pixels, in an order seeded per pair (so the sets nest as XX grows).</li>
 * </ul>
 * The number of pixels is round(XX/100 * H * W). Ties in the map are broken by pixel index.
 */
public final class Replacement {
    public enum Strategy {
        BEST_WORST, RANDOM;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private Replacement() {}

    public static int pixelCount(int percent, int width, int height) {
        return (int) Math.round(percent / 100.0 * width * height);
    }

    /** Pixel indices in best_worst order: ascending map values if the pair scored below t, else descending. */
    public static int[] bestWorstOrder(float[] combined, boolean scoredBelowThreshold) {
        Comparator<Integer> ascending = Comparator.<Integer>comparingDouble(i -> combined[i]).thenComparingInt(i -> i);
        Comparator<Integer> order = scoredBelowThreshold ? ascending
                : Comparator.<Integer>comparingDouble(i -> -combined[i]).thenComparingInt(i -> i);
        return IntStream.range(0, combined.length).boxed().sorted(order).mapToInt(Integer::intValue).toArray();
    }

    /** A seeded random permutation of the pixel indices (Fisher-Yates). */
    public static int[] randomOrder(int pixels, long seed, int pairIndex) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 31L * pairIndex + 17);
        int[] order = IntStream.range(0, pixels).toArray();
        for (int i = pixels - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The patched image with the first round(XX%) pixels of {@code order} restored from the original. */
    public static RgbImage restore(RgbImage original, RgbImage patched, int[] order, int percent) {
        int n = pixelCount(percent, original.width(), original.height());
        byte[] out = patched.rgb().clone();
        for (int k = 0; k < n; k++) {
            int p = order[k] * 3;
            out[p] = original.rgb()[p];
            out[p + 1] = original.rgb()[p + 1];
            out[p + 2] = original.rgb()[p + 2];
        }
        return new RgbImage(patched.width(), patched.height(), out);
    }
}
