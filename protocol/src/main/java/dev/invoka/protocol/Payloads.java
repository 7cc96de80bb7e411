package dev.invoka.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Invoke payload rules (docs/lambda-spec.md §1.1, §1.5): the body must be one JSON value in UTF-8, an empty body
 * means {@code {}}, and the size is capped per invocation type.
 */
public final class Payloads {

    /** Largest request payload of a synchronous (RequestResponse/DryRun) invoke, in bytes. */
    public static final int SYNC_LIMIT = 6_291_456;
    /** Largest request payload of an asynchronous (Event) invoke, in bytes. */
    public static final int ASYNC_LIMIT = 1_048_576;

    static final String PREFIX = "Could not parse request body into json: Could not parse payload into json: ";
    private static final String EXPECTED_VALUE =
            "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectReader READER = new ObjectMapper()
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Payloads() {}

    /**
     * Checks that {@code body} is exactly one JSON value (any value: object, array, string, number, boolean,
     * null), optionally surrounded by whitespace.
     *
     * @param body the raw request body; {@code null} or empty means no payload
     * @return a new {@code {}} array for a missing or empty body, otherwise {@code body} itself (not copied)
     * @throws LambdaException 400 InvalidRequestContentException {@code Could not parse request body into json:
     *     Could not parse payload into json: <Jackson's message>}; a body of only whitespace, a second value or
     *     trailing garbage are rejected too. A body whose first non-blank byte is a non-ASCII byte that cannot
     *     start a token (e.g. 0x99) is described as Jackson up to 2.21 (which AWS ran) does:
     *     {@code Unexpected character ((CTRL-CHAR, code 153)): expected a valid value ...} at that byte.
     */
    public static byte[] requireJson(byte[] body) {
        if (body == null || body.length == 0) return EMPTY_OBJECT.clone();
        String legacy = legacyLeadingByteMessage(body);
        if (legacy != null) throw LambdaException.invalidRequestContent(PREFIX + legacy);
        try {
            READER.readValue(body);
            return body;
        } catch (IOException e) {
            throw LambdaException.invalidRequestContent(PREFIX + e.getMessage());
        }
    }

    /**
     * The 413 RequestEntityTooLargeException for a payload of {@code size} bytes (docs/lambda-spec.md §1.5).
     *
     * @param async true for InvocationType Event
     */
    public static LambdaException tooLarge(int size, boolean async) {
        return LambdaException.requestEntityTooLarge(async
                ? size + " byte payload is too large for the Event invocation type (limit " + ASYNC_LIMIT + " bytes)"
                : "Request must be smaller than " + SYNC_LIMIT + " bytes for the InvokeFunction operation");
    }

    /** Whether {@code size} bytes exceed the limit of the invocation type. */
    public static boolean exceedsLimit(int size, boolean async) {
        return size > (async ? ASYNC_LIMIT : SYNC_LIMIT);
    }

    private static String legacyLeadingByteMessage(byte[] body) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xFF;
            if (b == ' ' || b == '\t') continue;
            if (b == '\n' || b == '\r') {
                if (b == '\r' && i + 1 < body.length && body[i + 1] == '\n') i++;
                line++;
                lineStart = i + 1;
                continue;
            }
            if (b < 0x80 || Character.isJavaIdentifierStart((char) b)) return null;
            JsonLocation at = new JsonLocation(ContentReference.redacted(), -1L, -1L, line, i - lineStart + 1);
            return "Unexpected character (" + describe(b) + "): " + EXPECTED_VALUE + "\n at " + at;
        }
        return null;
    }

    private static String describe(int b) {
        char c = (char) b;
        return Character.isISOControl(c) ? "(CTRL-CHAR, code " + b + ")" : "'" + c + "' (code " + b + ")";
    }
}
