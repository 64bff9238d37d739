package dev.xssab.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.audit.AuditStore;
import dev.xssab.config.KafkaClients;
import dev.xssab.explainer.render.ExplanationRecords;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.CheckedProducer;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.sse.SseClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web application: pages, their JSON APIs and a server-sent-event stream of results. Every
 * route but the login form requires a logged-in session or HTTP basic authentication; image
 * bytes travel only in responses to authenticated requests, never in URLs or logs.
 */
public final class UiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "xssab_session";
    private static final int RECENT = 200;
    private static final int REJECTIONS_PER_PARTITION = 500;
    private static final Set<String> OPEN = Set.of("/login", "/static/style.css");

    /**
     * What the UI reads from and writes to.
     *
     * @param requestTopic where a replayed request is published
     * @param aggregates the aggregates service's base URL (its GET /aggregates)
     * @param health service name to its /health/ready URL
     */
    public record Sources(KafkaClients clients, Topics topics, AuditStore audit, String requestTopic, URI aggregates,
            Map<String, URI> health, UiUsers users) {}

    private final Sources sources;
    private final Javalin app;
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private final List<SseClient> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ModelThreshold> thresholds = new ConcurrentHashMap<>();
    private final TopicFollower results;
    private final TopicFollower thresholdFollower;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private UiServer(Sources sources) {
        this.sources = sources;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/ui/static";
                s.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
        });
        app.before(this::authenticate);
        app.get("/login", ctx -> page(ctx, "login.html"));
        app.post("/login", this::login);
        app.get("/", ctx -> page(ctx, "live.html"));
        app.get("/requests/{id}", ctx -> page(ctx, "request.html"));
        app.get("/rejections", ctx -> page(ctx, "rejections.html"));
        app.get("/evaluations", ctx -> page(ctx, "evaluations.html"));
        app.get("/models", ctx -> page(ctx, "models.html"));
        app.get("/health", ctx -> page(ctx, "health.html"));
        app.get("/api/results/recent", ctx -> ctx.json(recentResults()));
        app.sse("/api/stream/results", client -> {
            client.keepAlive();
            listeners.add(client);
            client.onClose(() -> listeners.remove(client));
        });
        app.get("/api/requests/{id}", this::request);
        app.get("/api/requests/{id}/{side}/{kind}", this::image);
        app.get("/api/rejections", this::rejections);
        // Every reason the schema defines, so the filter offers a reason before its first rejection arrives.
        app.get("/api/rejections/reasons", ctx -> ctx.json(Arrays.stream(ReasonCode.values()).map(Enum::name).sorted().toList()));
        app.post("/api/rejections/replay", this::replay);
        app.get("/api/evaluations", this::evaluations);
        app.get("/api/models", this::models);
        app.get("/api/health", this::health);
        this.results = new TopicFollower(sources.clients(), Topics.RESULTS, false, this::onResult);
        this.thresholdFollower = new TopicFollower(sources.clients(), Topics.THRESHOLDS, true, r -> {
            if (r.value() != null) {
                ModelThreshold t = sources.topics().thresholds().valueSerde().deserializer().deserialize(r.topic(), r.value());
                thresholds.put(t.getModelId(), t);
            }
        });
    }

    /** Serves on {@code host:port} (port 0: any free port). */
    public static UiServer start(Sources sources, String host, int port) {
        UiServer server = new UiServer(sources);
        server.app.start(host, port);
        LOG.info("ui on http://{}:{}/", host, server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    private void authenticate(Context ctx) {
        if (OPEN.contains(ctx.path()) || ctx.path().startsWith("/webjars/")) {
            return;
        }
        Optional<String> user = sources.users().authenticate(ctx.cookie(SESSION), ctx.header("Authorization"));
        if (user.isPresent()) {
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

    private void login(Context ctx) {
        String user = ctx.formParam("user");
        String password = ctx.formParam("password");
        if (user != null && password != null && sources.users().check(user, password)) {
            Cookie cookie = new Cookie(SESSION, sources.users().openSession(user));
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
            ctx.redirect("/");
        } else {
            ctx.status(HttpStatus.UNAUTHORIZED);
            page(ctx, "login.html");
        }
    }

    private static void page(Context ctx, String name) {
        try (InputStream in = UiServer.class.getResourceAsStream("/ui/" + name)) {
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("missing page " + name, e);
        }
    }

    private void onResult(ConsumerRecord<String, byte[]> r) {
        VerificationResult v = sources.topics().results().valueSerde().deserializer().deserialize(r.topic(), r.value());
        ObjectNode row = resultJson(v);
        synchronized (recent) {
            recent.addFirst(row);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        String event = row.toString();
        for (SseClient client : listeners) {
            try {
                client.sendEvent("result", event);
            } catch (RuntimeException e) {
                listeners.remove(client);
            }
        }
    }

    private static ObjectNode resultJson(VerificationResult v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("requestId", v.getRequestId());
        o.put("completedAt", v.getCompletedAtMs().toString());
        o.put("model", v.getModelId());
        o.put("score", v.getScore());
        o.put("threshold", v.getThreshold());
        o.put("thresholdSource", v.getThresholdSource());
        o.put("decision", v.getDecision().name());
        o.put("explained", v.getExplained());
        o.put("latencyMs", Duration.between(v.getSubmittedAtMs(), v.getCompletedAtMs()).toMillis());
        o.put("submittedBy", v.getSubmittedBy());
        o.put("authenticated", v.getSubmitterAuthenticated());
        return o;
    }

    private ArrayNode recentResults() {
        ArrayNode out = JSON.createArrayNode();
        synchronized (recent) {
            recent.forEach(out::add);
        }
        return out;
    }

    private void request(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Optional<AuditStore.Row> row;
        Optional<Explanation> x;
        synchronized (sources.audit()) { // one JDBC connection, shared with nobody else in this process
            row = sources.audit().result(id);
            x = sources.audit().explanation(id);
        }
        if (row.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no stored decision for " + id));
            return;
        }
        AuditStore.Row r = row.get();
        ObjectNode o = JSON.createObjectNode();
        o.put("requestId", r.requestId());
        o.put("model", r.modelId());
        o.put("score", r.score());
        o.put("threshold", r.threshold());
        o.put("thresholdSource", r.thresholdSource());
        o.put("decision", r.decision());
        o.put("completedAt", r.completedAt().toString());
        o.put("submittedBy", r.submittedBy());
        o.put("authenticated", r.submitterAuthenticated());
        o.set("tags", JSON.readTree(r.tagsJson()));
        if (x.isPresent()) {
            ObjectNode e = o.putObject("explanation");
            e.put("threshold", x.get().getThreshold());
            e.put("probeSPlus", x.get().getProbe().getSPlus());
            e.put("probeSMinus", x.get().getProbe().getSMinus());
            e.put("referenceSPlus", x.get().getReference().getSPlus());
            e.put("referenceSMinus", x.get().getReference().getSMinus());
        }
        ctx.json(o);
    }

    /** One picture of a stored explanation: side probe|reference, kind face|positive|negative|combined (.png). */
    private void image(Context ctx) throws Exception {
        String side = ctx.pathParam("side");
        String kind = ctx.pathParam("kind").replaceFirst("\\.png$", "");
        if (!Set.of("probe", "reference").contains(side) || !Set.of("face", "positive", "negative", "combined").contains(kind)) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        Optional<Explanation> x;
        synchronized (sources.audit()) {
            x = sources.audit().explanation(ctx.pathParam("id"));
        }
        if (x.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        BufferedImage picture = ExplanationRecords.tiles(x.get(), side.equals("probe")).get(kind);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", out);
        ctx.header("Cache-Control", "private, no-store").contentType("image/png").result(out.toByteArray());
    }

    private void rejections(Context ctx) {
        String reason = ctx.queryParam("reason");
        ArrayNode out = JSON.createArrayNode();
        for (ConsumerRecord<String, byte[]> r : readRejections()) {
            Rejection x = sources.topics().rejections().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (reason != null && !reason.isBlank() && !x.getReason().name().equals(reason)) {
                continue;
            }
            ObjectNode o = out.addObject();
            o.put("requestId", x.getRequestId());
            o.put("reason", x.getReason().name());
            o.put("stage", x.getStage().name());
            o.put("message", x.getMessage());
            o.put("rejectedAt", x.getRejectedAtMs().toString());
            o.put("partition", r.partition());
            o.put("offset", r.offset());
            o.put("replayable", x.getOriginalValue() != null);
        }
        ctx.json(out);
    }

    /** A consumer for reading the dead-letter topic by assignment (rejections carry whole requests). */
    private KafkaConsumer<String, byte[]> rejectionsConsumer() {
        return sources.clients().consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The newest rejections, newest first (a few hundred per partition at most). */
    private List<ConsumerRecord<String, byte[]>> readRejections() {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = rejectionsConsumer()) {
            List<TopicPartition> parts = c.partitionsFor(Topics.REJECTIONS, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, Math.max(begin.get(tp), end.get(tp) - REJECTIONS_PER_PARTITION));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort((a, b) -> Long.compare(b.timestamp(), a.timestamp()));
        return out;
    }

    /**
     * Republishes a rejected request's original bytes as a new request (a new requestId, so that
     * the gateway's duplicate check does not refuse it): after a registry outage, say.
     */
    private void replay(Context ctx) throws Exception {
        int partition = Integer.parseInt(ctx.queryParam("partition"));
        long offset = Long.parseLong(ctx.queryParam("offset"));
        Rejection rejection = null;
        try (KafkaConsumer<String, byte[]> c = rejectionsConsumer()) {
            TopicPartition tp = new TopicPartition(Topics.REJECTIONS, partition);
            c.assign(List.of(tp));
            c.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (rejection == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        rejection = sources.topics().rejections().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    }
                }
            }
        }
        if (rejection == null || rejection.getOriginalValue() == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no replayable rejection at " + partition + "/" + offset));
            return;
        }
        byte[] original = new byte[rejection.getOriginalValue().remaining()];
        rejection.getOriginalValue().duplicate().get(original);
        String newId = (rejection.getRequestId() == null ? "unreadable" : rejection.getRequestId()) + "-replay-"
                + Long.toString(System.currentTimeMillis(), 36);
        byte[] value = original;
        try {
            VerificationRequest request = sources.topics().requests().valueSerde().deserializer().deserialize(Topics.REQUESTS, original);
            request.setRequestId(newId);
            request.setSubmittedAtMs(Instant.now());
            value = sources.topics().requests().valueSerde().serializer().serialize(sources.requestTopic(), request);
        } catch (RuntimeException unreadable) {
            // Bytes that never were a request go back as they were: the gateway will refuse them again, visibly.
        }
        try (CheckedProducer producer = new CheckedProducer(sources.clients(), Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES))) {
            producer.send(new ProducerRecord<>(sources.requestTopic(), newId, value));
        }
        LOG.info("replayed rejection {}/{} as request {}", partition, offset, newId);
        ctx.json(Map.of("requestId", newId));
    }

    private void evaluations(Context ctx) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(sources.aggregates().resolve("/aggregates"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        ctx.contentType("application/json").status(r.statusCode()).result(r.body());
    }

    private void models(Context ctx) {
        ArrayNode out = JSON.createArrayNode();
        for (RecognitionModelSpec spec : dev.xssab.models.ModelCatalog.builtins()) {
            ObjectNode o = out.addObject();
            o.put("id", spec.id());
            o.put("input", spec.width() + "x" + spec.height());
            o.put("embeddingSize", spec.embeddingSize());
            o.put("defaultThreshold", spec.defaultThreshold());
            o.put("defaultSource", spec.thresholdSource());
            ModelThreshold live = thresholds.get(spec.id());
            if (live != null) {
                ObjectNode l = o.putObject("live");
                l.put("threshold", live.getThreshold());
                l.put("setBy", live.getSetBy());
                l.put("mode", live.getMode());
                l.put("source", live.getSource());
                l.put("dataset", live.getDataset());
                l.put("updatedAt", live.getUpdatedAtMs().toString());
            }
        }
        ctx.json(out);
    }

    private void health(Context ctx) {
        ArrayNode out = JSON.createArrayNode();
        sources.health().forEach((service, url) -> {
            ObjectNode o = out.addObject();
            o.put("service", service);
            o.put("url", url.toString());
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body());
                o.put("ready", r.statusCode() == 200);
                o.set("checks", body.path("checks"));
                o.put("consumerLag", body.path("consumerLag").asDouble());
                o.put("requestsPerSecond", body.path("requestsPerSecond").asDouble());
            } catch (IOException e) {
                o.put("ready", false);
                o.put("error", "no answer: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                o.put("ready", false);
            }
        });
        ctx.json(out);
    }

    @Override
    public void close() {
        app.stop();
        results.close();
        thresholdFollower.close();
    }
}
