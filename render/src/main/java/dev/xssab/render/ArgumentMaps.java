package dev.xssab.render;

/**
 * xSSAB for one direction (one image explained against the other, which is held fixed).
 *
 * @param sPlus sum of e1_i*e2_i over the dimensions where it is at least threshold/d
 * @param sMinus the same sum over the other dimensions; sPlus + sMinus = cosine
 * @param width map width (the model's input width)
 * @param height map height
 * @param positive mean over RGB of |d sPlus / d image|, row-major
 * @param negative mean over RGB of |d sMinus / d image|, row-major
 */
public record ArgumentMaps(double sPlus, double sMinus, int width, int height, float[] positive, float[] negative) {

    /** positive - negative: above 0 the pixel argues for "same person", below 0 against. */
    public float[] combined() {
        float[] c = new float[positive.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = positive[i] - negative[i];
        }
        return c;
    }
}
