package dev.invoka.protocol;

import java.util.List;
import java.util.Map;

/**
 * The FunctionConfiguration shape of the Lambda API (CreateFunction, GetFunctionConfiguration, ListFunctions
 * items, GetFunction's {@code Configuration}), in {@link LambdaJson} casing. {@code LastModified} is the
 * string form {@code 2019-09-26T20:28:40.438+0000}. Null members are left out.
 */
public record FunctionConfiguration(
        String functionName,
        String functionArn,
        String runtime,
        String role,
        String handler,
        long codeSize,
        String description,
        int timeout,
        int memorySize,
        String lastModified,
        String codeSha256,
        String version,
        Environment environment,
        DeadLetterConfig deadLetterConfig,
        TracingConfig tracingConfig,
        String revisionId,
        String state,
        String lastUpdateStatus,
        String packageType,
        List<String> architectures,
        EphemeralStorage ephemeralStorage,
        LoggingConfig loggingConfig,
        SnapStart snapStart) {

    public record Environment(Map<String, String> variables) {}

    public record DeadLetterConfig(String targetArn) {}

    public record TracingConfig(String mode) {}

    public record EphemeralStorage(int size) {}

    public record LoggingConfig(String logFormat, String logGroup) {}

    public record SnapStart(String applyOn, String optimizationStatus) {}
}
