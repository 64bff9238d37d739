package dev.xssab.evaluator.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.schemas.RgbImage;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplacementTest {
    static RgbImage filled(int v) {
        byte[] b = new byte[112 * 112 * 3];
        java.util.Arrays.fill(b, (byte) v);
        return new RgbImage(112, 112, b);
    }

    static int restored(RgbImage img) {
        int n = 0;
        for (int i = 0; i < 112 * 112; i++) {
            n += (img.rgb()[3 * i] & 0xff) == 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void exactlyRoundedPercentOfPixelsComeBackAtEveryStep() {
        RgbImage original = filled(0);
        RgbImage patched = filled(255);
        int[] order = Replacement.randomOrder(112 * 112, 3, 9);
        for (int percent = 5; percent <= 95; percent += 5) {
            int expected = (int) Math.round(percent / 100.0 * 112 * 112);
            assertEquals(expected, restored(Replacement.restore(original, patched, order, percent)), percent + "%");
        }
    }

    @Test
    void bestWorstPicksTheExtremesOnTheSideOfTheDecision() {
        Random r = new Random(5);
        float[] map = new float[112 * 112];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) r.nextGaussian();
        }
        float[] sorted = map.clone();
        java.util.Arrays.sort(sorted);
        int n = Replacement.pixelCount(10, 112, 112);
        int[] below = Replacement.bestWorstOrder(map, true);
        int[] above = Replacement.bestWorstOrder(map, false);
        for (int k = 0; k < n; k++) {
            assertTrue(map[below[k]] <= sorted[n - 1], "scored below t: the lowest 10% come back");
            assertTrue(map[above[k]] >= sorted[sorted.length - n], "scored above t: the highest 10% come back");
        }
        assertEquals(sorted[0], map[below[0]]);
        assertEquals(sorted[sorted.length - 1], map[above[0]]);
    }

    @Test
    void randomOrderIsSeededPerPairAndNests() {
        assertArrayEquals(Replacement.randomOrder(1000, 1, 4), Replacement.randomOrder(1000, 1, 4));
        int[] a = Replacement.randomOrder(1000, 1, 4);
        int[] b = Replacement.randomOrder(1000, 1, 5);
        assertTrue(!java.util.Arrays.equals(a, b), "another pair, another order");
        Set<Integer> seen = new HashSet<>();
        for (int v : a) {
            seen.add(v);
        }
        assertEquals(1000, seen.size(), "a permutation");
    }
}
