package dev.invoka.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FunctionValidationTest {

    static final String ROLE = "arn:aws:iam::111111111111:role/lambda-role";
    static final String ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
    static final String MANDATORY = "Runtime and Handler are mandatory parameters for functions created with deployment packages.";
    static final String VALIDATION = "ValidationException";
    static final String INVALID = "InvalidParameterValueException";

    /** A request as the JSON body, members in wire casing; a null value removes the member. */
    static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("FunctionName", "f", "Runtime", "builtin", "Role", ROLE, "Handler", "echo"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) m.remove((String) kv[i]); else m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static CreateFunctionRequest create(Map<String, Object> body) {
        return LambdaJson.MAPPER.convertValue(body, CreateFunctionRequest.class);
    }

    static UpdateFunctionConfigurationRequest update(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return LambdaJson.MAPPER.convertValue(m, UpdateFunctionConfigurationRequest.class);
    }

    static FunctionConfiguration current(String runtime, String handler) {
        return new FunctionConfiguration("f", null, runtime, ROLE, handler, 0, "", 3, 128, null, null, "$LATEST",
                null, null, null, null, "Active", null, "Zip", List.of("x86_64"), null, null, null);
    }

    static String one(String violation) { return "1 validation error detected: " + violation; }

    static Map<String, Object> env(Map<String, String> vars) { return Map.of("Variables", vars); }

    static Stream<Map<String, Object>> validCreates() {
        return Stream.of(
                body(),
                body("Handler", "fail-then-succeed", "Timeout", 900, "MemorySize", 10240, "Description", "d".repeat(256)),
                body("Runtime", "http", "Handler", "https://example.com/fn"),
                body("Runtime", "http", "Handler", "http://10.0.0.1:8080/invoke?x=1"),
                body("Role", "arn:aws:iam::111111111111:role/service-role/r+=,.@-_", "Timeout", 1, "MemorySize", 128),
                body("Environment", env(Map.of("ENV_A", "a", "b1", "")), "DeadLetterConfig", Map.of("TargetArn", "arn:aws:sqs:us-east-1:111111111111:dlq")),
                body("DeadLetterConfig", Map.of("TargetArn", ""), "Architectures", List.of("arm64"), "PackageType", "Zip",
                        "Code", Map.of("ZipFile", "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==")),
                body("Environment", env(Map.of("KK", "v".repeat(4096 - 9)))));
    }

    @ParameterizedTest
    @MethodSource("validCreates")
    void acceptsValidCreates(Map<String, Object> body) {
        assertDoesNotThrow(() -> FunctionValidation.validateCreate(create(body)));
    }

    static Stream<Arguments> invalidCreates() {
        String big = "v".repeat(4096 - 8);
        return Stream.of(
                // AWS-recorded: test_create_lambda_exceptions invalid_role_arn_exc
                Arguments.of(body("Role", "r1"), VALIDATION, one("Value 'r1' at 'role' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: " + ROLE_PATTERN)),
                // AWS-recorded: multiple_architectures, uppercase_architecture
                Arguments.of(body("Architectures", List.of("x86_64", "arm64")), VALIDATION, one("Value '[x86_64, arm64]' at "
                        + "'architectures' failed to satisfy constraint: Member must have length less than or equal to 1")),
                Arguments.of(body("Architectures", List.of("X86_64")), VALIDATION, one("Value '[X86_64]' at 'architectures' "
                        + "failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
                        + "[x86_64, arm64], Member must not be null]")),
                Arguments.of(body("Role", null), VALIDATION, one("Value null at 'role' failed to satisfy constraint: Member must not be null")),
                Arguments.of(body("Timeout", 0), VALIDATION, one("Value '0' at 'timeout' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1")),
                Arguments.of(body("Timeout", 901), VALIDATION, one("Value '901' at 'timeout' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 900")),
                Arguments.of(body("MemorySize", 127), VALIDATION, one("Value '127' at 'memorySize' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 128")),
                Arguments.of(body("MemorySize", 10241), VALIDATION, one("Value '10241' at 'memorySize' failed to satisfy "
                        + "constraint: Member must have value less than or equal to 10240")),
                Arguments.of(body("Handler", "h".repeat(129)), VALIDATION, one("Value '" + "h".repeat(129) + "' at 'handler' "
                        + "failed to satisfy constraint: Member must have length less than or equal to 128")),
                Arguments.of(body("Handler", "a b"), VALIDATION, one("Value 'a b' at 'handler' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [^\\s]+")),
                Arguments.of(body("Description", "d".repeat(257)), VALIDATION, one("Value '" + "d".repeat(257) + "' at "
                        + "'description' failed to satisfy constraint: Member must have length less than or equal to 256")),
                Arguments.of(body("Environment", env(Map.of("A", "x"))), VALIDATION, one("Value at 'environment.variables' "
                        + "failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular "
                        + "expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]")),
                Arguments.of(body("Environment", env(Map.of("1ABC", "x"))), VALIDATION, one("Value at 'environment.variables' "
                        + "failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular "
                        + "expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]")),
                Arguments.of(body("DeadLetterConfig", Map.of("TargetArn", "my-queue")), VALIDATION, one("Value 'my-queue' at "
                        + "'deadLetterConfig.targetArn' failed to satisfy constraint: Member must satisfy regular expression "
                        + "pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()")),
                Arguments.of(body("PackageType", "zip"), VALIDATION, one("Value 'zip' at 'packageType' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [Zip, Image]")),
                Arguments.of(body("Role", null, "Timeout", 0, "MemorySize", 64), VALIDATION, "3 validation errors detected: "
                        + "Value null at 'role' failed to satisfy constraint: Member must not be null; Value '0' at 'timeout' "
                        + "failed to satisfy constraint: Member must have value greater than or equal to 1; Value '64' at "
                        + "'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"),
                // shape of AWS-recorded invalid_runtime_exc / uppercase_runtime_exc, with Invoka's runtimes
                Arguments.of(body("Runtime", "non-existent-runtime"), INVALID, "Value non-existent-runtime at 'runtime' failed "
                        + "to satisfy constraint: Member must satisfy enum value set: [builtin, http]"),
                Arguments.of(body("Runtime", "BUILTIN"), INVALID, "Value BUILTIN at 'runtime' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [builtin, http]"),
                Arguments.of(body("Runtime", null), INVALID, MANDATORY),
                Arguments.of(body("Handler", null), INVALID, MANDATORY),
                Arguments.of(body("Handler", "index.handler"), INVALID, "Handler 'index.handler' is not supported by runtime "
                        + "builtin. Supported handlers: [echo, fail, fail-then-succeed, flaky, sleep]"),
                Arguments.of(body("Runtime", "http"), INVALID, "Handler 'echo' is not valid for runtime http: it must be an "
                        + "absolute http:// or https:// URL"),
                Arguments.of(body("Runtime", "http", "Handler", "ftp://example.com/x"), INVALID, "Handler 'ftp://example.com/x' "
                        + "is not valid for runtime http: it must be an absolute http:// or https:// URL"),
                Arguments.of(body("Runtime", "http", "Handler", "http:///path"), INVALID, "Handler 'http:///path' "
                        + "is not valid for runtime http: it must be an absolute http:// or https:// URL"),
                Arguments.of(body("Environment", env(Map.of("KK", big))), INVALID, "Lambda was unable to configure your "
                        + "environment variables because the environment variables you have provided exceeded the 4KB limit. "
                        + "String measured: {\"KK\":\"" + big + "\"}"));
    }

    @ParameterizedTest
    @MethodSource("invalidCreates")
    void rejectsInvalidCreatesAsAws(Map<String, Object> body, String type, String message) {
        LambdaException e = assertThrows(LambdaException.class, () -> FunctionValidation.validateCreate(create(body)));
        assertEquals(message, e.getMessage());
        assertEquals(type, e.errorType());
        assertEquals(400, e.status());
    }

    static Stream<Arguments> updates() {
        String notUrl = "Handler 'echo' is not valid for runtime http: it must be an absolute http:// or https:// URL";
        return Stream.of(
                Arguments.of(update(), null, null, null),
                Arguments.of(update("Handler", "anything"), null, null, null),
                Arguments.of(update("Runtime", "http"), null, null, null),
                Arguments.of(update("Handler", "sleep"), current("builtin", "echo"), null, null),
                Arguments.of(update("Runtime", "http", "Handler", "https://h/x"), current("builtin", "echo"), null, null),
                Arguments.of(update("Description", "new", "Timeout", 10, "MemorySize", 512,
                        "Environment", env(Map.of("ENV_A", "a"))), current("builtin", "echo"), null, null),
                Arguments.of(update("Handler", "nope"), current("builtin", "echo"), INVALID, "Handler 'nope' is not supported by "
                        + "runtime builtin. Supported handlers: [echo, fail, fail-then-succeed, flaky, sleep]"),
                Arguments.of(update("Runtime", "http"), current("builtin", "echo"), INVALID, notUrl),
                Arguments.of(update("Runtime", "python3.12"), current("builtin", "echo"), INVALID, "Value python3.12 at 'runtime' "
                        + "failed to satisfy constraint: Member must satisfy enum value set: [builtin, http]"),
                Arguments.of(update("Timeout", 0), null, VALIDATION, one("Value '0' at 'timeout' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1")),
                Arguments.of(update("Role", "r1", "Handler", ""), null, VALIDATION, "2 validation errors detected: Value 'r1' at "
                        + "'role' failed to satisfy constraint: Member must satisfy regular expression pattern: " + ROLE_PATTERN
                        + "; Value '' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+"));
    }

    @ParameterizedTest
    @MethodSource("updates")
    void validatesUpdates(UpdateFunctionConfigurationRequest r, FunctionConfiguration current, String type, String message) {
        if (type == null) {
            assertDoesNotThrow(() -> FunctionValidation.validateUpdate(r, current));
            if (current == null) assertDoesNotThrow(() -> FunctionValidation.validateUpdate(r));
            return;
        }
        LambdaException e = assertThrows(LambdaException.class, () -> FunctionValidation.validateUpdate(r, current));
        assertEquals(message, e.getMessage());
        assertEquals(type, e.errorType());
    }
}
