package dev.xssab.faces.image;

import dev.xssab.schemas.RgbImage;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Small image operations on {@link RgbImage}s: resampling by OpenCV, crops by copying. */
public final class ImageOps {
    private ImageOps() {}

    /**
     * Resizes with OpenCV: area averaging when shrinking (antialiased, INTER_AREA), bilinear when
     * enlarging.
     */
    public static RgbImage resize(RgbImage in, int outW, int outH) {
        if (outW == in.width() && outH == in.height()) {
            return in;
        }
        boolean shrinking = outW <= in.width() && outH <= in.height();
        Mat src = OpenCv.toMat(in);
        Mat dst = new Mat();
        try {
            Imgproc.resize(src, dst, new Size(outW, outH), 0, 0, shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            return OpenCv.toRgb(dst);
        } finally {
            src.release();
            dst.release();
        }
    }

    /**
     * Averages non-overlapping {@code factor x factor} blocks (INTER_AREA at an integer factor is
     * exactly that): a cheap antialiased reduction for large photos before any finer resampling.
     */
    public static RgbImage reduce(RgbImage in, int factor) {
        return factor <= 1 ? in : resize(in, in.width() / factor, in.height() / factor);
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
