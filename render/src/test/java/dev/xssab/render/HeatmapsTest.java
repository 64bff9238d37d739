package dev.xssab.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The paper's colours: positive arguments green, negative red, the combined map symmetric around zero. */
class HeatmapsTest {
    @Test
    void theDivergingScaleIsRedBelowZeroYellowAtZeroAndGreenAbove() {
        BufferedImage img = Heatmaps.diverging(new float[] {-2f, 0f, 2f}, 3, 1, 2);
        assertEquals(0xa50026, img.getRGB(0, 0) & 0xffffff, "-maxAbs is the scale's red end");
        assertEquals(0xffffbf, img.getRGB(1, 0) & 0xffffff, "zero is the neutral middle");
        assertEquals(0x006837, img.getRGB(2, 0) & 0xffffff, "+maxAbs is the scale's green end");
    }

    @Test
    void aSequentialMapScalesByItsMaximumAndClamps() {
        BufferedImage img = Heatmaps.sequential(new float[] {0f, 0.5f, 1f, 3f}, 2, 2, 1, Colormap.GREENS);
        assertEquals(0xf7fcf5, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0x00441b, img.getRGB(0, 1) & 0xffffff, "the maximum is the darkest green");
        assertEquals(img.getRGB(0, 1), img.getRGB(1, 1), "values above the maximum are clamped");
        int mid = img.getRGB(1, 0) & 0xffffff;
        assertTrue(((mid >> 8) & 0xff) > ((mid >> 16) & 0xff), "a half-strength argument is still green");
    }
}
