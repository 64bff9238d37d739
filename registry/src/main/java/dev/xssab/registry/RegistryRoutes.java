package dev.xssab.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.registry.RegistryAuth.Access;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent's REST paths, Avro only, on the registry's state and log. Each route answers 200 with
 * Confluent's JSON, or throws a {@link RegistryError} that {@link #install} turns into Confluent's
 * {@code {"error_code":..., "message":...}}; a path no route serves is a 404 in the same shape.
 */
final class RegistryRoutes {
    static final String NOT_FOUND = "HTTP 404 Not Found";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);

    /** One route's work: the reply, from the request. */
    @FunctionalInterface
    private interface Route {
        JsonNode reply(Context ctx) throws IOException;
    }

    /** Guarded by itself: every route reads or changes it under its lock. */
    private final RegistryState state;
    private final SchemaLog log;
    private final RegistryAuth auth;

    RegistryRoutes(RegistryState state, SchemaLog log, RegistryAuth auth) {
        this.state = state;
        this.log = log;
        this.auth = auth;
    }

    /** Adds the routes and the error answers; the authentication handlers must be installed first. */
    void install(Javalin app) {
        // Javalin would answer HEAD on every GET route; the registry serves no HEAD.
        app.before(ctx -> {
            if (ctx.method() == HandlerType.HEAD) {
                throw new EndpointNotFound(HandlerType.HEAD, ctx.path());
            }
        });
        app.get("/subjects", answer(this::subjects), Access.READ);
        app.post("/subjects/{subject}/versions", answer(this::register), Access.WRITE);
        app.get("/subjects/{subject}/versions", answer(this::versions), Access.READ);
        app.get("/subjects/{subject}/versions/{version}", answer(this::version), Access.READ);
        app.post("/subjects/{subject}", answer(this::lookup), Access.READ);
        app.get("/schemas/ids/{id}", answer(this::schemaById), Access.READ);
        app.post("/compatibility/subjects/{subject}/versions/{version}", answer(this::testCompatibility), Access.READ);
        app.get("/config", answer(ctx -> globalConfig()), Access.READ);
        app.put("/config", answer(ctx -> putConfig(null, ctx)), Access.WRITE);
        app.get("/config/{subject}", answer(this::subjectConfig), Access.READ);
        app.put("/config/{subject}", answer(ctx -> putConfig(ctx.pathParam("subject"), ctx)), Access.WRITE);
        installErrors(app);
    }

    private static io.javalin.http.Handler answer(Route route) {
        return ctx -> RegistryJson.send(ctx, 200, route.reply(ctx));
    }

    private void installErrors(Javalin app) {
        app.exception(RegistryError.class, (e, ctx) -> RegistryJson.sendError(ctx, e.status, e.errorCode, e.getMessage()));
        app.exception(EndpointNotFound.class, (e, ctx) -> {
            RegistryError refused = auth.refusalOfUnrouted(ctx);
            RegistryError error = refused != null ? refused : new RegistryError(404, 404, NOT_FOUND);
            RegistryJson.sendError(ctx, error.status, error.errorCode, error.getMessage());
        });
        // Javalin's own refusals (a malformed request, say) keep their status, in Confluent's shape.
        app.exception(HttpResponseException.class, (e, ctx) -> RegistryJson.sendError(ctx, e.getStatus(), e.getStatus(),
                e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("registry request {} {} failed", ctx.method(), ctx.path(), e);
            RegistryJson.sendError(ctx, 500, 50001, "Error in the backend data store: " + e.getMessage());
        });
    }

    private JsonNode subjects(Context ctx) {
        ArrayNode out = RegistryState.JSON.createArrayNode();
        synchronized (state) {
            state.subjects().forEach(out::add);
        }
        return out;
    }

    private JsonNode versions(Context ctx) {
        String subject = ctx.pathParam("subject");
        ArrayNode out = RegistryState.JSON.createArrayNode();
        synchronized (state) {
            List<RegistryState.Version> versions = state.versions(subject);
            if (versions.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            versions.forEach(v -> out.add(v.version()));
        }
        return out;
    }

    private JsonNode version(Context ctx) {
        synchronized (state) {
            return RegistryJson.version(find(ctx.pathParam("subject"), ctx.pathParam("version")));
        }
    }

    private JsonNode schemaById(Context ctx) {
        Integer id = RegistryJson.id(ctx.pathParam("id"));
        String schema;
        synchronized (state) {
            schema = id == null ? null : state.schemaById(id);
        }
        if (schema == null) {
            throw RegistryError.schemaNotFound();
        }
        return RegistryState.JSON.createObjectNode().put("schema", schema);
    }

    /** POST /subjects/{s}/versions: the id of the schema, registered as the next version unless it is one already. */
    private JsonNode register(Context ctx) throws IOException {
        String subject = ctx.pathParam("subject");
        Schema schema = RegistryJson.schema(RegistryJson.body(ctx));
        String canonical = schema.toString();
        synchronized (state) {
            for (RegistryState.Version v : state.versions(subject)) {
                if (v.schema().equals(canonical)) {
                    return RegistryJson.id(v.id());
                }
            }
            List<String> problems = state.effectiveCompatibility(subject).violations(schema, state.parsedVersions(subject));
            if (!problems.isEmpty()) {
                throw RegistryError.incompatible(subject, String.join("; ", problems));
            }
            Integer existing = state.idOf(canonical);
            int id = existing != null ? existing : state.nextId();
            List<RegistryState.Version> versions = state.versions(subject);
            int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
            String key = RegistryState.schemaKey(subject, version);
            // Durable first, then visible: a crash between the two replays into the same state.
            log.append(key, RegistryState.schemaValue(subject, version, id, canonical));
            state.apply(key, RegistryState.schemaValue(subject, version, id, canonical));
            LOG.info("registered {} version {} as id {}", subject, version, id);
            return RegistryJson.id(id);
        }
    }

    /** POST /subjects/{s}: the version of the subject that holds this schema. */
    private JsonNode lookup(Context ctx) throws IOException {
        String subject = ctx.pathParam("subject");
        String canonical = RegistryJson.schema(RegistryJson.body(ctx)).toString();
        synchronized (state) {
            List<RegistryState.Version> versions = state.versions(subject);
            if (versions.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            for (RegistryState.Version v : versions) {
                if (v.schema().equals(canonical)) {
                    return RegistryJson.version(v);
                }
            }
            throw RegistryError.schemaNotFound();
        }
    }

    /** POST /compatibility/subjects/{s}/versions/{v}: whether the schema may follow that version, and why not. */
    private JsonNode testCompatibility(Context ctx) throws IOException {
        String subject = ctx.pathParam("subject");
        Schema candidate = RegistryJson.schema(RegistryJson.body(ctx));
        List<String> problems;
        synchronized (state) {
            RegistryState.Version against = find(subject, ctx.pathParam("version"));
            Compatibility level = state.effectiveCompatibility(subject);
            problems = level.violations(candidate, List.of(new Schema.Parser().parse(against.schema())));
        }
        ObjectNode out = RegistryState.JSON.createObjectNode();
        out.put("is_compatible", problems.isEmpty());
        if (!problems.isEmpty()) {
            ArrayNode messages = out.putArray("messages");
            problems.forEach(messages::add);
        }
        return out;
    }

    private JsonNode globalConfig() {
        synchronized (state) {
            return RegistryJson.compatibilityLevel(state.globalCompatibility());
        }
    }

    private JsonNode subjectConfig(Context ctx) {
        String subject = ctx.pathParam("subject");
        synchronized (state) {
            Compatibility level = state.subjectCompatibility(subject);
            if (level == null) {
                throw RegistryError.subjectCompatibilityNotConfigured(subject);
            }
            return RegistryJson.compatibilityLevel(level);
        }
    }

    /** PUT /config or /config/{s} (subject null: the global level). */
    private JsonNode putConfig(String subject, Context ctx) throws IOException {
        Compatibility parsed = RegistryJson.compatibility(RegistryJson.body(ctx));
        synchronized (state) {
            String key = RegistryState.configKey(subject);
            String value = RegistryState.configValue(parsed);
            log.append(key, value);
            state.apply(key, value);
        }
        return RegistryState.JSON.createObjectNode().put("compatibility", parsed.name());
    }

    /** A subject's version by number, or its last by "latest" or -1; must hold the state's lock. */
    private RegistryState.Version find(String subject, String version) {
        int wanted = "latest".equals(version) || "-1".equals(version) ? -1 : versionNumber(version);
        List<RegistryState.Version> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        for (RegistryState.Version v : versions) {
            if (v.version() == wanted) {
                return v;
            }
        }
        throw RegistryError.versionNotFound(version);
    }

    private static int versionNumber(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal below
        }
        throw RegistryError.invalidVersion(version);
    }
}
