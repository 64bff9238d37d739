package dev.xssab.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Set;

/**
 * Cross-site request forgery: a browser that holds a session cookie or cached basic credentials
 * for the UI would send them with a form another site posts here. Such a request names its origin
 * ({@code Origin}, {@code Sec-Fetch-Site}); a request that changes something is refused when
 * either says it comes from elsewhere. Scripts send neither header and pass.
 */
final class SameOrigin {
    static final String REFUSED = "cross-origin request refused";
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** {@code none}: the user's own action (typed URL, bookmark), not another page's. */
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private SameOrigin() {}

    /** The before-handler: a 403 with the reason for an unsafe method from another origin. */
    static void refuseCrossOrigin(Context ctx) {
        if (!UNSAFE.contains(ctx.method().name()) || !crossOrigin(ctx)) {
            return;
        }
        ctx.status(HttpStatus.FORBIDDEN).json(new ApiError(REFUSED));
        ctx.skipRemainingHandlers();
    }

    private static boolean crossOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        boolean otherOrigin = origin != null && !origin.equalsIgnoreCase(ctx.scheme() + "://" + ctx.host());
        boolean otherSite = fetchSite != null && !OWN_SITE.contains(fetchSite.toLowerCase(java.util.Locale.ROOT));
        return otherOrigin || otherSite;
    }
}
