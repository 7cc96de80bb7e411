package dev.invoka.protocol;

import static dev.invoka.protocol.FunctionValidation.maxLength;
import static dev.invoka.protocol.FunctionValidation.minLength;
import static dev.invoka.protocol.FunctionValidation.notNull;
import static dev.invoka.protocol.FunctionValidation.pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code FunctionName} path parameter (and the {@code Qualifier} query parameter) of the Lambda API
 * into a {@link FunctionRef}, failing with the {@link LambdaException} AWS answers (docs/lambda-spec.md §1.2, §6.1).
 *
 * <p>Accepted forms: {@code name}, {@code name:qualifier}, {@code arn:aws:lambda:{region}:{account}:function:name[:q]},
 * {@code {account}:function:name[:q]}, {@code {region}:{account}:function:name[:q]}. A string with a single colon
 * and no {@code function:} segment is always {@code name:qualifier} (so a function called {@code us-east-1} or
 * {@code 123456789012} can be addressed with an alias).
 *
 * <p>Checks, in this order: (1) model constraints, collected into one {@code ValidationException}
 * ({@code qualifier} before {@code functionName}, per field length before pattern, as AWS lists them);
 * (2) qualifier rules (400 {@code InvalidParameterValueException}); (3) an ARN region other than the serving
 * region (404 {@code Functions from 'r' are not reachable in this region ('s')}); (4) an ARN account other than
 * Invoka's (404 {@code Function not found: <that ARN, qualified>}); (5) a function name longer than 64 characters
 * (404 {@code Function not found}, not a validation error, as AWS). Whether the function or qualifier exists is
 * left to the caller. An ARN without region or account after {@code arn:aws:lambda:} (allowed by the pattern
 * AWS quotes) takes the serving region and account; any partition is accepted.
 */
public final class FunctionNames {

    /** The pattern AWS quotes for NamespacedFunctionName (Invoke, GetFunction, ...), as recorded on AWS. */
    public static final String NAMESPACED_FUNCTION_NAME_PATTERN =
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
            + "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
    /** The model pattern of the FunctionName shape (CreateFunction, concurrency, UpdateFunctionConfiguration). */
    public static final String FUNCTION_NAME_PATTERN =
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
            + "(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    /** The model pattern of the Qualifier query parameter. */
    public static final String QUALIFIER_PATTERN = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";

    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_NAMESPACED_LENGTH = 256;
    public static final int MAX_FUNCTION_NAME_LENGTH = 140;
    public static final int MAX_QUALIFIER_LENGTH = 128;

    public static final String QUALIFIER_MISMATCH =
            "The derived qualifier from the function name does not match the specified qualifier.";
    public static final String UNQUALIFIED_ONLY = "This operation is permitted on Lambda functions only. "
            + "Aliases and versions do not support this operation. "
            + "Please specify either a function name or an unqualified function ARN.";

    private static final Pattern NAMESPACED = Pattern.compile(NAMESPACED_FUNCTION_NAME_PATTERN);
    private static final Pattern UNQUALIFIED = Pattern.compile(FUNCTION_NAME_PATTERN);
    private static final Pattern QUALIFIER = Pattern.compile(QUALIFIER_PATTERN);
    private static final Pattern PARTS = Pattern.compile(
            "(?<arn>arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d):)?"
            + "(?:(?<account>\\d{12}):)?(?<fn>function:)?(?<name>[a-zA-Z0-9-_.]+)"
            + "(?::(?<qualifier>\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");
    private static final Pattern PLAIN_QUALIFIER = Pattern.compile("\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9-_]+");

    private FunctionNames() {}

    /**
     * For Invoke, GetFunction, GetFunctionConfiguration, DeleteFunction and the event-invoke-config operations.
     * The qualifier of the result is the one in the name or, failing that, {@code qualifierParam}; when both are
     * given they must be equal. {@code $LATEST.PUBLISHED} (AWS managed instances) is passed through as an ordinary
     * qualifier, which Invoka never has, so callers answer 404 for it.
     *
     * @param functionName   the FunctionName path parameter, as decoded
     * @param qualifierParam the Qualifier query parameter, {@code null} when absent
     * @param region         the region this server serves
     * @param account        Invoka's account id
     * @throws LambdaException ValidationException, InvalidParameterValueException or ResourceNotFoundException
     */
    public static FunctionRef parseQualified(String functionName, String qualifierParam, String region, String account) {
        List<String> violations = new ArrayList<>();
        if (qualifierParam != null) {
            lengthAndPattern(violations, "qualifier", qualifierParam, MAX_QUALIFIER_LENGTH, QUALIFIER, QUALIFIER_PATTERN);
        }
        checkName(violations, functionName, MAX_NAMESPACED_LENGTH, NAMESPACED, NAMESPACED_FUNCTION_NAME_PATTERN);
        if (!violations.isEmpty()) throw LambdaException.validation(violations);
        Parts p = split(functionName);
        String qualifier = p.qualifier;
        if (qualifierParam != null) {
            if (qualifier != null && !qualifier.equals(qualifierParam)) {
                throw LambdaException.invalidParameterValue(QUALIFIER_MISMATCH);
            }
            qualifier = qualifierParam;
        }
        return resolve(p, qualifier, region, account);
    }

    /**
     * For Put/Get/DeleteFunctionConcurrency and UpdateFunctionConfiguration: the function itself, never a
     * version or alias. Any qualifier, {@code $LATEST} included, is an InvalidParameterValueException.
     *
     * @return a reference with a {@code null} qualifier
     * @throws LambdaException ValidationException, InvalidParameterValueException or ResourceNotFoundException
     */
    public static FunctionRef parseUnqualified(String functionName, String region, String account) {
        List<String> violations = new ArrayList<>();
        checkName(violations, functionName, MAX_FUNCTION_NAME_LENGTH, UNQUALIFIED, FUNCTION_NAME_PATTERN);
        if (!violations.isEmpty()) throw LambdaException.validation(violations);
        Parts p = split(functionName);
        if (p.qualifier != null) throw LambdaException.invalidParameterValue(UNQUALIFIED_ONLY);
        return resolve(p, null, region, account);
    }

    /**
     * For CreateFunction's {@code FunctionName} member: a name of 1–64 characters {@code [a-zA-Z0-9-_]+} or an
     * unqualified (partial) ARN of at most 140 characters. Missing → ValidationException "Member must not be null";
     * a qualifier → InvalidParameterValueException {@link #UNQUALIFIED_ONLY}; a name over 64 characters →
     * InvalidParameterValueException {@code 1 validation error detected: Value '<input>' at 'functionName' failed
     * to satisfy constraint: Member must have length less than or equal to 64} (the form AWS answers). Region and
     * account mismatches are answered as in {@link #parseQualified}.
     */
    public static FunctionRef parseForCreate(String functionName, String region, String account) {
        List<String> violations = new ArrayList<>();
        checkName(violations, functionName, MAX_FUNCTION_NAME_LENGTH, UNQUALIFIED, FUNCTION_NAME_PATTERN);
        if (!violations.isEmpty()) throw LambdaException.validation(violations);
        Parts p = split(functionName);
        if (p.qualifier != null) throw LambdaException.invalidParameterValue(UNQUALIFIED_ONLY);
        if (p.name.length() > MAX_NAME_LENGTH) {
            throw LambdaException.invalidParameterValue("1 validation error detected: "
                    + maxLength("functionName", functionName, MAX_NAME_LENGTH));
        }
        return resolve(p, null, region, account);
    }

    private record Parts(String region, String account, String name, String qualifier) {}

    private static void checkName(List<String> violations, String functionName, int max, Pattern regex, String text) {
        if (functionName == null) violations.add(notNull("functionName"));
        else lengthAndPattern(violations, "functionName", functionName, max, regex, text);
    }

    private static void lengthAndPattern(List<String> violations, String field, String value, int max,
                                         Pattern regex, String text) {
        if (value.isEmpty()) violations.add(minLength(field, value, 1));
        if (value.length() > max) violations.add(maxLength(field, value, max));
        if (!regex.matcher(value).matches()) violations.add(pattern(field, value, text));
    }

    private static Parts split(String functionName) {
        Matcher m = PARTS.matcher(functionName);
        if (!m.matches()) throw new IllegalStateException("validated name does not parse: " + functionName);
        if (m.group("arn") == null && m.group("fn") == null) {
            int colon = functionName.indexOf(':');
            if (colon >= 0 && colon == functionName.lastIndexOf(':')
                    && PLAIN_QUALIFIER.matcher(functionName.substring(colon + 1)).matches()) {
                return new Parts(null, null, functionName.substring(0, colon), functionName.substring(colon + 1));
            }
        }
        return new Parts(m.group("region"), m.group("account"), m.group("name"), m.group("qualifier"));
    }

    private static FunctionRef resolve(Parts p, String qualifier, String region, String account) {
        if (p.region != null && !p.region.equals(region)) {
            throw LambdaException.resourceNotFound(
                    "Functions from '" + p.region + "' are not reachable in this region ('" + region + "')");
        }
        if (p.account != null && !p.account.equals(account)) {
            throw LambdaException.functionNotFound(new FunctionRef(region, p.account, p.name, qualifier).qualifiedArn());
        }
        FunctionRef ref = new FunctionRef(region, account, p.name, qualifier);
        if (p.name.length() > MAX_NAME_LENGTH) throw LambdaException.functionNotFound(ref.qualifiedArn());
        return ref;
    }
}
