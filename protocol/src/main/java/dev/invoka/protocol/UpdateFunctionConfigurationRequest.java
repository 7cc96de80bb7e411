package dev.invoka.protocol;

/** The body of UpdateFunctionConfiguration: every member optional, absent means unchanged. */
public record UpdateFunctionConfigurationRequest(
        String runtime,
        String role,
        String handler,
        String description,
        Integer timeout,
        Integer memorySize,
        CreateFunctionRequest.Environment environment,
        CreateFunctionRequest.DeadLetterConfig deadLetterConfig,
        String revisionId) {}
