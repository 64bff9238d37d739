package dev.xssab.faces.image;

import dev.xssab.schemas.RgbImage;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * OpenCV (org.openpnp's build, natives inside the jar, libjpeg-turbo) loaded once, and the one
 * place where an RgbImage becomes a Mat and back.
 */
public final class OpenCv {
    static {
        nu.pattern.OpenCV.loadLocally();
    }

    private OpenCv() {}

    /** Loads the natives now (the class initialiser does); call it where start-up cost should go. */
    public static void load() {
        // the static initialiser has run
    }

    /** An 8-bit 3-channel Mat holding the image's RGB bytes (the caller releases it). */
    public static Mat toMat(RgbImage image) {
        Mat m = new Mat(image.height(), image.width(), CvType.CV_8UC3);
        m.put(0, 0, image.rgb());
        return m;
    }

    /** The RGB image of an 8-bit 3-channel RGB Mat. */
    public static RgbImage toRgb(Mat rgb) {
        byte[] out = new byte[rgb.rows() * rgb.cols() * 3];
        rgb.get(0, 0, out);
        return new RgbImage(rgb.cols(), rgb.rows(), out);
    }

    /** The RGB image of an 8-bit BGR Mat, as imdecode returns it. */
    public static RgbImage fromBgr(Mat bgr) {
        Mat rgb = new Mat();
        try {
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            return toRgb(rgb);
        } finally {
            rgb.release();
        }
    }
}
