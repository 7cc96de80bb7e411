package dev.invoka.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http} runtime: the function's Handler is a URL; each attempt POSTs the event to it.
 *
 * <p>The request carries the event bytes ({@code Content-Type: application/json}) and the Runtime API
 * headers of lambda-spec §9.1: {@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms}
 * (epoch ms) and {@code Lambda-Runtime-Invoked-Function-Arn}. Redirects are not followed.
 *
 * <p>Outcomes by response:
 * <ul>
 *   <li>2xx: {@code Success} with the body; an empty body is JSON {@code null}.</li>
 *   <li>429, 503: {@code Throttled("HTTP 429"|"HTTP 503", Retry-After)}; Retry-After may be delta-seconds or
 *       an HTTP-date, and is null when absent or unreadable.</li>
 *   <li>a body over {@link ErrorPayloads#MAX_RESPONSE_BYTES}: {@code Function.ResponseSizeTooLarge}.</li>
 *   <li>any other status: a function error. A JSON object body with a string {@code errorType} is passed
 *       through verbatim as the payload; any other body becomes
 *       {@code {"errorMessage":"HTTP <status> from <url>: <first 256 chars>","errorType":"Function.HttpError"}}.</li>
 *   <li>no response (refused, unknown host, I/O error): {@code Runtime.ConnectionError}.</li>
 *   <li>the deadline passing first: {@code Sandbox.Timedout} with AWS's message.</li>
 *   <li>a Handler that is not an absolute http(s) URL: {@code Runtime.InvalidConfiguration}.</li>
 * </ul>
 *
 * <p>Contract: {@link #invoke} never throws, never blocks (it uses the client's async API) and its stage never
 * fails. The stage completes by the deadline: the request timeout is the time left, and a guard completes
 * the stage with {@code Sandbox.Timedout} at the deadline and cancels the exchange if the client has not
 * answered by then. One {@link HttpClient} (HTTP/1.1) is shared by all invocations of this runtime; its
 * connect timeout is capped at {@link #MAX_CONNECT_TIMEOUT} and, like the whole exchange, by the deadline.
 */
public final class HttpRuntime implements FunctionRuntime {

    /** The runtime name a function configures: {@code Runtime: "http"}. */
    public static final String NAME = "http";

    /** Upper bound of the shared client's connect timeout; the deadline bounds it further. */
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static final int BODY_EXCERPT_CHARS = 256;

    /** How early the client's timers may fire relative to our clock and still count as the deadline. */
    private static final long TIMER_TOLERANCE_MS = 50;

    private final HttpClient client;
    private final Clock clock;

    /** A runtime with its own shared HTTP/1.1 client. */
    public HttpRuntime() {
        this(defaultClient(), Clock.systemUTC());
    }

    /** A runtime that sends with {@code client} (its own settings apply: version, redirects, connect timeout). */
    public HttpRuntime(HttpClient client) {
        this(client, Clock.systemUTC());
    }

    HttpRuntime(HttpClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The client {@link #HttpRuntime()} uses. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(MAX_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public CompletionStage<InvocationResult> invoke(InvocationRequest request) {
        try {
            return send(request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new InvocationResult.SystemError("http runtime failed: " + e));
        }
    }

    private CompletionStage<InvocationResult> send(InvocationRequest request) {
        String url = request.handler();
        URI uri = parseUrl(url);
        if (uri == null) {
            return CompletableFuture.completedFuture(ErrorPayloads.functionError("Runtime.InvalidConfiguration",
                    "Handler of an http function must be an absolute http:// or https:// URL, got: " + url));
        }
        InvocationResult timedOut = ErrorPayloads.timedOut(request.requestId(), request.timeoutSeconds());
        long timeLeft = request.deadlineEpochMs() - clock.millis();
        if (timeLeft <= 0) return CompletableFuture.completedFuture(timedOut);

        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeLeft))
                .header("Content-Type", "application/json")
                .header("Lambda-Runtime-Deadline-Ms", Long.toString(request.deadlineEpochMs()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        request.payload() == null ? new byte[0] : request.payload()));
        if (request.requestId() != null) builder.header("Lambda-Runtime-Aws-Request-Id", request.requestId());
        if (request.invokedFunctionArn() != null) {
            builder.header("Lambda-Runtime-Invoked-Function-Arn", request.invokedFunctionArn());
        }

        CompletableFuture<HttpResponse<Body>> exchange =
                client.sendAsync(builder.build(), info -> new LimitedBody(ErrorPayloads.MAX_RESPONSE_BYTES));
        long deadline = request.deadlineEpochMs();
        CompletableFuture<InvocationResult> result = exchange
                .handle((response, failure) -> {
                    try {
                        return failure == null ? outcome(url, response) : failed(url, failure, timedOut, deadline);
                    } catch (RuntimeException e) {
                        return new InvocationResult.SystemError("http runtime failed for " + url + ": " + e);
                    }
                })
                .completeOnTimeout(timedOut, timeLeft, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> exchange.cancel(true));
        return result;
    }

    private InvocationResult outcome(String url, HttpResponse<Body> response) {
        int status = response.statusCode();
        if (status == 429 || status == 503) {
            return new InvocationResult.Throttled("HTTP " + status,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock));
        }
        Body body = response.body();
        if (body.tooLarge()) return ErrorPayloads.responseTooLarge();
        if (status >= 200 && status < 300) {
            return new InvocationResult.Success(body.bytes().length == 0 ? ErrorPayloads.NULL_JSON : body.bytes());
        }
        return httpError(url, status, body.bytes());
    }

    /** A non-2xx, non-throttle response as a function error. */
    static InvocationResult.FunctionError httpError(String url, int status, byte[] body) {
        JsonNode error = parseErrorObject(body);
        if (error != null) {
            JsonNode message = error.get("errorMessage");
            return new InvocationResult.FunctionError(error.get("errorType").textValue(),
                    message != null && message.isTextual() ? message.textValue() : "", body);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.length() > BODY_EXCERPT_CHARS) {
            int end = Character.isHighSurrogate(text.charAt(BODY_EXCERPT_CHARS - 1))
                    ? BODY_EXCERPT_CHARS - 1 : BODY_EXCERPT_CHARS;
            text = text.substring(0, end);
        }
        return ErrorPayloads.functionError("Function.HttpError", "HTTP " + status + " from " + url + ": "
                + (text.isEmpty() ? "(empty body)" : text));
    }

    private static JsonNode parseErrorObject(byte[] body) {
        try {
            JsonNode node = ErrorPayloads.MAPPER.readTree(body);
            return node != null && node.isObject() && node.path("errorType").isTextual() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * No response: the deadline passed, or the connection failed. The client reports the request timeout
     * (set to the deadline) as {@link HttpConnectTimeoutException} while still connecting, so a connect
     * timeout counts as the function's timeout only once the deadline has (nearly) passed.
     */
    InvocationResult failed(String url, Throwable failure, InvocationResult timedOut, long deadlineEpochMs) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        boolean deadlinePassed = clock.millis() >= deadlineEpochMs - TIMER_TOLERANCE_MS;
        if (cause instanceof HttpConnectTimeoutException && !deadlinePassed) {
            return ErrorPayloads.functionError("Runtime.ConnectionError",
                    "Could not reach " + url + ": connect timed out");
        }
        if (cause instanceof HttpTimeoutException) return timedOut;
        if (cause instanceof IOException || cause instanceof UnresolvedAddressException) {
            return ErrorPayloads.functionError("Runtime.ConnectionError",
                    "Could not reach " + url + ": " + describe(cause));
        }
        return new InvocationResult.SystemError("http runtime failed for " + url + ": " + cause);
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "unknown host";
        }
        if (failure instanceof ConnectException) return "connection refused";
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    /** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        try {
            if (v.chars().allMatch(c -> c >= '0' && c <= '9')) return Duration.ofSeconds(Long.parseLong(v));
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static URI parseUrl(String url) {
        if (url == null) return null;
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null ? uri : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** A response body, or the fact that it was over the limit (then reading stopped). */
    record Body(byte[] bytes, boolean tooLarge) {}

    /** Collects the body up to {@code limit} bytes; cancels the subscription as soon as it goes over. */
    static final class LimitedBody implements HttpResponse.BodySubscriber<Body> {
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final long limit;
        private Flow.Subscription subscription;
        private long size;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer item : items) {
                size += item.remaining();
                if (size > limit) {
                    subscription.cancel();
                    buffer.reset();
                    result.complete(new Body(new byte[0], true));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(buffer.toByteArray(), false));
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }
    }
}
