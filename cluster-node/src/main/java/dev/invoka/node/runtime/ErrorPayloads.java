package dev.invoka.node.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Builds the function-error objects an invoker sees (lambda-spec §1.3), so that every runtime writes them
 * the same way: compact JSON, keys in the order {@code errorMessage}, {@code errorType}, then any others.
 *
 * <p>Key order is cosmetic for JSON readers; AWS itself is not consistent (a python exception starts with
 * {@code errorMessage}, a timeout with {@code errorType}). Invoka always starts with {@code errorMessage}.
 */
public final class ErrorPayloads {

    /** Lambda's limit on a function's response, 6 MiB + 100 bytes (lambda-spec §1.5). */
    public static final int MAX_RESPONSE_BYTES = 6_291_556;

    /** The payload of a function that returned nothing: JSON {@code null}. */
    static final byte[] NULL_JSON = "null".getBytes(StandardCharsets.US_ASCII);

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorPayloads() {}

    /**
     * The {@code errorMessage} of an error payload, cut to its first 1 KB (the dead-letter queue's
     * ErrorMessage attribute), or {@code fallback} when there is none.
     */
    public static String messageOf(byte[] errorPayload, String fallback) {
        String message = fallback;
        if (errorPayload != null) {
            try {
                var node = MAPPER.readTree(errorPayload);
                if (node != null && node.path("errorMessage").isTextual()) message = node.get("errorMessage").asText();
            } catch (java.io.IOException notJson) {
                // keep the fallback
            }
        }
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= 1024) return message;
        String cut = new String(utf8, 0, 1024, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }

    /** {@code {"errorMessage":...,"errorType":...}}. */
    public static byte[] json(String errorMessage, String errorType) {
        return bytes(node(errorMessage, errorType));
    }

    /** A function error whose payload is {@code {"errorMessage":...,"errorType":...}}. */
    public static InvocationResult.FunctionError functionError(String errorType, String errorMessage) {
        return new InvocationResult.FunctionError(errorType, errorMessage, json(errorMessage, errorType));
    }

    /**
     * An error raised by the function's own code, shaped like python's:
     * {@code {"errorMessage":...,"errorType":...,"requestId":...,"stackTrace":[...]}}.
     */
    public static InvocationResult.FunctionError handlerError(String errorType, String errorMessage,
                                                              String requestId, List<String> stackTrace) {
        ObjectNode node = node(errorMessage, errorType);
        node.put("requestId", requestId == null ? "" : requestId);
        stackTrace.forEach(node.putArray("stackTrace")::add);
        return new InvocationResult.FunctionError(errorType, errorMessage, bytes(node));
    }

    /**
     * The function's Timeout passed: {@code Sandbox.Timedout} with AWS's message,
     * e.g. {@code RequestId: <id> Error: Task timed out after 1.00 seconds}.
     */
    public static InvocationResult.FunctionError timedOut(String requestId, int timeoutSeconds) {
        String message = String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                requestId, (double) timeoutSeconds);
        return functionError("Sandbox.Timedout", message);
    }

    /** The function's response was over {@link #MAX_RESPONSE_BYTES}. */
    public static InvocationResult.FunctionError responseTooLarge() {
        return functionError("Function.ResponseSizeTooLarge",
                "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
    }

    private static ObjectNode node(String errorMessage, String errorType) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("errorMessage", errorMessage == null ? "" : errorMessage);
        node.put("errorType", errorType == null ? "" : errorType);
        return node;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree of strings always serializes; this cannot happen.
            throw new UncheckedIOException(e);
        }
    }
}
