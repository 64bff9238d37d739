package dev.xssab.faces;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** fr_landmark's tensors: a 64x64 grey crop scaled by 1/256 in; 68 (x,y) in 0..1 of the crop out. */
final class LandmarkTranslator implements NoBatchifyTranslator<float[], float[]> {
    static final int SIZE = 64;

    @Override
    public NDList processInput(TranslatorContext ctx, float[] grey64) {
        float[] scaled = new float[grey64.length];
        for (int i = 0; i < grey64.length; i++) {
            scaled[i] = grey64[i] / 256f;
        }
        return new NDList(ctx.getNDManager().create(scaled, new Shape(1, 1, SIZE, SIZE)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().toFloatArray();
    }
}
