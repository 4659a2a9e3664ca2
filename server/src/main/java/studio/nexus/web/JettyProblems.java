package studio.nexus.web;

import studio.nexus.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before any handler runs (an ambiguous or malformed URI such as {@code /profiles/%00}, a
 * header block too large) get a problem+json answer like every other error, not Jetty's HTML page.
 */
public final class JettyProblems extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        byte[] body = problem(code, message, request.getHttpURI() == null ? null : request.getHttpURI().getPath());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE));
        return ByteBuffer.wrap(problem(status, reason, null));
    }

    private static byte[] problem(int status, String message, String path) {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", "urn:studio-nexus:problem:" + code);
        body.put("title", status >= 500 ? "Internal server error" : "The request could not be read");
        body.put("status", status);
        // Jetty's reasons name the rule broken ("Ambiguous URI path encoding"); never a stack or internals.
        body.put("detail", message == null || message.isBlank() ? "The request is malformed" : message);
        if (path != null) {
            body.put("instance", path);
        }
        body.put("code", code);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
