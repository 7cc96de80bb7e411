package dev.invoka.node.runtime;

import java.util.Map;

/**
 * One attempt of one invocation, as a runtime sees it.
 *
 * @param requestId          the invocation's request id (the same for every attempt of an async event)
 * @param invokedFunctionArn the ARN the client invoked (with its qualifier, if it gave one)
 * @param functionName       the function's name
 * @param version            the executed version, e.g. {@code $LATEST}
 * @param handler            the configured Handler (builtin: echo, fail, ...; http: the URL)
 * @param timeoutSeconds     the function's Timeout
 * @param memorySizeMb       the function's MemorySize
 * @param environment        the function's environment variables (never null)
 * @param payload            the event bytes (JSON)
 * @param deadlineEpochMs    start of the attempt plus the timeout, in epoch milliseconds
 */
public record InvocationRequest(
        String requestId,
        String invokedFunctionArn,
        String functionName,
        String version,
        String handler,
        int timeoutSeconds,
        int memorySizeMb,
        Map<String, String> environment,
        byte[] payload,
        long deadlineEpochMs) {}
