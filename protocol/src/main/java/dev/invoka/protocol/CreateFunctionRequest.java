package dev.invoka.protocol;

import java.util.List;
import java.util.Map;

/**
 * The body of CreateFunction (the members Invoka models; others are accepted and ignored).
 * Boxed types: absent members are null, so defaults are applied in one place.
 */
public record CreateFunctionRequest(
        String functionName,
        String runtime,
        String role,
        String handler,
        Code code,
        String description,
        Integer timeout,
        Integer memorySize,
        Boolean publish,
        Environment environment,
        DeadLetterConfig deadLetterConfig,
        String packageType,
        List<String> architectures,
        Map<String, String> tags) {

    /** Function code. Optional for the builtin and http runtimes (the aws CLI still sends one). */
    public record Code(String zipFile, String s3Bucket, String s3Key, String s3ObjectVersion, String imageUri) {}

    public record Environment(Map<String, String> variables) {}

    public record DeadLetterConfig(String targetArn) {}
}
