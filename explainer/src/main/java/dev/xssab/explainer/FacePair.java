package dev.xssab.explainer;

import dev.xssab.schemas.RgbImage;

/** Two aligned faces of the model's input size: the probe (image 1) and the reference (image 2). */
public record FacePair(RgbImage probe, RgbImage reference) {}
