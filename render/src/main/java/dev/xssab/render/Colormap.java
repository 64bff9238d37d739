package dev.xssab.render;

/** A colour scale from 0 to 1, linearly interpolated between ColorBrewer anchors (as matplotlib's). */
public enum Colormap {
    /** Sequential greens, for positive arguments. */
    GREENS(0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x006d2c, 0x00441b),
    /** Sequential reds, for negative arguments. */
    REDS(0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0xa50f15, 0x67000d),
    /** Diverging red-yellow-green, for the combined map: 0.5 is a zero argument. */
    RD_YL_GN(0xa50026, 0xd73027, 0xf46d43, 0xfdae61, 0xfee08b, 0xffffbf, 0xd9ef8b, 0xa6d96a, 0x66bd63, 0x1a9850,
            0x006837);

    private final int[] anchors;

    Colormap(int... anchors) {
        this.anchors = anchors;
    }

    /** RGB (0xRRGGBB) at position v in [0,1]; values outside are clamped. */
    public int rgb(double v) {
        double x = Math.max(0, Math.min(1, v)) * (anchors.length - 1);
        int i = Math.min(anchors.length - 2, (int) Math.floor(x));
        double f = x - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return (r << 16) | (g << 8) | bl;
    }
}
