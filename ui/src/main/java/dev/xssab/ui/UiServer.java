package dev.xssab.ui;

import dev.xssab.audit.AuditStore;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web application: pages, their JSON APIs and a server-sent-event stream of results, each
 * page's data from its own controller. Every route but the login form requires a logged-in
 * session or HTTP basic authentication ({@link UiAuth}); image bytes travel only in responses to
 * authenticated requests of a role that may see them ({@link UiAccess}), never in URLs or logs. A
 * request that changes something must come from the UI's own pages ({@link SameOrigin}).
 */
public final class UiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);

    /**
     * What the UI reads from and writes to.
     *
     * @param requestTopic where a replayed request is published
     * @param aggregates the aggregates service's base URL (its GET /aggregates)
     * @param health service name to its /health/ready URL
     */
    public record Sources(KafkaClients clients, Topics topics, AuditStore audit, String requestTopic, URI aggregates,
            Map<String, URI> health, UiUsers users) {}

    private final Javalin app;
    private final LiveController live;
    private final ModelsController models;

    private UiServer(Sources sources, String host, int port, UiTls tls) {
        // One mapper for the API responses and the server-sent events, so both spell a result alike.
        JavalinJackson json = new JavalinJackson();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        UiAuth auth = new UiAuth(sources.users(), tls.enabled());
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(json);
            config.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/ui/static";
                s.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.jetty.addConnector((server, httpConfig) -> tls.connector(server, httpConfig, host, port));
        });
        // Before authentication, so that a forged request is refused whether or not it carries credentials.
        app.before(SameOrigin::refuseCrossOrigin);
        app.before(auth::authenticate);
        app.beforeMatched(auth::authorize);
        app.get("/login", Pages.page("login.html"));
        app.post("/login", auth::login);
        app.get("/", Pages.page("live.html"));
        app.get("/requests/{id}", Pages.page("request.html"));
        app.get("/rejections", Pages.page("rejections.html"));
        app.get("/evaluations", Pages.page("evaluations.html"));
        app.get("/models", Pages.page("models.html"));
        app.get("/health", Pages.page("health.html"));
        this.live = new LiveController(sources, json);
        app.get("/api/results/recent", live::recent);
        app.sse("/api/stream/results", live::listen);
        RequestController requests = new RequestController(sources.audit());
        app.get("/api/requests/{id}", requests::request);
        app.get("/api/requests/{id}/{side}/{kind}", requests::image, UiAccess.FACES);
        RejectionsController rejections = new RejectionsController(sources);
        app.get("/api/rejections", rejections::rejections);
        app.get("/api/rejections/reasons", rejections::reasons);
        app.post("/api/rejections/replay", rejections::replay, UiAccess.REPLAY);
        app.get("/api/evaluations", new EvaluationsController(sources.aggregates(), http)::evaluations);
        this.models = new ModelsController(sources);
        app.get("/api/models", models::models);
        app.get("/api/health", new HealthController(sources.health(), http)::health);
        app.get("/api/me", auth::me);
    }

    /** Serves on {@code host:port} (port 0: any free port), over TLS unless {@code tls} is {@link UiTls#PLAIN}. */
    public static UiServer start(Sources sources, String host, int port, UiTls tls) {
        UiServer server = new UiServer(sources, host, port, tls);
        server.app.start();
        LOG.info("ui on {}://{}:{}/", tls.scheme(), host, server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    /** For readiness: null while the HTTP server runs, else why not. */
    public String problem() {
        return app.jettyServer().server().isRunning() ? null : "the HTTP server is " + app.jettyServer().server().getState();
    }

    @Override
    public void close() {
        app.stop();
        live.close();
        models.close();
    }
}
