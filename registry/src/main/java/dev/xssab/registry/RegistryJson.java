package dev.xssab.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's side of the wire: request bodies read (within {@link #MAX_BODY_BYTES}) and
 * parsed, and Confluent's reply shapes, errors included, written with Confluent's content type.
 */
final class RegistryJson {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** The largest request body read; a schema is kilobytes, so this is room to spare, not a limit on schemas. */
    static final int MAX_BODY_BYTES = 1_000_000;
    /**
     * The request content types Confluent's server reads (its clients send the first); a request
     * without one is read too, as Confluent's takes it for the last.
     */
    static final Set<String> BODY_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json",
            "application/octet-stream");
    /**
     * The deepest nesting of JSON objects and arrays a schema may have: the project's deepest is 6,
     * and Avro's parser, printer and compatibility check recurse once per level.
     */
    static final int MAX_SCHEMA_DEPTH = 64;

    private RegistryJson() {}

    /**
     * The request body as text: refused with 415 unless it is JSON as Confluent's server takes it
     * ({@link #BODY_TYPES}, or no type at all), and with 413 when it is larger than {@link #MAX_BODY_BYTES}.
     */
    static String body(Context ctx) throws IOException {
        String type = ctx.req().getContentType();
        if (type != null && !BODY_TYPES.contains(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            throw new RegistryError(415, 415, "HTTP 415 Unsupported Media Type");
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        // A chunked body has no length up front: read one byte past the cap to know it went over.
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static RegistryError tooLarge() {
        return new RegistryError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
    }

    /** The Avro schema of a register, lookup or compatibility request; 42201 when it is not one. */
    static Schema schema(String body) {
        JsonNode json = read(body);
        if (json.hasNonNull("schemaType") && !"AVRO".equalsIgnoreCase(json.get("schemaType").asText())) {
            throw RegistryError.invalidSchema("only AVRO schemas are supported, got " + json.get("schemaType").asText());
        }
        if (!json.hasNonNull("schema")) {
            throw RegistryError.invalidSchema("the request has no 'schema' field");
        }
        String text = json.get("schema").asText();
        requireDepthWithin(text);
        try {
            return new Schema.Parser().parse(text);
        } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
            // SchemaParseException, and the NullPointerException Avro 1.12 throws for an unknown type name.
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }

    /** Refuses a schema nested deeper than {@link #MAX_SCHEMA_DEPTH}, read as a token stream: no recursion, however deep. */
    private static void requireDepthWithin(String schema) {
        try (JsonParser tokens = RegistryState.JSON.getFactory().createParser(schema)) {
            for (JsonToken token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
                if (token.isStructStart() && tokens.getParsingContext().getNestingDepth() > MAX_SCHEMA_DEPTH) {
                    throw RegistryError.invalidSchema("nested deeper than " + MAX_SCHEMA_DEPTH + " levels");
                }
            }
        } catch (JsonProcessingException e) {
            throw RegistryError.invalidSchema(e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The level a PUT /config asks for, under Confluent's "compatibility" or the older "compatibilityLevel". */
    static Compatibility compatibility(String body) {
        JsonNode json = read(body);
        String level = json.hasNonNull("compatibility") ? json.get("compatibility").asText()
                : json.hasNonNull("compatibilityLevel") ? json.get("compatibilityLevel").asText() : null;
        return Compatibility.parse(level);
    }

    private static JsonNode read(String body) {
        try {
            return RegistryState.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            // The original message: without the location Jackson adds on a second line.
            throw new RegistryError(422, 422, "Unrecognized JSON: " + e.getOriginalMessage());
        }
    }

    /** A schema id from the path, or null when it is not a number (then no schema has it). */
    static Integer id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static ObjectNode id(int id) {
        return RegistryState.JSON.createObjectNode().put("id", id);
    }

    static ObjectNode version(RegistryState.Version v) {
        ObjectNode out = RegistryState.JSON.createObjectNode();
        out.put("subject", v.subject());
        out.put("version", v.version());
        out.put("id", v.id());
        out.put("schema", v.schema());
        return out;
    }

    static ObjectNode compatibilityLevel(Compatibility c) {
        return RegistryState.JSON.createObjectNode().put("compatibilityLevel", c.name());
    }

    /** Confluent's error body: {@code {"error_code":..., "message":...}}. */
    static void sendError(Context ctx, int status, int errorCode, String message) {
        ObjectNode err = RegistryState.JSON.createObjectNode();
        err.put("error_code", errorCode);
        err.put("message", message);
        send(ctx, status, err);
    }

    static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(CONTENT_TYPE).result(body.toString());
    }
}
