package dev.invoka.node.destination;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Adapters for tests, pointed at local servers, with an empty environment (no AWS_* variables). */
final class TestAdapters {

    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST";

    private TestAdapters() {}

    static DestinationSettings settings(String sqs, String sns, String events, Duration webhookTimeout) {
        return new DestinationSettings(uri(sqs), uri(sns), uri(events), Duration.ofSeconds(5), webhookTimeout, 2);
    }

    static Destinations open(DestinationSettings settings, Map<String, String> properties) {
        return Destinations.create(settings, new AwsClients(settings, "us-east-1", name -> null, properties::get));
    }

    static Destinations open(String sqs, String sns, String events) {
        return open(settings(sqs, sns, events, Duration.ofSeconds(2)), Map.of());
    }

    private static Optional<URI> uri(String s) {
        return s == null ? Optional.empty() : Optional.of(URI.create(s));
    }

    static Delivery record(String target, String json, boolean success) {
        return new Delivery(target, json.getBytes(StandardCharsets.UTF_8), false, success, FUNCTION_ARN,
                UUID.randomUUID().toString(), null, 0);
    }

    static Delivery deadLetter(String target, String event, String requestId, String errorMessage) {
        return new Delivery(target, event.getBytes(StandardCharsets.UTF_8), true, false, FUNCTION_ARN, requestId,
                errorMessage, 0);
    }

    /** Waits for a delivery that must succeed. */
    static void delivered(CompletionStage<Void> stage) throws Exception {
        stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Waits for a delivery that must fail, and returns its DeliveryException. */
    static DeliveryException failure(CompletionStage<Void> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof DeliveryException de) return de;
            throw new AssertionError("failed with something else than a DeliveryException", cause);
        }
        throw new AssertionError("the delivery succeeded");
    }

    /** A local port nothing listens on. */
    static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String md5(String s) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
    }
}
