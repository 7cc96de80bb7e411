package dev.invoka.node.runtime;

import static dev.invoka.node.runtime.TestRequests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The http runtime's decisions, without a server. */
class HttpRuntimeOutcomesTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String URL = "http://fn.local/run";
    private static final InvocationResult TIMED_OUT = ErrorPayloads.timedOut("id", 1);

    private final HttpRuntime runtime = new HttpRuntime(HttpRuntime.defaultClient(), CLOCK);

    @Test
    void retryAfterReadsDeltaSecondsAndHttpDates() {
        assertEquals(Duration.ofSeconds(120), HttpRuntime.retryAfter("120", CLOCK));
        assertEquals(Duration.ofSeconds(0), HttpRuntime.retryAfter(" 0 ", CLOCK));
        assertEquals(Duration.ofSeconds(90), HttpRuntime.retryAfter("Wed, 01 Jan 2025 12:01:30 GMT", CLOCK));
        assertEquals(Duration.ZERO, HttpRuntime.retryAfter("Wed, 01 Jan 2025 11:00:00 GMT", CLOCK));
    }

    @Test
    void anUnreadableRetryAfterIsNull() {
        assertNull(HttpRuntime.retryAfter(null, CLOCK));
        assertNull(HttpRuntime.retryAfter("", CLOCK));
        assertNull(HttpRuntime.retryAfter("-5", CLOCK));
        assertNull(HttpRuntime.retryAfter("soon", CLOCK));
        assertNull(HttpRuntime.retryAfter("99999999999999999999999", CLOCK));
    }

    @Test
    void anUnknownHostIsAConnectionError() {
        Throwable failure = new CompletionException(
                new ConnectException().initCause(new UnresolvedAddressException()));
        var error = assertInstanceOf(InvocationResult.FunctionError.class, failed(failure, NOW.toEpochMilli() + 1000));
        assertEquals("Runtime.ConnectionError", error.errorType());
        assertEquals("Could not reach " + URL + ": unknown host", error.errorMessage());
    }

    @Test
    void anOtherIoErrorIsAConnectionErrorNamingIt() {
        var error = assertInstanceOf(InvocationResult.FunctionError.class,
                failed(new IOException("connection reset"), NOW.toEpochMilli() + 1000));
        assertEquals("Could not reach " + URL + ": IOException connection reset", error.errorMessage());
    }

    @Test
    void aConnectTimeoutIsATimeoutOnlyAtTheDeadline() {
        var beforeDeadline = assertInstanceOf(InvocationResult.FunctionError.class,
                failed(new HttpConnectTimeoutException("HTTP connect timed out"), NOW.toEpochMilli() + 5000));
        assertEquals("Runtime.ConnectionError", beforeDeadline.errorType());
        assertSame(TIMED_OUT, failed(new HttpConnectTimeoutException("x"), NOW.toEpochMilli()));
        assertSame(TIMED_OUT, failed(new HttpTimeoutException("request timed out"), NOW.toEpochMilli() + 5000));
    }

    @Test
    void aNonIoFailureIsASystemError() {
        assertInstanceOf(InvocationResult.SystemError.class,
                failed(new IllegalStateException("bug"), NOW.toEpochMilli() + 1000));
    }

    @Test
    void anErrorObjectNeedsAStringErrorType() {
        var passed = HttpRuntime.httpError(URL, 502, bytes("{\"errorType\":\"E\"}"));
        assertEquals("E", passed.errorType());
        assertEquals("", passed.errorMessage());
        var wrapped = HttpRuntime.httpError(URL, 502, bytes("{\"errorType\":1,\"errorMessage\":\"m\"}"));
        assertEquals("Function.HttpError", wrapped.errorType());
        var array = HttpRuntime.httpError(URL, 502, bytes("[{\"errorType\":\"E\"}]"));
        assertEquals("Function.HttpError", array.errorType());
    }

    @Test
    void anEmptyErrorBodyIsSaidSo() {
        var error = HttpRuntime.httpError(URL, 404, new byte[0]);
        assertEquals("HTTP 404 from " + URL + ": (empty body)", error.errorMessage());
    }

    @Test
    void theExcerptDoesNotSplitACharacter() {
        String body = "x".repeat(255) + "\uD83D\uDE00" + "tail";
        var error = HttpRuntime.httpError(URL, 500, bytes(body));
        assertEquals("HTTP 500 from " + URL + ": " + "x".repeat(255), error.errorMessage());
        assertTrue(text(error.payload()).startsWith("{\"errorMessage\":"));
    }

    @Test
    void aBodyAtTheLimitIsKeptAndOneByteMoreIsTooLarge() {
        HttpRuntime.LimitedBody atLimit = feed(10, "12345", "67890");
        assertEquals("1234567890", text(atLimit.getBody().toCompletableFuture().join().bytes()));

        FakeSubscription subscription = new FakeSubscription();
        HttpRuntime.LimitedBody over = new HttpRuntime.LimitedBody(10);
        over.onSubscribe(subscription);
        over.onNext(List.of(ByteBuffer.wrap(bytes("12345")), ByteBuffer.wrap(bytes("678901"))));
        assertTrue(over.getBody().toCompletableFuture().join().tooLarge());
        assertTrue(subscription.cancelled);
    }

    @Test
    void aBodyUnderTheLimitIsNotTooLarge() {
        HttpRuntime.LimitedBody body = feed(10, "");
        assertFalse(body.getBody().toCompletableFuture().join().tooLarge());
    }

    private InvocationResult failed(Throwable failure, long deadline) {
        return runtime.failed(URL, failure, TIMED_OUT, deadline);
    }

    private static HttpRuntime.LimitedBody feed(int limit, String... chunks) {
        HttpRuntime.LimitedBody body = new HttpRuntime.LimitedBody(limit);
        body.onSubscribe(new FakeSubscription());
        for (String chunk : chunks) body.onNext(List.of(ByteBuffer.wrap(bytes(chunk))));
        body.onComplete();
        return body;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class FakeSubscription implements Flow.Subscription {
        boolean cancelled;

        @Override
        public void request(long n) {}

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
