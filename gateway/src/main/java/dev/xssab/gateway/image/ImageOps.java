package dev.xssab.gateway.image;

import dev.xssab.schemas.RgbImage;

/** Small, allocation-explicit image operations on float planes and {@link RgbImage}s. */
public final class ImageOps {
    private ImageOps() {}

    /**
     * Resizes with area averaging when shrinking (antialiased, like OpenCV's INTER_AREA) and
     * bilinear interpolation when enlarging, separately per axis.
     */
    public static RgbImage resize(RgbImage in, int outW, int outH) {
        float[] planes = new float[in.rgb().length];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = in.rgb()[i] & 0xff;
        }
        float[] horizontal = resizeAxis(planes, in.width(), in.height(), 3, outW, true);
        float[] both = resizeAxis(horizontal, outW, in.height(), 3, outH, false);
        byte[] out = new byte[both.length];
        for (int i = 0; i < both.length; i++) {
            out[i] = (byte) Math.min(255, Math.max(0, Math.round(both[i])));
        }
        return new RgbImage(outW, outH, out);
    }

    /** Resizes an interleaved float image of {@code channels} along one axis. */
    static float[] resizeAxis(float[] in, int w, int h, int channels, int outLen, boolean alongX) {
        int inLen = alongX ? w : h;
        int outW = alongX ? outLen : w;
        int outH = alongX ? h : outLen;
        float[] out = new float[outW * outH * channels];
        if (inLen == outLen) {
            System.arraycopy(in, 0, out, 0, in.length);
            return out;
        }
        // Per output index: the source indices and weights that make it up.
        int[][] idx = new int[outLen][];
        float[][] wts = new float[outLen][];
        double scale = (double) inLen / outLen;
        for (int o = 0; o < outLen; o++) {
            if (scale > 1) {
                double start = o * scale;
                double end = start + scale;
                int first = (int) Math.floor(start);
                int last = Math.min(inLen - 1, (int) Math.ceil(end) - 1);
                idx[o] = new int[last - first + 1];
                wts[o] = new float[last - first + 1];
                for (int s = first; s <= last; s++) {
                    double overlap = Math.min(end, s + 1) - Math.max(start, s);
                    idx[o][s - first] = s;
                    wts[o][s - first] = (float) (overlap / scale);
                }
            } else {
                double src = (o + 0.5) * scale - 0.5;
                int s0 = (int) Math.floor(src);
                double f = src - s0;
                int a = Math.max(0, Math.min(inLen - 1, s0));
                int b = Math.max(0, Math.min(inLen - 1, s0 + 1));
                idx[o] = new int[] {a, b};
                wts[o] = new float[] {(float) (1 - f), (float) f};
            }
        }
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = alongX ? x : y;
                for (int c = 0; c < channels; c++) {
                    float acc = 0;
                    for (int k = 0; k < idx[o].length; k++) {
                        int sx = alongX ? idx[o][k] : x;
                        int sy = alongX ? y : idx[o][k];
                        acc += wts[o][k] * in[(sy * w + sx) * channels + c];
                    }
                    out[(y * outW + x) * channels + c] = acc;
                }
            }
        }
        return out;
    }

    /**
     * Copies the rectangle {@code [x0, x0+w) x [y0, y0+h)}; parts outside the image are black, so
     * a crop around a face at the edge keeps the face where the caller expects it.
     */
    public static RgbImage cropPadded(RgbImage in, int x0, int y0, int w, int h) {
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            int sy = y0 + y;
            if (sy < 0 || sy >= in.height()) {
                continue;
            }
            int from = Math.max(0, -x0);
            int to = Math.min(w, in.width() - x0);
            if (to > from) {
                System.arraycopy(in.rgb(), (sy * in.width() + x0 + from) * 3, out, (y * w + from) * 3, (to - from) * 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Adds a black border of {@code border} pixels on every side. */
    public static RgbImage pad(RgbImage in, int border) {
        return cropPadded(in, -border, -border, in.width() + 2 * border, in.height() + 2 * border);
    }
}
