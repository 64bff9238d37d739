package dev.xssab.gateway.face;

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
        double fitErrorPx) {}
