package dev.invoka.node.destination;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes to an SNS standard topic ({@code arn:aws:sns:<region>:<account>:<topic>}): a destination's
 * invocation record as the {@code Message}, or a dead letter as AWS does (the event's original bytes as the
 * {@code Message}, with the {@code MessageAttributes} {@code RequestID} (String), {@code ErrorCode} (Number,
 * {@code 200}) and {@code ErrorMessage} (String)). The stage completes when SNS accepted the message.
 * Permanent failures: a topic that does not exist, a FIFO topic, a message SNS refuses; retryable:
 * throttling, 5xx, I/O errors (see {@link AwsClients#classify}).
 */
public final class SnsDestination implements DestinationRouter {

    private final AwsClients aws;
    private final Optional<URI> endpoint;

    SnsDestination(AwsClients aws, Optional<URI> endpoint) {
        this.aws = aws;
        this.endpoint = endpoint;
    }

    @Override
    public CompletionStage<Void> deliver(Delivery d) {
        Arn arn;
        try {
            arn = Arn.parse(d.target(), "sns");
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (arn.fifo()) {
            return CompletableFuture.failedFuture(new DeliveryException(
                    d.target() + ": FIFO topics are not supported as destinations or dead-letter topics", true));
        }
        String message = SqsDestination.body(d);
        Map<String, MessageAttributeValue> attributes = d.deadLetter() ? deadLetterAttributes(d) : Map.of();
        return aws.call(d.target(), () -> {
            SnsClient sns = aws.client(AwsClients.Service.SNS, aws.region(arn), endpoint, SnsClient::builder);
            sns.publish(b -> b.topicArn(d.target()).message(message).messageAttributes(attributes));
            return null;
        });
    }

    private static Map<String, MessageAttributeValue> deadLetterAttributes(Delivery d) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        SqsDestination.deadLetterAttributes(d).forEach((name, v) -> attributes.put(name,
                MessageAttributeValue.builder().dataType(v.dataType()).stringValue(v.stringValue()).build()));
        return attributes;
    }
}
