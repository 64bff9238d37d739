package dev.xssab.evaluator.aggregate;

/**
 * The request tags an evaluation replay sets and the aggregates read. Results carry their
 * request's tags unchanged, so these names are the contract between the two.
 */
public final class EvaluationTags {
    public static final String RUN = "eval.run";
    public static final String MODEL = "eval.model";
    public static final String DATASET = "eval.dataset";
    public static final String VARIANT = "eval.variant";
    public static final String STRATEGY = "eval.strategy";
    public static final String PERCENTAGE = "eval.percentage";
    public static final String PAIR = "eval.pair";
    public static final String GENUINE = "eval.genuine";
    /** The run's threshold: every decision of the run is taken at this t, whatever the explainer used. */
    public static final String THRESHOLD = "eval.threshold";

    public static final String ORIGINAL = "original";
    public static final String PATCHED = "patched";
    public static final String REPLACED = "replaced";
    public static final String NO_STRATEGY = "none";

    private EvaluationTags() {}
}
