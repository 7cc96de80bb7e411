package dev.invoka.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The invocation record sent to destinations (docs/lambda-spec.md §4.2), as compact JSON with AWS's key
 * order. {@code requestPayload} and {@code responsePayload} are the parsed JSON of the event and of the
 * function's result or last error. Records of events that never ran (no response) carry neither
 * {@code responseContext} nor {@code responsePayload}, as AWS's ZeroReservedConcurrency record.
 *
 * @param requestId     the invoke's request id
 * @param functionArn   the qualified ARN ({@code ...:$LATEST} for unqualified invokes)
 * @param condition     Success, RetriesExhausted, EventAgeExceeded or ZeroReservedConcurrency
 * @param invokeCount   approximateInvokeCount: the number of attempts
 * @param timestamp     when the outcome was decided
 * @param request       the event's bytes (JSON)
 * @param response      the result or the last error (JSON), or null when the function never ran
 * @param functionError whether {@code response} is a function error
 * @param version       the executed version
 */
public record InvocationRecord(String requestId, String functionArn, String condition, int invokeCount,
                               Instant timestamp, byte[] request, byte[] response, boolean functionError,
                               String version) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Compact JSON, keys in AWS's order. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.length + (response == null ? 0 : response.length));
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setCodec(JSON);
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeStringField("timestamp", TIMESTAMP.format(timestamp));
            g.writeObjectFieldStart("requestContext");
            g.writeStringField("requestId", requestId);
            g.writeStringField("functionArn", functionArn);
            g.writeStringField("condition", condition);
            g.writeNumberField("approximateInvokeCount", invokeCount);
            g.writeEndObject();
            g.writeFieldName("requestPayload");
            g.writeTree(parse(request));
            if (response != null) {
                g.writeObjectFieldStart("responseContext");
                g.writeNumberField("statusCode", 200);
                g.writeStringField("executedVersion", version);
                if (functionError) g.writeStringField("functionError", "Unhandled");
                g.writeEndObject();
                g.writeFieldName("responsePayload");
                g.writeTree(parse(response));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** JSON as a tree; bytes that are not JSON (a function may answer anything) become a JSON string. */
    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) return JSON.nullNode();
        try {
            return JSON.readTree(bytes);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
