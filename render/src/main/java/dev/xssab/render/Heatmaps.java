package dev.xssab.render;

import dev.xssab.schemas.RgbImage;
import java.awt.image.BufferedImage;

/** Maps to images. Scaling is explicit so that pictures that are compared share one scale. */
public final class Heatmaps {
    /**
     * Largest weight of the heatmap in an overlay, reached where the map is strongest; weak
     * pixels show the face (in grey, so the colours stay readable) rather than a colour wash.
     */
    static final double OVERLAY_ALPHA = 0.85;

    private Heatmaps() {}

    /** A non-negative map scaled by {@code max} (values at or above it get the darkest colour). */
    public static BufferedImage sequential(float[] map, int w, int h, double max, Colormap cmap) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double scale = max > 0 ? max : 1;
        for (int i = 0; i < map.length; i++) {
            img.setRGB(i % w, i / w, cmap.rgb(map[i] / scale));
        }
        return img;
    }

    /** A signed map on a diverging scale symmetric around 0: -maxAbs is red, +maxAbs is green. */
    public static BufferedImage diverging(float[] map, int w, int h, double maxAbs) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double scale = maxAbs > 0 ? maxAbs : 1;
        for (int i = 0; i < map.length; i++) {
            img.setRGB(i % w, i / w, Colormap.RD_YL_GN.rgb(0.5 + 0.5 * map[i] / scale));
        }
        return img;
    }

    /** The heatmap blended over the face shown in grey, more opaque where |map| / scale is larger. */
    public static BufferedImage overlay(BufferedImage heat, float[] map, double scale, RgbImage face) {
        int w = face.width();
        int h = face.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double grey = 0.299 * face.get(x, y, 0) + 0.587 * face.get(x, y, 1) + 0.114 * face.get(x, y, 2);
                int c = heat.getRGB(x, y);
                double alpha = OVERLAY_ALPHA * Math.sqrt(Math.min(1, Math.abs(map[y * w + x]) / (scale > 0 ? scale : 1)));
                int r = blend((c >> 16) & 0xff, grey, alpha);
                int g = blend((c >> 8) & 0xff, grey, alpha);
                int b = blend(c & 0xff, grey, alpha);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static int blend(int heat, double grey, double alpha) {
        return (int) Math.round(alpha * heat + (1 - alpha) * grey);
    }

    public static BufferedImage face(RgbImage face) {
        BufferedImage out = new BufferedImage(face.width(), face.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < face.height(); y++) {
            for (int x = 0; x < face.width(); x++) {
                out.setRGB(x, y, (face.get(x, y, 0) << 16) | (face.get(x, y, 1) << 8) | face.get(x, y, 2));
            }
        }
        return out;
    }

    static double max(float[]... maps) {
        double m = 0;
        for (float[] map : maps) {
            for (float v : map) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }
}
