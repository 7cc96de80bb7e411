package dev.invoka.node.runtime;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/** The outcome of one attempt. Crosses nodes inside replies, hence the type names. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InvocationResult.Success.class, name = "success"),
        @JsonSubTypes.Type(value = InvocationResult.FunctionError.class, name = "function-error"),
        @JsonSubTypes.Type(value = InvocationResult.Throttled.class, name = "throttled"),
        @JsonSubTypes.Type(value = InvocationResult.SystemError.class, name = "system-error")
})
public sealed interface InvocationResult {

    /** The function returned; {@code payload} is its response (JSON bytes, {@code null} JSON when empty). */
    record Success(byte[] payload) implements InvocationResult {}

    /**
     * The function failed: an error from its code or runtime, a crash, or its timeout passing
     * ({@code errorType} {@code Sandbox.Timedout}). {@code payload} is the error object as the invoker sees
     * it, e.g. {@code {"errorMessage":"...","errorType":"..."}}. Retried as a function error.
     */
    record FunctionError(String errorType, String errorMessage, byte[] payload) implements InvocationResult {}

    /** The function's backend is saturated (HTTP 429/503). {@code retryAfter} may be null. Retried with backoff. */
    record Throttled(String reason, Duration retryAfter) implements InvocationResult {}

    /** Invoka could not run the attempt for a reason that is not the function's fault. Retried with backoff. */
    record SystemError(String message) implements InvocationResult {}
}
