package dev.invoka.node.destination;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * An http(s) URL as a destination (Invoka's, beyond AWS): the invocation record is POSTed as
 * {@code application/json} with the header {@code X-Invoka-Request-Id} (the invocation's request id).
 * One shared {@link HttpClient} (non-blocking, redirects not followed), with {@code timeout} for the
 * connection and again for the response.
 *
 * <p>The stage completes on a 2xx answer. Retryable: 408, 429, 5xx, I/O errors and timeouts. Permanent:
 * any other answer (other 4xx, an unfollowed 3xx), a malformed URL, and dead letters (a webhook is not a
 * dead-letter queue).
 */
public final class WebhookDestination implements DestinationRouter {

    public static final String REQUEST_ID_HEADER = "X-Invoka-Request-Id";

    private final HttpClient client;
    private final Duration timeout;

    public WebhookDestination(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public CompletionStage<Void> deliver(Delivery d) {
        if (d.deadLetter()) {
            return CompletableFuture.failedFuture(new DeliveryException(
                    d.target() + ": a webhook cannot be a dead-letter queue", true));
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.target()))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()));
            if (d.requestId() != null) b.header(REQUEST_ID_HEADER, d.requestId());
            request = b.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new DeliveryException(d.target() + ": not a valid URL: " + e.getMessage(), true));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure != null) throw failed(d.target(), failure);
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) return null;
                    throw new DeliveryException(d.target() + " answered HTTP " + status, !retryable(status));
                });
    }

    /** Whether an answer other than 2xx is worth trying again. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static DeliveryException failed(String target, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return new DeliveryException(target + ": " + e, e instanceof IllegalArgumentException);
    }
}
