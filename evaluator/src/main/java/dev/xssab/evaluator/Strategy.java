package dev.xssab.evaluator;

import java.util.ArrayList;
import java.util.List;

/**
 * The xSSAB paper's pixel-replacement strategies, under the names that the request tags, the
 * aggregates, the report and the command line all use.
 */
public enum Strategy {
    /** Original pixels put back in the order of the combined xSSAB map of image 1. */
    BEST_WORST("best_worst"),
    /** Original pixels put back in a seeded random order: the baseline. */
    RANDOM("random");

    private final String tag;

    Strategy(String tag) {
        this.tag = tag;
    }

    /** The name in tags, cell keys, tables and on the command line. */
    public String tag() {
        return tag;
    }

    /** The tag, so that a list of strategies reads as the command line wrote it. */
    @Override
    public String toString() {
        return tag;
    }

    /** The strategy of a tag, or null for a tag that names none (such as "none" on unreplaced cells). */
    public static Strategy ofTag(String tag) {
        for (Strategy s : values()) {
            if (s.tag.equals(tag)) {
                return s;
            }
        }
        return null;
    }

    /** The command line's --strategies, in its order; refuses an unknown name, naming it. */
    public static List<Strategy> parseAll(List<String> tags) {
        List<Strategy> out = new ArrayList<>();
        for (String t : tags) {
            Strategy s = ofTag(t);
            if (s == null) {
                throw new IllegalArgumentException("--strategies takes best_worst and/or random, got " + t);
            }
            out.add(s);
        }
        return out;
    }
}
