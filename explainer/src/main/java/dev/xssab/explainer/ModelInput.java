package dev.xssab.explainer;

import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.util.List;

/** Aligned images to the model's input tensor layout (NCHW floats, normalised per the spec). */
final class ModelInput {
    private ModelInput() {}

    static float[] nchw(List<RgbImage> images, RecognitionModelSpec spec) {
        int plane = 3 * spec.width() * spec.height();
        float[] out = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width() != spec.width() || img.height() != spec.height()) {
                throw new IllegalArgumentException("model " + spec.id() + " takes " + spec.width() + "x" + spec.height()
                        + " aligned faces, got " + img.width() + "x" + img.height());
            }
            System.arraycopy(img.toChw(spec.mean(), spec.std(), spec.bgr()), 0, out, i * plane, plane);
        }
        return out;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Cosine of two vectors. */
    static double cosine(double[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
