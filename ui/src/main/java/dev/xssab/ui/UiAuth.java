package dev.xssab.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.util.Optional;
import java.util.Set;

/**
 * Who may see what: every route but the login form and its stylesheet needs a session cookie or
 * HTTP basic authentication. Pages send strangers to the login form; APIs (images included)
 * answer 401, so that face bytes never reach an unauthenticated client. A route that needs more
 * than being logged in names its {@link UiAccess}; a role that does not cover it gets 403.
 */
final class UiAuth {
    static final String SESSION = "xssab_session";
    private static final String USER = "xssab.user";
    private static final Set<String> OPEN = Set.of("/login", "/static/style.css");

    /** GET /api/me: who the browser is logged in as, so the pages show only what the role may use. */
    record Me(String user, String role) {}

    private final UiUsers users;
    private final boolean secureCookie;

    /** @param secureCookie the UI is served over TLS: the session cookie is never sent over plain HTTP */
    UiAuth(UiUsers users, boolean secureCookie) {
        this.users = users;
        this.secureCookie = secureCookie;
    }

    /** The before-handler of every route: lets an authenticated request through, answers the others. */
    void authenticate(Context ctx) {
        if (OPEN.contains(ctx.path()) || ctx.path().startsWith("/webjars/")) {
            return;
        }
        Optional<UiUsers.User> user = users.authenticate(ctx.cookie(SESSION), ctx.header("Authorization"));
        if (user.isPresent()) {
            ctx.attribute(USER, user.get());
            return;
        }
        if (ctx.path().startsWith("/api/")) {
            ctx.header("WWW-Authenticate", "Basic realm=\"xssab-ui\"");
            ctx.status(HttpStatus.UNAUTHORIZED).result("authentication required");
        } else {
            ctx.redirect("/login");
        }
        ctx.skipRemainingHandlers();
    }

    /** The before-matched handler: a 403 with the reason when the route's {@link UiAccess} is more than the user's role. */
    void authorize(Context ctx) {
        UiUsers.User user = ctx.attribute(USER);
        if (user == null) {
            return; // an open route: authenticate let it through without a user
        }
        for (var role : ctx.routeRoles()) {
            if (role instanceof UiAccess access && !access.allows(user.role())) {
                ctx.status(HttpStatus.FORBIDDEN).json(new ApiError(access.refusal(user.role())));
                ctx.skipRemainingHandlers();
                return;
            }
        }
    }

    void me(Context ctx) {
        UiUsers.User user = ctx.attribute(USER);
        ctx.json(new Me(user.name(), user.role().label()));
    }

    /** POST /login: a session cookie (http-only, same-site strict) and the live page, or the form again with 401. */
    void login(Context ctx) {
        String user = ctx.formParam("user");
        String password = ctx.formParam("password");
        Optional<UiUsers.User> known = user != null && password != null ? users.check(user, password) : Optional.empty();
        if (known.isPresent()) {
            Cookie cookie = new Cookie(SESSION, users.openSession(known.get()));
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setSecure(secureCookie);
            cookie.setPath("/");
            ctx.cookie(cookie);
            ctx.redirect("/");
        } else {
            ctx.status(HttpStatus.UNAUTHORIZED);
            Pages.serve(ctx, "login.html");
        }
    }
}
