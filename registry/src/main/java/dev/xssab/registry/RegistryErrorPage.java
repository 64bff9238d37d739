package dev.xssab.registry;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals, in Confluent's one-line error JSON instead of Jetty's HTML page: requests
 * that never reach a route (a malformed request line, a URI or headers too large, an ambiguous or
 * ill-encoded path), whatever their method.
 */
final class RegistryErrorPage extends ErrorHandler {
    /** A reason quotes at most this much: Jetty's reasons are short, a reflected input need not be. */
    private static final int MAX_REASON_CHARS = 200;

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code,
            String message) throws IOException {
        byte[] body = errorJson(code, message);
        baseRequest.setHandled(true);
        response.setContentType(RegistryJson.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A request Jetty's parser refuses: only the body is the handler's to choose, the status is the parser's. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, RegistryJson.CONTENT_TYPE);
        return ByteBuffer.wrap(errorJson(status, reason));
    }

    /** Confluent's {@code {"error_code":..., "message":"HTTP 400 Bad Request: why"}} on one line. */
    static byte[] errorJson(int status, String reason) {
        String phrase = HttpStatus.getMessage(status);
        String message = "HTTP " + status + " " + phrase;
        if (reason != null && !reason.isBlank() && !reason.equals(phrase)) {
            String flat = reason.replaceAll("\\p{Cntrl}", " ");
            message += ": " + (flat.length() <= MAX_REASON_CHARS ? flat : flat.substring(0, MAX_REASON_CHARS) + "...");
        }
        String json = RegistryState.JSON.createObjectNode().put("error_code", status).put("message", message).toString();
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
