package dev.xssab.faces;

import dev.xssab.schemas.RgbImage;

/**
 * A face warped onto the recognition model's template.
 *
 * @param image the aligned crop, of the model's input size
 * @param box the detection it came from, in source pixels (null when the input was pre-aligned)
 * @param sourcePoints the 5 landmarks in source pixels (null when pre-aligned)
 * @param alignedPoints the same 5 landmarks after the warp, in crop pixels
 * @param fitErrorPx RMS distance between the warped landmarks and the template, in crop pixels
 */
public record AlignedFace(RgbImage image, Detection box, double[][] sourcePoints, double[][] alignedPoints,
        double fitErrorPx) {

    /** The same face with box and source landmarks given for an image {@code factor} times larger. */
    AlignedFace inSourceScale(int factor) {
        Detection b = new Detection(box.x1() * factor, box.y1() * factor, box.x2() * factor, box.y2() * factor, box.score());
        double[][] pts = new double[sourcePoints.length][];
        for (int i = 0; i < pts.length; i++) {
            // Block centres: pixel x of the reduced image covers [x*f, (x+1)*f) of the original.
            pts[i] = new double[] {(sourcePoints[i][0] + 0.5) * factor - 0.5, (sourcePoints[i][1] + 0.5) * factor - 0.5};
        }
        return new AlignedFace(image, b, pts, alignedPoints, fitErrorPx);
    }
}
