package dev.invoka.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation of CreateFunction and UpdateFunctionConfiguration bodies, in two stages as AWS does:
 *
 * <ol>
 *   <li>Model constraints, all collected into one 400 {@code ValidationException}
 *       ({@code N validation errors detected: Value 'v' at 'field' failed to satisfy constraint: Member must ...}),
 *       fields in the order role, handler, description, timeout, memorySize, packageType,
 *       deadLetterConfig.targetArn, environment.variables, architectures; per field length before pattern.
 *       Limits: Role pattern {@value #ROLE_PATTERN} (required on create), Handler ≤128 {@value #HANDLER_PATTERN},
 *       Description ≤256, Timeout 1–900, MemorySize 128–10240, environment keys {@value #ENV_KEY_PATTERN},
 *       DeadLetterConfig.TargetArn {@value #DLQ_TARGET_PATTERN}, Architectures one of [x86_64, arm64],
 *       PackageType one of [Zip, Image].</li>
 *   <li>Invoka's rules, first failure wins, as 400 {@code InvalidParameterValueException}: Runtime and Handler
 *       present (create), Runtime one of {@link #RUNTIMES}, the handler valid for the runtime (builtin:
 *       {@link #BUILTIN_HANDLERS}; http: an absolute http:// or https:// URL), environment variables at most
 *       4 KB as compact JSON.</li>
 * </ol>
 * The FunctionName member is not checked here: use {@link FunctionNames#parseForCreate}. Code is optional.
 */
public final class FunctionValidation {

    public static final List<String> RUNTIMES = List.of("builtin", "http");
    public static final List<String> BUILTIN_HANDLERS = List.of("echo", "fail", "fail-then-succeed", "flaky", "sleep");
    public static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
    public static final List<String> PACKAGE_TYPES = List.of("Zip", "Image");
    public static final String ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
    public static final String HANDLER_PATTERN = "[^\\s]+";
    public static final String ENV_KEY_PATTERN = "[a-zA-Z]([a-zA-Z0-9_])+";
    public static final String DLQ_TARGET_PATTERN = "(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()";
    public static final int MIN_TIMEOUT = 1;
    public static final int MAX_TIMEOUT = 900;
    public static final int MIN_MEMORY = 128;
    public static final int MAX_MEMORY = 10240;
    public static final int MAX_HANDLER = 128;
    public static final int MAX_DESCRIPTION = 256;
    public static final int MAX_ARN = 10000;
    public static final int MAX_ENVIRONMENT_BYTES = 4096;

    public static final String MANDATORY =
            "Runtime and Handler are mandatory parameters for functions created with deployment packages.";
    static final String ENV_TOO_LARGE = "Lambda was unable to configure your environment variables because the "
            + "environment variables you have provided exceeded the 4KB limit. String measured: ";

    private static final Pattern ROLE = Pattern.compile(ROLE_PATTERN);
    private static final Pattern HANDLER = Pattern.compile(HANDLER_PATTERN);
    private static final Pattern ENV_KEY = Pattern.compile(ENV_KEY_PATTERN);
    private static final Pattern DLQ_TARGET = Pattern.compile(DLQ_TARGET_PATTERN);
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionValidation() {}

    /** Validates a CreateFunction body; see the class comment for the rules and their order. */
    public static void validateCreate(CreateFunctionRequest r) {
        List<String> v = new ArrayList<>();
        if (r.role() == null) v.add(notNull("role"));
        common(v, r.role(), r.handler(), r.description(), r.timeout(), r.memorySize(), r.packageType(),
                r.deadLetterConfig(), r.environment());
        List<String> arch = r.architectures();
        if (arch != null) {
            if (arch.isEmpty()) v.add(minLength("architectures", arch.toString(), 1));
            if (arch.size() > 1) v.add(maxLength("architectures", arch.toString(), 1));
            if (!arch.stream().allMatch(a -> a != null && ARCHITECTURES.contains(a))) {
                v.add(value("architectures", arch.toString()) + "Member must satisfy constraint: [Member must satisfy "
                        + "enum value set: " + ARCHITECTURES + ", Member must not be null]");
            }
        }
        if (!v.isEmpty()) throw LambdaException.validation(v);
        if (r.runtime() == null) throw LambdaException.invalidParameterValue(MANDATORY);
        checkRuntime(r.runtime());
        if (r.handler() == null) throw LambdaException.invalidParameterValue(MANDATORY);
        checkHandler(r.runtime(), r.handler());
        checkEnvironmentSize(r.environment());
    }

    /** Validates an UpdateFunctionConfiguration body on its own: absent members are not checked. */
    public static void validateUpdate(UpdateFunctionConfigurationRequest r) {
        validateUpdate(r, null);
    }

    /**
     * Validates an UpdateFunctionConfiguration body against the function it changes: when the body sets Runtime
     * or Handler, the resulting pair (body value, else {@code current}'s) must fit together.
     *
     * @param current the function's configuration before the update, or {@code null} if unknown
     */
    public static void validateUpdate(UpdateFunctionConfigurationRequest r, FunctionConfiguration current) {
        List<String> v = new ArrayList<>();
        common(v, r.role(), r.handler(), r.description(), r.timeout(), r.memorySize(), null,
                r.deadLetterConfig(), r.environment());
        if (!v.isEmpty()) throw LambdaException.validation(v);
        if (r.runtime() != null) checkRuntime(r.runtime());
        if (r.runtime() != null || r.handler() != null) {
            String runtime = r.runtime() != null ? r.runtime() : current == null ? null : current.runtime();
            String handler = r.handler() != null ? r.handler() : current == null ? null : current.handler();
            if (runtime != null && handler != null && RUNTIMES.contains(runtime)) checkHandler(runtime, handler);
        }
        checkEnvironmentSize(r.environment());
    }

    private static void common(List<String> v, String role, String handler, String description, Integer timeout,
                               Integer memorySize, String packageType, CreateFunctionRequest.DeadLetterConfig dlq,
                               CreateFunctionRequest.Environment environment) {
        if (role != null) {
            if (role.length() > MAX_ARN) v.add(maxLength("role", role, MAX_ARN));
            if (!ROLE.matcher(role).matches()) v.add(pattern("role", role, ROLE_PATTERN));
        }
        if (handler != null) {
            if (handler.length() > MAX_HANDLER) v.add(maxLength("handler", handler, MAX_HANDLER));
            if (!HANDLER.matcher(handler).matches()) v.add(pattern("handler", handler, HANDLER_PATTERN));
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            v.add(maxLength("description", description, MAX_DESCRIPTION));
        }
        range(v, "timeout", timeout, MIN_TIMEOUT, MAX_TIMEOUT);
        range(v, "memorySize", memorySize, MIN_MEMORY, MAX_MEMORY);
        if (packageType != null && !PACKAGE_TYPES.contains(packageType)) {
            v.add(value("packageType", packageType) + "Member must satisfy enum value set: " + PACKAGE_TYPES);
        }
        String target = dlq == null ? null : dlq.targetArn();
        if (target != null) {
            if (target.length() > MAX_ARN) v.add(maxLength("deadLetterConfig.targetArn", target, MAX_ARN));
            if (!DLQ_TARGET.matcher(target).matches()) {
                v.add(pattern("deadLetterConfig.targetArn", target, DLQ_TARGET_PATTERN));
            }
        }
        Map<String, String> vars = environment == null ? null : environment.variables();
        if (vars != null) {
            if (!vars.keySet().stream().allMatch(k -> k != null && ENV_KEY.matcher(k).matches())) {
                v.add("Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy "
                        + "constraint: [Member must satisfy regular expression pattern: " + ENV_KEY_PATTERN + "]");
            }
            if (vars.values().stream().anyMatch(Objects::isNull)) {
                v.add("Value at 'environment.variables' failed to satisfy constraint: Map value must satisfy "
                        + "constraint: [Member must not be null]");
            }
        }
    }

    private static void range(List<String> v, String field, Integer n, int min, int max) {
        if (n == null) return;
        if (n < min) v.add(value(field, n) + "Member must have value greater than or equal to " + min);
        if (n > max) v.add(value(field, n) + "Member must have value less than or equal to " + max);
    }

    private static void checkRuntime(String runtime) {
        if (!RUNTIMES.contains(runtime)) {
            throw LambdaException.invalidParameterValue("Value " + runtime
                    + " at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: " + RUNTIMES);
        }
    }

    private static void checkHandler(String runtime, String handler) {
        if (runtime.equals("builtin") && !BUILTIN_HANDLERS.contains(handler)) {
            throw LambdaException.invalidParameterValue("Handler '" + handler
                    + "' is not supported by runtime builtin. Supported handlers: " + BUILTIN_HANDLERS);
        }
        if (runtime.equals("http") && !isHttpUrl(handler)) {
            throw LambdaException.invalidParameterValue("Handler '" + handler
                    + "' is not valid for runtime http: it must be an absolute http:// or https:// URL");
        }
    }

    static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            String scheme = u.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && u.getHost() != null && !u.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void checkEnvironmentSize(CreateFunctionRequest.Environment environment) {
        if (environment == null || environment.variables() == null) return;
        String measured;
        try {
            measured = JSON.writeValueAsString(environment.variables());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (measured.getBytes(StandardCharsets.UTF_8).length > MAX_ENVIRONMENT_BYTES) {
            throw LambdaException.invalidParameterValue(ENV_TOO_LARGE + measured);
        }
    }

    private static String value(String field, Object v) {
        return "Value '" + v + "' at '" + field + "' failed to satisfy constraint: ";
    }

    static String notNull(String field) {
        return "Value null at '" + field + "' failed to satisfy constraint: Member must not be null";
    }

    static String pattern(String field, String v, String regex) {
        return value(field, v) + "Member must satisfy regular expression pattern: " + regex;
    }

    static String maxLength(String field, String v, int max) {
        return value(field, v) + "Member must have length less than or equal to " + max;
    }

    static String minLength(String field, String v, int min) {
        return value(field, v) + "Member must have length greater than or equal to " + min;
    }
}
