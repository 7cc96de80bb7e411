package dev.invoka.node.destination;

/**
 * One thing to send out of Invoka for an outcome: an invocation record to a destination, or the
 * original event to a dead-letter queue.
 *
 * @param target       the destination or dead-letter ARN (or an http(s) URL, for destinations)
 * @param body         the record's JSON, or for a dead letter the event's original bytes, unchanged
 * @param deadLetter   true for a dead-letter message (SQS/SNS, with the DLQ attributes)
 * @param success      the record's condition is Success (EventBridge's DetailType)
 * @param functionArn  the qualified ARN of the function whose outcome this is
 * @param requestId    the invocation's request id (the DLQ's RequestID attribute)
 * @param errorMessage the last error's message, first 1 KB (the DLQ's ErrorMessage attribute), or null
 * @param hops         how many Lambda destinations the event has passed through
 */
public record Delivery(String target, byte[] body, boolean deadLetter, boolean success, String functionArn,
                       String requestId, String errorMessage, int hops) {}
