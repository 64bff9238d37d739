package dev.xssab.schemas;

/** The verification outcome at a threshold: MATCH when cosine >= threshold. */
public enum Decision {
    MATCH,
    NO_MATCH;

    public static Decision at(double score, double threshold) {
        return score >= threshold ? MATCH : NO_MATCH;
    }
}
