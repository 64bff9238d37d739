package dev.xssab.ui;

import io.javalin.security.RouteRole;

/**
 * What a route needs beyond being logged in, as Javalin route roles: {@link UiAuth#authorize}
 * answers 403 with the reason when the user's role does not cover it. Routes that name none are
 * for every role.
 */
enum UiAccess implements RouteRole {
    /** The image route: faces are biometric data, and maps are drawn over them. */
    FACES(UiRole.AUDITOR, "see faces or maps"),
    /** Replaying a rejection publishes a new request. */
    REPLAY(UiRole.OPERATOR, "replay rejections");

    private final UiRole needed;
    private final String what;

    UiAccess(UiRole needed, String what) {
        this.needed = needed;
        this.what = what;
    }

    boolean allows(UiRole role) {
        return role.covers(needed);
    }

    /** The one-line reason of a 403: "role viewer may not see faces or maps". */
    String refusal(UiRole role) {
        return "role " + role.label() + " may not " + what;
    }
}
