package dev.xssab.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    private RegistryJson() {}

    /** The request body as text, refused with 413 when it is larger than {@link #MAX_BODY_BYTES}. */
    static String body(Context ctx) throws IOException {
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
        try {
            return new Schema.Parser().parse(json.get("schema").asText());
        } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
            // SchemaParseException, and the NullPointerException Avro 1.12 throws for an unknown type name.
            throw RegistryError.invalidSchema(e.getMessage());
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
        } catch (IOException e) {
            throw new RegistryError(422, 422, "Unrecognized JSON: " + e.getMessage());
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
