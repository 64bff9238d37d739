package dev.xssab.ui;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A real Javalin server with the UI's own guards in the UI's order ({@link SameOrigin}, then
 * {@link UiAuth}) in front of stand-ins for the face and replay routes, declared with the same
 * {@link UiAccess} as {@link UiServer} declares them; users viewer, auditor and operator, each
 * with the password "pw-" + name.
 */
final class AuthServer implements AutoCloseable {
    final Javalin app;
    private final HttpClient http = HttpClient.newHttpClient();

    AuthServer(Path dir) throws IOException {
        Path file = Files.write(dir.resolve("users"), List.of(UiUsers.line("viewer", "pw-viewer", UiRole.VIEWER),
                UiUsers.line("auditor", "pw-auditor", UiRole.AUDITOR), UiUsers.line("operator", "pw-operator", UiRole.OPERATOR)));
        UiAuth auth = new UiAuth(UiUsers.read(file), false);
        app = Javalin.create(c -> c.showJavalinBanner = false);
        app.before(SameOrigin::refuseCrossOrigin);
        app.before(auth::authenticate);
        app.beforeMatched(auth::authorize);
        app.post("/login", auth::login);
        app.get("/api/me", auth::me);
        app.get("/api/models", ctx -> ctx.result("models"));
        app.get("/api/requests/{id}/{side}/{kind}", ctx -> ctx.result("png"), UiAccess.FACES);
        app.post("/api/rejections/replay", ctx -> ctx.result("replayed"), UiAccess.REPLAY);
        app.start("127.0.0.1", 0);
    }

    String base() {
        return "http://127.0.0.1:" + app.port();
    }

    HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
        return user == null ? b : b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":pw-" + user)
                .getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        app.stop();
    }
}
