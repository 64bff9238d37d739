package dev.xssab.faces;

import dev.xssab.faces.image.ImageOps;
import dev.xssab.faces.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import dev.xssab.schemas.RgbImage;

/** Warps a face onto a template by a least-squares similarity transform of its 5 landmarks. */
public final class FaceAligner {
    /** Beyond this shrink factor bilinear sampling aliases; the face region is area-reduced first. */
    static final double MAX_DIRECT_SHRINK = 1.3;

    private final int width;
    private final int height;
    private final double[][] template;

    public FaceAligner(int width, int height, double[][] template) {
        this.width = width;
        this.height = height;
        this.template = template;
    }

    public AlignedFace align(RgbImage image, Detection box, double[][] points) {
        SimilarityTransform t = SimilarityTransform.fit(points, template);
        RgbImage source = image;
        double[][] sourcePoints = points;
        if (t.scale() < 1 / MAX_DIRECT_SHRINK) {
            // Cut out just the region the output will sample, shrink it by area averaging to
            // about the output scale, and fit again in the shrunk coordinates.
            SimilarityTransform inv = t.inverse();
            double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
            for (double[] c : new double[][] {{0, 0}, {width, 0}, {0, height}, {width, height}}) {
                double[] p = inv.apply(c[0], c[1]);
                minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
            }
            int x0 = (int) Math.floor(minX) - 2;
            int y0 = (int) Math.floor(minY) - 2;
            int cw = (int) Math.ceil(maxX) + 2 - x0;
            int ch = (int) Math.ceil(maxY) + 2 - y0;
            int sw = Math.max(1, (int) Math.round(cw * t.scale()));
            int sh = Math.max(1, (int) Math.round(ch * t.scale()));
            source = ImageOps.resize(ImageOps.cropPadded(image, x0, y0, cw, ch), sw, sh);
            double fx = (double) sw / cw;
            double fy = (double) sh / ch;
            sourcePoints = new double[points.length][];
            for (int i = 0; i < points.length; i++) {
                // Pixel centres: x_src + 0.5 maps to (x_shrunk + 0.5) / f.
                sourcePoints[i] = new double[] {(points[i][0] - x0 + 0.5) * fx - 0.5, (points[i][1] - y0 + 0.5) * fy - 0.5};
            }
            t = SimilarityTransform.fit(sourcePoints, template);
        }
        RgbImage warped = warp(source, t);
        double[][] aligned = new double[sourcePoints.length][];
        for (int i = 0; i < sourcePoints.length; i++) {
            aligned[i] = t.apply(sourcePoints[i][0], sourcePoints[i][1]);
        }
        return new AlignedFace(warped, box, points, aligned, t.rmsError(sourcePoints, template));
    }

    /** OpenCV's bilinear warp of the source onto the template; samples outside the source are black. */
    private RgbImage warp(RgbImage src, SimilarityTransform srcToOut) {
        double[] o = srcToOut.apply(0, 0);
        double[] ex = srcToOut.apply(1, 0);
        double[] ey = srcToOut.apply(0, 1);
        Mat m = new Mat(2, 3, CvType.CV_64F);
        m.put(0, 0, ex[0] - o[0], ey[0] - o[0], o[0], ex[1] - o[1], ey[1] - o[1], o[1]);
        Mat in = OpenCv.toMat(src);
        Mat out = new Mat();
        try {
            Imgproc.warpAffine(in, out, m, new Size(width, height), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            return OpenCv.toRgb(out);
        } finally {
            m.release();
            in.release();
            out.release();
        }
    }
}
