package dev.xssab.ui;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The HTML pages, from the classpath's /ui folder; each reads its data from the JSON APIs. */
final class Pages {
    private Pages() {}

    /** A handler that serves one page. */
    static Handler page(String name) {
        return ctx -> serve(ctx, name);
    }

    static void serve(Context ctx, String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/ui/" + name)) {
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("missing page " + name, e);
        }
    }
}
