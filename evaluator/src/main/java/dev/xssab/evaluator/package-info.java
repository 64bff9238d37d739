/**
 * The evaluator: pair lists, calibration (EER threshold) and error rates. With the evaluator
 * issue it also replays LFW, Patch-LFW and pixel-replacement variants through the pipeline.
 */
package dev.xssab.evaluator;
