package dev.invoka.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Inputs and messages from the AWS recordings (placeholders: us-east-1, 111111111111). */
class FunctionNamesTest {

    static final String R = "us-east-1";
    static final String A = "111111111111";
    static final String ARN = "arn:aws:lambda:us-east-1:111111111111:function:";
    static final String NAME_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
            + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
    static final String CREATE_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
            + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    static final String QUALIFIER_PATTERN = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";
    static final String MISMATCH = "The derived qualifier from the function name does not match the specified qualifier.";
    static final String UNQUALIFIED_ONLY = "This operation is permitted on Lambda functions only. Aliases and versions do "
            + "not support this operation. Please specify either a function name or an unqualified function ARN.";

    static String a(int n) { return "a".repeat(n); }

    static String namePattern(String v) {
        return "Value '" + v + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: " + NAME_PATTERN;
    }

    static String one(String violation) { return "1 validation error detected: " + violation; }

    static Arguments validation(String name, String qualifier, String message) {
        return Arguments.of(name, qualifier, 400, "ValidationException", message);
    }

    static Arguments notFound(String name, String qualifier, String message) {
        return Arguments.of(name, qualifier, 404, "ResourceNotFoundException", message);
    }

    static Arguments invalid(String name, String qualifier, String message) {
        return Arguments.of(name, qualifier, 400, "InvalidParameterValueException", message);
    }

    static Stream<Arguments> qualifiedErrors() {
        String longArn = "arn:aws:lambda:invalid-region:111111111111:function:my-function";
        return Stream.of(
                validation("*", null, one(namePattern("*"))),
                validation("my-function!", null, one(namePattern("my-function!"))),
                validation("my-function", "invalid!", one("Value 'invalid!' at 'qualifier' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: " + QUALIFIER_PATTERN)),
                validation("my-function", a(129), one("Value '" + a(129) + "' at 'qualifier' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 128")),
                validation("invalid-account:function:my-function", null, one(namePattern("invalid-account:function:my-function"))),
                validation(longArn, null, one(namePattern(longArn))),
                validation("arn:aws:ec2:us-east-1:111111111111:instance:i-1234567890abcdef0", null,
                        one(namePattern("arn:aws:ec2:us-east-1:111111111111:instance:i-1234567890abcdef0"))),
                validation(longArn + a(170), null, one(namePattern(longArn + a(170)))),
                validation(longArn + "-" + a(170), a(129), "2 validation errors detected: Value '" + a(129)
                        + "' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128; "
                        + namePattern(longArn + "-" + a(170))),
                validation(ARN + "my-function:1:2", null, one(namePattern(ARN + "my-function:1:2"))),
                validation("function:my-function:$LATEST:extra", null, one(namePattern("function:my-function:$LATEST:extra"))),
                validation("arn:aws:lambda::111111111111:function:my-function", null,
                        one(namePattern("arn:aws:lambda::111111111111:function:my-function"))),
                validation("arn:aws:lambda:us-east-1::function:my-function", null,
                        one(namePattern("arn:aws:lambda:us-east-1::function:my-function"))),
                validation(ARN + "my-function:$LATES", null, one(namePattern(ARN + "my-function:$LATES"))),
                validation("arn:aws:lambda:us-east-1:123400000000@function:myfn", null,
                        one(namePattern("arn:aws:lambda:us-east-1:123400000000@function:myfn"))),
                validation(a(257), null, one("Value '" + a(257) + "' at 'functionName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 256")),
                validation("", null, "2 validation errors detected: Value '' at 'functionName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1; " + namePattern("")),
                validation(null, null, one("Value null at 'functionName' failed to satisfy constraint: Member must not be null")),
                notFound(a(65), null, "Function not found: " + ARN + a(65) + ":$LATEST"),
                notFound(ARN + a(65) + ":1", null, "Function not found: " + ARN + a(65) + ":1"),
                notFound("arn:aws:lambda:eu-central-1:111111111111:function:fn", null,
                        "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')"),
                notFound("eu-central-1:111111111111:function:fn:1", null,
                        "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')"),
                notFound("arn:aws:lambda:us-east-1:222222222222:function:fn", null,
                        "Function not found: arn:aws:lambda:us-east-1:222222222222:function:fn:$LATEST"),
                notFound("222222222222:function:fn", "prod", "Function not found: arn:aws:lambda:us-east-1:222222222222:function:fn:prod"),
                invalid(ARN + "my-function:$LATEST", "1", MISMATCH),
                invalid("fn:1", "$LATEST", MISMATCH),
                invalid("fn:$LATEST", "1", MISMATCH),
                invalid("fn:1", "alias", MISMATCH),
                invalid(ARN + "fn:alias", "other", MISMATCH));
    }

    @ParameterizedTest
    @MethodSource("qualifiedErrors")
    void parseQualifiedFailsAsAws(String name, String qualifier, int status, String type, String message) {
        assertFails(status, type, message, () -> FunctionNames.parseQualified(name, qualifier, R, A));
    }

    static Stream<Arguments> qualifiedRefs() {
        return Stream.of(
                Arguments.of("my-function", null, "my-function", null),
                Arguments.of("my-function:v1", null, "my-function", "v1"),
                Arguments.of("my-function", "1", "my-function", "1"),
                Arguments.of("my-function:1", "1", "my-function", "1"),
                Arguments.of("my-function", "$latest", "my-function", "$latest"),
                Arguments.of("my-function", a(65), "my-function", a(65)),
                Arguments.of("my-function:" + a(65), null, "my-function", a(65)),
                Arguments.of(ARN + "my-function", null, "my-function", null),
                Arguments.of(ARN + "my-function:prod", "prod", "my-function", "prod"),
                Arguments.of(ARN + "my-function:$LATEST", "$LATEST", "my-function", "$LATEST"),
                Arguments.of(ARN + "function", null, "function", null),
                Arguments.of("arn:aws-cn:lambda:us-east-1:111111111111:function:fn", null, "fn", null),
                Arguments.of("arn:aws:lambda:fn:3", null, "fn", "3"),
                Arguments.of("111111111111:function:my-function:2", null, "my-function", "2"),
                Arguments.of("us-east-1:111111111111:function:my-function", null, "my-function", null),
                Arguments.of("function:my-function", null, "my-function", null),
                Arguments.of("us-east-1:prod", null, "us-east-1", "prod"),
                Arguments.of("111111111111:prod", null, "111111111111", "prod"),
                Arguments.of("my.function", null, "my.function", null),
                Arguments.of("my-function", "$LATEST.PUBLISHED", "my-function", "$LATEST.PUBLISHED"),
                Arguments.of("my-function:$LATEST.PUBLISHED", null, "my-function", "$LATEST.PUBLISHED"),
                Arguments.of("my-function", "$v$", "my-function", "$v$"));
    }

    @ParameterizedTest
    @MethodSource("qualifiedRefs")
    void parseQualifiedResolves(String input, String qualifier, String name, String expectedQualifier) {
        assertEquals(new FunctionRef(R, A, name, expectedQualifier), FunctionNames.parseQualified(input, qualifier, R, A));
    }

    static Stream<Arguments> unqualifiedCases() {
        String pattern = "Member must satisfy regular expression pattern: " + CREATE_PATTERN;
        return Stream.of(
                invalid(ARN + "my-function:1", null, UNQUALIFIED_ONLY),
                invalid("my-function:$LATEST", null, UNQUALIFIED_ONLY),
                invalid("111111111111:function:my-function:prod", null, UNQUALIFIED_ONLY),
                validation("my-function:$LATEST.PUBLISHED", null, one("Value 'my-function:$LATEST.PUBLISHED' at "
                        + "'functionName' failed to satisfy constraint: " + pattern)),
                validation("my.function", null, one("Value 'my.function' at 'functionName' failed to satisfy constraint: " + pattern)),
                validation(a(141), null, one("Value '" + a(141) + "' at 'functionName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 140")),
                notFound(a(65), null, "Function not found: " + ARN + a(65) + ":$LATEST"),
                notFound("arn:aws:lambda:eu-west-1:111111111111:function:fn", null,
                        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"),
                Arguments.of("doesnotexist", null, 0, null, ARN + "doesnotexist:$LATEST"),
                Arguments.of(ARN + "fn", null, 0, null, ARN + "fn:$LATEST"),
                Arguments.of("111111111111:function:fn", null, 0, null, ARN + "fn:$LATEST"));
    }

    @ParameterizedTest
    @MethodSource("unqualifiedCases")
    void parseUnqualified(String name, String unused, int status, String type, String expected) {
        if (status == 0) {
            FunctionRef ref = FunctionNames.parseUnqualified(name, R, A);
            assertEquals(null, ref.qualifier());
            assertEquals(expected, ref.qualifiedArn());
        } else {
            assertFails(status, type, expected, () -> FunctionNames.parseUnqualified(name, R, A));
        }
    }

    static Stream<Arguments> createCases() {
        String pattern = "Member must satisfy regular expression pattern: " + CREATE_PATTERN;
        return Stream.of(
                validation(null, null, one("Value null at 'functionName' failed to satisfy constraint: Member must not be null")),
                validation("my function", null, one("Value 'my function' at 'functionName' failed to satisfy constraint: " + pattern)),
                validation(a(141), null, one("Value '" + a(141) + "' at 'functionName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 140")),
                validation("", null, "2 validation errors detected: Value '' at 'functionName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1; Value '' at 'functionName' failed to satisfy "
                        + "constraint: " + pattern),
                invalid(a(65), null, one("Value '" + a(65) + "' at 'functionName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 64")),
                invalid("my-function:1", null, UNQUALIFIED_ONLY),
                notFound("arn:aws:lambda:eu-west-1:111111111111:function:fn", null,
                        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"),
                Arguments.of("my-function", null, 0, null, ARN + "my-function"),
                Arguments.of(a(64), null, 0, null, ARN + a(64)),
                Arguments.of(ARN + "my-function", null, 0, null, ARN + "my-function"),
                Arguments.of("111111111111:function:my-function", null, 0, null, ARN + "my-function"));
    }

    @ParameterizedTest
    @MethodSource("createCases")
    void parseForCreate(String name, String unused, int status, String type, String expected) {
        if (status == 0) {
            FunctionRef ref = FunctionNames.parseForCreate(name, R, A);
            assertEquals(null, ref.qualifier());
            assertEquals(expected, ref.unqualifiedArn());
        } else {
            assertFails(status, type, expected, () -> FunctionNames.parseForCreate(name, R, A));
        }
    }

    static void assertFails(int status, String type, String message, org.junit.jupiter.api.function.Executable call) {
        LambdaException e = assertThrows(LambdaException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(type, e.errorType());
        assertEquals(status, e.status());
    }
}
