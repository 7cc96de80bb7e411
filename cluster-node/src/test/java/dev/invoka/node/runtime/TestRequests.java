package dev.invoka.node.runtime;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Builds requests for runtime tests and waits (briefly) for outcomes. */
final class TestRequests {

    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:test-fn:live";

    private TestRequests() {}

    static InvocationRequest request(String handler, Map<String, String> env, String payload, int timeoutSeconds,
                                     long deadlineEpochMs) {
        return request(UUID.randomUUID().toString(), handler, env, payload, timeoutSeconds, deadlineEpochMs);
    }

    static InvocationRequest request(String requestId, String handler, Map<String, String> env, String payload,
                                     int timeoutSeconds, long deadlineEpochMs) {
        return new InvocationRequest(requestId, ARN, "test-fn", "$LATEST", handler, timeoutSeconds, 128, env,
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), deadlineEpochMs);
    }

    /** A request whose deadline is {@code timeoutSeconds} from now. */
    static InvocationRequest request(String handler, Map<String, String> env, String payload, int timeoutSeconds) {
        return request(handler, env, payload, timeoutSeconds, System.currentTimeMillis() + timeoutSeconds * 1000L);
    }

    static InvocationResult await(CompletionStage<InvocationResult> stage) {
        try {
            return stage.toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within 2 s", e);
        }
    }

    static <T extends InvocationResult> T await(CompletionStage<InvocationResult> stage, Class<T> type) {
        return assertInstanceOf(type, await(stage));
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
