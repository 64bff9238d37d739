/**
 * Explanations as values (per-pixel argument maps for both faces, the score and threshold) and
 * their pictures: heatmaps in the xSSAB paper's colours (positive arguments in greens,
 * negative in reds, combined on a red-yellow-green scale symmetric around 0), overlays on the
 * aligned faces, and one panel per pair.
 */
package dev.xssab.render;
