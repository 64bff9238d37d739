package dev.xssab.faces;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.xssab.schemas.RgbImage;

/**
 * fr_detect's tensors: a 320x240 RGB image in, {@code (x-127)/128} NCHW; out, per prior, the face
 * probability (softmax column 1) and a normalised corner-form box (decoding is inside the graph).
 */
final class DetectorTranslator implements NoBatchifyTranslator<RgbImage, DetectorTranslator.RawDetections> {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    private static final float[] MEAN = {127f, 127f, 127f};
    private static final float[] STD = {128f, 128f, 128f};

    /** Per-prior face scores and boxes (x1,y1,x2,y2 in 0..1). */
    record RawDetections(float[] scores, float[] boxes) {}

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage image) {
        if (image.width() != WIDTH || image.height() != HEIGHT) {
            throw new IllegalArgumentException("detector input must be 320x240");
        }
        float[] chw = image.toChw(MEAN, STD, false);
        return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, HEIGHT, WIDTH)));
    }

    @Override
    public RawDetections processOutput(TranslatorContext ctx, NDList list) {
        NDArray scores = list.get(0);
        NDArray boxes = list.get(1);
        if (scores.getShape().get(scores.getShape().dimension() - 1) == 4) {
            NDArray t = scores;
            scores = boxes;
            boxes = t;
        }
        float[] twoColumn = scores.toFloatArray();
        float[] face = new float[twoColumn.length / 2];
        for (int i = 0; i < face.length; i++) {
            face[i] = twoColumn[2 * i + 1];
        }
        return new RawDetections(face, boxes.toFloatArray());
    }
}
