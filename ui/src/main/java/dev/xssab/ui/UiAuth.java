package dev.xssab.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.util.Set;

/**
 * Who may see what: every route but the login form and its stylesheet needs a session cookie or
 * HTTP basic authentication. Pages send strangers to the login form; APIs (images included)
 * answer 401, so that face bytes never reach an unauthenticated client.
 */
final class UiAuth {
    static final String SESSION = "xssab_session";
    private static final Set<String> OPEN = Set.of("/login", "/static/style.css");

    private final UiUsers users;

    UiAuth(UiUsers users) {
        this.users = users;
    }

    /** The before-handler of every route: lets an authenticated request through, answers the others. */
    void authenticate(Context ctx) {
        if (OPEN.contains(ctx.path()) || ctx.path().startsWith("/webjars/")) {
            return;
        }
        if (users.authenticate(ctx.cookie(SESSION), ctx.header("Authorization")).isPresent()) {
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

    /** POST /login: a session cookie (http-only, same-site strict) and the live page, or the form again with 401. */
    void login(Context ctx) {
        String user = ctx.formParam("user");
        String password = ctx.formParam("password");
        if (user != null && password != null && users.check(user, password)) {
            Cookie cookie = new Cookie(SESSION, users.openSession(user));
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
            ctx.redirect("/");
        } else {
            ctx.status(HttpStatus.UNAUTHORIZED);
            Pages.serve(ctx, "login.html");
        }
    }
}
