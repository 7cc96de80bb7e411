package dev.invoka.node.function;

import dev.invoka.node.CborSerializable;
import dev.invoka.protocol.CreateFunctionRequest;
import dev.invoka.protocol.UpdateFunctionConfigurationRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The configuration of a function's {@code $LATEST}, as journaled. Immutable; every change makes a new
 * one with a new {@code revisionId}. Defaults are AWS's (Timeout 3 s, MemorySize 128 MB).
 */
public record FunctionConfig(
        String name,
        String runtime,
        String role,
        String handler,
        String description,
        int timeout,
        int memorySize,
        Map<String, String> environment,
        String deadLetterTargetArn,
        String codeSha256,
        long codeSize,
        String packageType,
        List<String> architectures,
        Map<String, String> tags,
        long lastModifiedEpochMs,
        String revisionId) implements CborSerializable {

    public static final int DEFAULT_TIMEOUT = 3;
    public static final int DEFAULT_MEMORY = 128;

    public FunctionConfig {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        architectures = architectures == null || architectures.isEmpty() ? List.of("x86_64") : List.copyOf(architectures);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        description = description == null ? "" : description;
        packageType = packageType == null ? "Zip" : packageType;
    }

    /** A new function from a validated CreateFunction request. */
    public static FunctionConfig fromCreate(String name, CreateFunctionRequest r, long nowMs) {
        byte[] code = codeBytes(r.code(), r.handler());
        return new FunctionConfig(
                name, r.runtime(), r.role(), r.handler(), r.description(),
                r.timeout() == null ? DEFAULT_TIMEOUT : r.timeout(),
                r.memorySize() == null ? DEFAULT_MEMORY : r.memorySize(),
                r.environment() == null ? null : r.environment().variables(),
                r.deadLetterConfig() == null ? null : emptyToNull(r.deadLetterConfig().targetArn()),
                sha256(code), r.code() != null && r.code().zipFile() != null ? code.length : 0,
                r.packageType(), r.architectures(), r.tags(), nowMs, UUID.randomUUID().toString());
    }

    /**
     * This configuration with the members of an UpdateFunctionConfiguration applied; absent members keep
     * their value. An empty DeadLetterConfig.TargetArn removes the dead-letter queue; an absent one keeps it
     * (AWS-recorded: {@code DeadLetterConfig={}} does not clear it).
     */
    public FunctionConfig updatedWith(UpdateFunctionConfigurationRequest u, long nowMs) {
        String dlq = deadLetterTargetArn;
        if (u.deadLetterConfig() != null && u.deadLetterConfig().targetArn() != null) {
            dlq = emptyToNull(u.deadLetterConfig().targetArn());
        }
        return new FunctionConfig(
                name,
                orElse(u.runtime(), runtime),
                orElse(u.role(), role),
                orElse(u.handler(), handler),
                orElse(u.description(), description),
                u.timeout() == null ? timeout : u.timeout(),
                u.memorySize() == null ? memorySize : u.memorySize(),
                u.environment() == null ? environment
                        : u.environment().variables() == null ? Map.of() : u.environment().variables(),
                dlq, codeSha256, codeSize, packageType, architectures, tags, nowMs, UUID.randomUUID().toString());
    }

    private static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static byte[] codeBytes(CreateFunctionRequest.Code code, String handler) {
        if (code != null && code.zipFile() != null) {
            try {
                return Base64.getDecoder().decode(code.zipFile());
            } catch (IllegalArgumentException notBase64) {
                return code.zipFile().getBytes(StandardCharsets.UTF_8);
            }
        }
        return Objects.toString(handler, "").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
