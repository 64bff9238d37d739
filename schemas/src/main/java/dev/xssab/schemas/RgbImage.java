package dev.xssab.schemas;

/**
 * An 8-bit RGB image, interleaved row-major ({@code rgb[(y*width + x)*3 + c]}).
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb 3*width*height bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("bad image buffer " + width + "x" + height + " / " + rgb.length);
        }
    }

    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    /** Channel-planar floats (CHW) with {@code (v - mean[c]) / std[c]}; BGR order if asked. */
    public float[] toChw(float[] mean, float[] std, boolean bgr) {
        int n = width * height;
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                int src = bgr ? 2 - c : c;
                out[c * n + i] = ((rgb[i * 3 + src] & 0xff) - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** Luma (BT.601 weights, as OpenCV's RGB2GRAY) as floats 0..255. */
    public float[] toGrey() {
        int n = width * height;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = 0.299f * (rgb[i * 3] & 0xff) + 0.587f * (rgb[i * 3 + 1] & 0xff) + 0.114f * (rgb[i * 3 + 2] & 0xff);
        }
        return out;
    }
}
