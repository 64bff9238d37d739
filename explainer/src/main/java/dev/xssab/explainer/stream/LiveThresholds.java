package dev.xssab.explainer.stream;

/** The threshold a model decides at now (calibrated, or the latest from the thresholds topic). */
@FunctionalInterface
public interface LiveThresholds {
    double thresholdFor(String modelId);
}
