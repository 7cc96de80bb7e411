package dev.invoka.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error the Lambda API answers with: HTTP status, the {@code x-amzn-ErrorType} name and the JSON
 * body of the AWS model, whose member casing differs per exception (docs/lambda-spec.md §1.4).
 *
 * <p>Thrown anywhere below the HTTP layer; the API maps it once into a response.
 */
public final class LambdaException extends RuntimeException {

    /** How the body spells its message member. */
    public enum MessageCase {
        /** {@code {"Type":"User","Message":...}} */
        UPPER,
        /** {@code {"Type":"User","message":...}} */
        LOWER,
        /** {@code {"message":...}}: framework-level ValidationException, no Type */
        VALIDATION,
        /** {@code {"Message":...}}: the 413 as AWS's front end sends it, no Type */
        UPPER_ONLY
    }

    private final int status;
    private final String errorType;
    private final MessageCase messageCase;
    private final String reason;
    private final Integer retryAfterSeconds;

    public LambdaException(int status, String errorType, MessageCase messageCase, String message,
                           String reason, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.messageCase = messageCase;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return status; }
    public String errorType() { return errorType; }
    public String reason() { return reason; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    /** The JSON body, members in AWS's order. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (reason != null) body.put("Reason", reason);
        switch (messageCase) {
            case UPPER -> { body.put("Type", typeOf(status)); body.put("Message", getMessage()); }
            case LOWER -> { body.put("Type", typeOf(status)); body.put("message", getMessage()); }
            case VALIDATION -> body.put("message", getMessage());
            case UPPER_ONLY -> body.put("Message", getMessage());
        }
        return body;
    }

    private static String typeOf(int status) { return status >= 500 ? "Service" : "User"; }

    public static LambdaException resourceNotFound(String message) {
        return new LambdaException(404, "ResourceNotFoundException", MessageCase.UPPER, message, null, null);
    }

    /** "Function not found: {arn}" for the function (qualified ARN, $LATEST when unqualified). */
    public static LambdaException functionNotFound(String qualifiedArn) {
        return resourceNotFound("Function not found: " + qualifiedArn);
    }

    public static LambdaException invalidParameterValue(String message) {
        return new LambdaException(400, "InvalidParameterValueException", MessageCase.LOWER, message, null, null);
    }

    public static LambdaException invalidRequestContent(String message) {
        return new LambdaException(400, "InvalidRequestContentException", MessageCase.LOWER, message, null, null);
    }

    public static LambdaException resourceConflict(String message) {
        return new LambdaException(409, "ResourceConflictException", MessageCase.LOWER, message, null, null);
    }

    /** 413 in the form AWS actually emits (not the model's RequestTooLargeException). */
    public static LambdaException requestEntityTooLarge(String message) {
        return new LambdaException(413, "RequestEntityTooLargeException", MessageCase.UPPER_ONLY, message, null, null);
    }

    public static LambdaException unsupportedMediaType(String message) {
        return new LambdaException(415, "UnsupportedMediaTypeException", MessageCase.LOWER, message, null, null);
    }

    public static LambdaException tooManyRequests(String reason, String message, Integer retryAfterSeconds) {
        return new LambdaException(429, "TooManyRequestsException", MessageCase.LOWER, message, reason, retryAfterSeconds);
    }

    public static LambdaException service(String message) {
        return new LambdaException(500, "ServiceException", MessageCase.UPPER, message, null, null);
    }

    /** An unknown route or method: a clean 404 in the same shape. */
    public static LambdaException unknownOperation(String message) {
        return new LambdaException(404, "UnknownOperationException", MessageCase.UPPER, message, null, null);
    }

    /**
     * "N validation error(s) detected: a; b" from the individual constraint violations, each of the form
     * {@code Value 'x' at 'field' failed to satisfy constraint: ...}.
     */
    public static LambdaException validation(List<String> violations) {
        if (violations.isEmpty()) throw new IllegalArgumentException("no violations");
        String head = violations.size() == 1 ? "1 validation error detected: "
                : violations.size() + " validation errors detected: ";
        return new LambdaException(400, "ValidationException", MessageCase.VALIDATION,
                head + String.join("; ", violations), null, null);
    }
}
