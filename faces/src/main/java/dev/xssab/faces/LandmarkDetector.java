package dev.xssab.faces;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.xssab.faces.image.ImageOps;
import dev.xssab.schemas.RgbImage;

/** 68 facial landmarks with fr_landmark, reduced to the 5 alignment points. Not thread-safe. */
public final class LandmarkDetector implements AutoCloseable {
    private final Predictor<float[], float[]> predictor;

    public LandmarkDetector(Model frLandmark) {
        this.predictor = frLandmark.newPredictor(new LandmarkTranslator());
    }

    /** The 68 points, as {x0,y0,x1,y1,...} in image pixels, for a detected face box. */
    public float[] landmarks68(RgbImage image, Detection box) throws TranslateException {
        // The model was trained on a square crop as tall as the box, centred on it.
        float side = box.height();
        float cx = (box.x1() + box.x2()) / 2;
        float cy = (box.y1() + box.y2()) / 2;
        int x0 = Math.round(cx - side / 2);
        int y0 = Math.round(cy - side / 2);
        int s = Math.max(1, Math.round(side));
        RgbImage crop = ImageOps.cropPadded(image, x0, y0, s, s);
        RgbImage small = ImageOps.resize(crop, LandmarkTranslator.SIZE, LandmarkTranslator.SIZE);
        float[] rel = predictor.predict(small.toGrey());
        float[] out = new float[rel.length];
        for (int i = 0; i < rel.length; i += 2) {
            out[i] = rel[i] * s + x0;
            out[i + 1] = rel[i + 1] * s + y0;
        }
        return out;
    }

    /**
     * The 5 alignment points from the 68 (0-based indices): left eye = mean of 37,38,40,41; right
     * eye = mean of 43,44,46,47; nose tip = 30; mouth corners = mean of 48,60 and of 54,64.
     */
    /**
     * The 5 points a model's template is given in: "arcface5" (eye centres, nose tip, mouth
     * corners) or "dlib5" (dlib's 5-point chips: the image-right eye's outer and inner corner, the
     * image-left eye's outer and inner corner, the base of the nose; iBUG indices 45, 42, 36, 39, 33).
     */
    public static double[][] fivePoints(float[] lm68, String scheme) {
        if ("dlib5".equals(scheme)) {
            return new double[][] {mean(lm68, 45), mean(lm68, 42), mean(lm68, 36), mean(lm68, 39), mean(lm68, 33)};
        }
        return fivePoints(lm68);
    }

    public static double[][] fivePoints(float[] lm68) {
        return new double[][] {
            mean(lm68, 37, 38, 40, 41),
            mean(lm68, 43, 44, 46, 47),
            mean(lm68, 30),
            mean(lm68, 48, 60),
            mean(lm68, 54, 64),
        };
    }

    private static double[] mean(float[] lm, int... idx) {
        double x = 0;
        double y = 0;
        for (int i : idx) {
            x += lm[2 * i];
            y += lm[2 * i + 1];
        }
        return new double[] {x / idx.length, y / idx.length};
    }

    @Override
    public void close() {
        predictor.close();
    }
}
