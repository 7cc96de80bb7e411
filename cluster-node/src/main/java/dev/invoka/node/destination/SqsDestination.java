package dev.invoka.node.destination;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Sends to an SQS standard queue named by {@code arn:aws:sqs:<region>:<account>:<name>}: a destination's
 * invocation record as the message body, or a dead letter as AWS does (the event's original bytes as the
 * body, unchanged, so {@code MD5OfBody} is the MD5 of what the client sent, and the message attributes
 * {@code RequestID} (String), {@code ErrorCode} (Number, {@code 200}) and {@code ErrorMessage} (String)).
 *
 * <p>The queue URL comes from {@code GetQueueUrl(QueueName, QueueOwnerAWSAccountId)}, cached per ARN and
 * forgotten when the queue turns out not to exist. The stage completes when SQS accepted the message.
 * Permanent failures: a queue that does not exist, a FIFO queue (AWS supports standard queues only), a
 * message SQS refuses. Retryable: throttling, 5xx, I/O errors, missing credentials (see {@link AwsClients}).
 *
 * <p>Caveat: SQS refuses empty bodies, so a dead letter of an empty event is sent as {@code {}} (the event a
 * function receives for an empty payload).
 */
public final class SqsDestination implements DestinationRouter {

    private final AwsClients aws;
    private final Optional<URI> endpoint;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    SqsDestination(AwsClients aws, Optional<URI> endpoint) {
        this.aws = aws;
        this.endpoint = endpoint;
    }

    @Override
    public CompletionStage<Void> deliver(Delivery d) {
        Arn arn;
        try {
            arn = Arn.parse(d.target(), "sqs");
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (arn.fifo()) {
            return CompletableFuture.failedFuture(new DeliveryException(
                    d.target() + ": FIFO queues are not supported as destinations or dead-letter queues", true));
        }
        String body = body(d);
        Map<String, MessageAttributeValue> attributes = d.deadLetter() ? deadLetterAttributes(d) : Map.of();
        return aws.call(d.target(), () -> {
            SqsClient sqs = aws.client(AwsClients.Service.SQS, aws.region(arn), endpoint, SqsClient::builder);
            String url = queueUrl(sqs, d.target(), arn);
            try {
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageAttributes(attributes));
            } catch (QueueDoesNotExistException e) {
                queueUrls.remove(d.target());
                throw e;
            }
            return null;
        });
    }

    private String queueUrl(SqsClient sqs, String target, Arn arn) {
        String cached = queueUrls.get(target);
        if (cached != null) return cached;
        String url = sqs.getQueueUrl(b -> b.queueName(arn.resource())
                .queueOwnerAWSAccountId(arn.account().isEmpty() ? null : arn.account())).queueUrl();
        queueUrls.put(target, url);
        return url;
    }

    static String body(Delivery d) {
        if (d.deadLetter() && d.body().length == 0) return "{}";
        return new String(d.body(), StandardCharsets.UTF_8);
    }

    /** AWS's three dead-letter attributes, in its order; an absent id or message is left out (SQS refuses empty values). */
    static Map<String, MessageAttributeValue> deadLetterAttributes(Delivery d) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        if (d.requestId() != null && !d.requestId().isEmpty()) attributes.put("RequestID", string(d.requestId()));
        attributes.put("ErrorCode", MessageAttributeValue.builder().dataType("Number").stringValue("200").build());
        if (d.errorMessage() != null && !d.errorMessage().isEmpty()) attributes.put("ErrorMessage", string(d.errorMessage()));
        return attributes;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
