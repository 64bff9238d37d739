package dev.xssab.ui;

import java.util.Locale;

/**
 * What a UI user may see and do, each role all that the one before it may: a viewer sees
 * decisions, scores, rejections' reasons, evaluations, models and health; an auditor also the
 * faces and maps; an operator also replays rejections.
 */
public enum UiRole {
    VIEWER,
    AUDITOR,
    OPERATOR;

    /** Whether this role may do what {@code needed} may. */
    public boolean covers(UiRole needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name in the users file and in GET /api/me: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a users file names ({@code viewer}, {@code auditor} or {@code operator}). */
    public static UiRole parse(String label) {
        for (UiRole role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("a UI role is viewer, auditor or operator, not '" + label + "'");
    }
}
