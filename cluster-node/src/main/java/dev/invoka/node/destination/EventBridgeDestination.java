package dev.invoka.node.destination;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts an invocation record on an EventBridge event bus ({@code arn:aws:events:<region>:<account>:event-bus/<name>})
 * as one {@code PutEvents} entry shaped like AWS's (spec §4.3): {@code Source "lambda"}, {@code DetailType
 * "Lambda Function Invocation Result - Success"} or {@code "... - Failure"} (ASCII hyphen), {@code Detail} the
 * record, {@code Resources} [the bus ARN, the qualified function ARN]. {@code EventBusName} is the bus
 * <em>ARN</em> (EventBridge accepts a name or an ARN; the ARN also reaches buses of other accounts).
 *
 * <p>The stage completes when the entry was accepted. A {@code FailedEntryCount} above 0 fails it: retryable
 * when the entry's error code is an internal failure or throttling (or absent), permanent otherwise; call
 * errors as in {@link AwsClients#classify}. EventBridge cannot be a dead-letter target (permanent failure).
 */
public final class EventBridgeDestination implements DestinationRouter {

    static final String SOURCE = "lambda";
    static final String SUCCESS = "Lambda Function Invocation Result - Success";
    static final String FAILURE = "Lambda Function Invocation Result - Failure";
    private static final Set<String> RETRYABLE_ENTRY_CODES = Set.of("InternalFailure", "InternalException",
            "InternalError", "ThrottlingException", "ServiceUnavailable", "ServiceUnavailableException");

    private final AwsClients aws;
    private final Optional<URI> endpoint;

    EventBridgeDestination(AwsClients aws, Optional<URI> endpoint) {
        this.aws = aws;
        this.endpoint = endpoint;
    }

    @Override
    public CompletionStage<Void> deliver(Delivery d) {
        if (d.deadLetter()) {
            return CompletableFuture.failedFuture(new DeliveryException(
                    d.target() + ": an EventBridge bus cannot be a dead-letter queue", true));
        }
        Arn arn;
        try {
            arn = Arn.parse(d.target(), "events");
            if (!arn.resource().startsWith("event-bus/") || arn.resource().length() == "event-bus/".length()) {
                throw new DeliveryException("'" + d.target() + "' is not an event bus ARN", true);
            }
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        PutEventsRequestEntry entry = entry(d);
        return aws.call(d.target(), () -> {
            EventBridgeClient events = aws.client(AwsClients.Service.EVENTBRIDGE, aws.region(arn), endpoint,
                    EventBridgeClient::builder);
            check(d.target(), events.putEvents(b -> b.entries(entry)));
            return null;
        });
    }

    static PutEventsRequestEntry entry(Delivery d) {
        return PutEventsRequestEntry.builder()
                .source(SOURCE)
                .detailType(d.success() ? SUCCESS : FAILURE)
                .detail(new String(d.body(), StandardCharsets.UTF_8))
                .eventBusName(d.target())
                .resources(d.target(), d.functionArn())
                .build();
    }

    private static void check(String target, PutEventsResponse response) {
        Integer failed = response.failedEntryCount();
        if (failed == null || failed == 0) return;
        PutEventsResultEntry entry = response.hasEntries() && !response.entries().isEmpty() ? response.entries().get(0) : null;
        String code = entry == null ? null : entry.errorCode();
        String message = entry == null ? null : entry.errorMessage();
        boolean retryable = code == null || RETRYABLE_ENTRY_CODES.contains(code);
        throw new DeliveryException(target + ": PutEvents refused the entry: " + code + ": " + message, !retryable);
    }
}
