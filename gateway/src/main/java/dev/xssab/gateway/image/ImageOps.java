package dev.xssab.gateway.image;

import dev.xssab.schemas.RgbImage;

/** Small, allocation-explicit image operations on float planes and {@link RgbImage}s. */
public final class ImageOps {
    private ImageOps() {}

    /**
     * Resizes with area averaging when shrinking (antialiased, like OpenCV's INTER_AREA) and
     * bilinear interpolation when enlarging, separately per axis. The horizontal pass reads the
     * bytes directly, so a large photo is never converted to floats whole.
     */
    public static RgbImage resize(RgbImage in, int outW, int outH) {
        int w = in.width();
        int h = in.height();
        Taps tx = taps(w, outW);
        byte[] src = in.rgb();
        float[] horizontal = new float[outW * h * 3];
        for (int y = 0; y < h; y++) {
            int row = y * w * 3;
            int orow = y * outW * 3;
            for (int x = 0; x < outW; x++) {
                float r = 0, g = 0, b = 0;
                int[] idx = tx.index[x];
                float[] wt = tx.weight[x];
                for (int k = 0; k < idx.length; k++) {
                    int p = row + idx[k] * 3;
                    r += wt[k] * (src[p] & 0xff);
                    g += wt[k] * (src[p + 1] & 0xff);
                    b += wt[k] * (src[p + 2] & 0xff);
                }
                horizontal[orow + x * 3] = r;
                horizontal[orow + x * 3 + 1] = g;
                horizontal[orow + x * 3 + 2] = b;
            }
        }
        Taps ty = taps(h, outH);
        byte[] out = new byte[outW * outH * 3];
        int stride = outW * 3;
        float[] acc = new float[stride];
        for (int y = 0; y < outH; y++) {
            java.util.Arrays.fill(acc, 0);
            int[] idx = ty.index[y];
            float[] wt = ty.weight[y];
            for (int k = 0; k < idx.length; k++) {
                int row = idx[k] * stride;
                float weight = wt[k];
                for (int i = 0; i < stride; i++) {
                    acc[i] += weight * horizontal[row + i];
                }
            }
            for (int i = 0; i < stride; i++) {
                out[y * stride + i] = (byte) Math.min(255, Math.max(0, Math.round(acc[i])));
            }
        }
        return new RgbImage(outW, outH, out);
    }

    /**
     * Averages non-overlapping {@code factor x factor} blocks: an exact, cheap antialiased
     * reduction for large photos before any finer resampling.
     */
    public static RgbImage reduce(RgbImage in, int factor) {
        if (factor <= 1) {
            return in;
        }
        int w = in.width() / factor;
        int h = in.height() / factor;
        byte[] src = in.rgb();
        byte[] out = new byte[3 * w * h];
        int[] acc = new int[3 * w];
        int area = factor * factor;
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            for (int dy = 0; dy < factor; dy++) {
                int row = (y * factor + dy) * in.width() * 3;
                for (int x = 0; x < w; x++) {
                    int p = row + x * factor * 3;
                    for (int dx = 0; dx < factor; dx++, p += 3) {
                        acc[3 * x] += src[p] & 0xff;
                        acc[3 * x + 1] += src[p + 1] & 0xff;
                        acc[3 * x + 2] += src[p + 2] & 0xff;
                    }
                }
            }
            for (int i = 0; i < 3 * w; i++) {
                out[y * 3 * w + i] = (byte) ((acc[i] + area / 2) / area);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Per output index: the source indices and weights that make it up. */
    private record Taps(int[][] index, float[][] weight) {}

    private static Taps taps(int inLen, int outLen) {
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
                idx[o] = new int[] {Math.max(0, Math.min(inLen - 1, s0)), Math.max(0, Math.min(inLen - 1, s0 + 1))};
                wts[o] = new float[] {(float) (1 - f), (float) f};
            }
        }
        return new Taps(idx, wts);
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
