package dev.xssab.evaluator.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.schemas.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchLfwTest {
    /** Image i has every byte equal to 10*i+1, so a pixel's value tells which image it came from. */
    static RgbImage flat(int i) {
        byte[] b = new byte[112 * 112 * 3];
        java.util.Arrays.fill(b, (byte) (10 * i + 1));
        return new RgbImage(112, 112, b);
    }

    static final String[] IDENTITY = {"a", "a", "b", "c", "c", "d"};

    static List<Integer> otherIdentities(int image) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < IDENTITY.length; i++) {
            if (!IDENTITY[i].equals(IDENTITY[image])) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void deterministicFromTheSeedAndIndependentOfOrder() {
        var a = PatchLfw.patch(42, 7, flat(0), 1, flat(1), true, otherIdentities(0), PatchLfwTest::flat);
        var b = PatchLfw.patch(42, 7, flat(0), 1, flat(1), true, otherIdentities(0), PatchLfwTest::flat);
        assertArrayEquals(a.image().rgb(), b.image().rgb());
        assertEquals(a.patches(), b.patches());
        var other = PatchLfw.patch(43, 7, flat(0), 1, flat(1), true, otherIdentities(0), PatchLfwTest::flat);
        assertNotEquals(a.patches(), other.patches());
    }

    @Test
    void patchesHaveTheProtocolsCountSizePositionsAndSources() {
        for (int pair = 0; pair < 200; pair++) {
            boolean genuine = pair % 2 == 0;
            int first = genuine ? 0 : 2;
            int second = genuine ? 1 : 3;
            var p = PatchLfw.patch(1, pair, flat(first), second, flat(second), genuine, otherIdentities(first), PatchLfwTest::flat);
            assertEquals(27, p.patches().size());
            for (var patch : p.patches()) {
                assertTrue(patch.x() >= 0 && patch.x() < 96, "column " + patch.x());
                int bottom = patch.y() + 16;
                assertTrue(bottom >= 16 && bottom < 112, "bottom row " + bottom);
                assertEquals(p.sourceImage(), patch.sourceImage(), "one source image per pair");
            }
            if (genuine) {
                assertNotEquals(IDENTITY[first], IDENTITY[p.sourceImage()], "genuine patches never come from the same identity");
            } else {
                assertEquals(second, p.sourceImage(), "impostor patches come from the second image");
            }
            // Every pixel is either untouched or from the source, and exactly the union of the patches changed.
            boolean[] covered = new boolean[112 * 112];
            p.patches().forEach(q -> {
                for (int y = q.y(); y < q.y() + 16; y++) {
                    for (int x = q.x(); x < q.x() + 16; x++) {
                        covered[y * 112 + x] = true;
                    }
                }
            });
            for (int i = 0; i < covered.length; i++) {
                int expected = covered[i] ? 10 * p.sourceImage() + 1 : 10 * first + 1;
                assertEquals(expected, p.image().rgb()[3 * i] & 0xff, "pixel " + i);
            }
        }
    }
}
