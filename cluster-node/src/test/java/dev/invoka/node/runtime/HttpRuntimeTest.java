package dev.invoka.node.runtime;

import static dev.invoka.node.runtime.TestRequests.await;
import static dev.invoka.node.runtime.TestRequests.request;
import static dev.invoka.node.runtime.TestRequests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpRuntimeTest {

    private static final String ERROR_JSON = "{\"errorType\":\"MyError\",\"errorMessage\":\"it broke\",\"trace\":[\"x\"]}";

    private final HttpRuntime runtime = new HttpRuntime();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<Headers> seenHeaders = new AtomicReference<>();
    private final AtomicReference<String> seenMethod = new AtomicReference<>();
    private final AtomicReference<String> seenBody = new AtomicReference<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/echo", ex -> respond(ex, 200, Map.of(), readRequest(ex)));
        server.createContext("/empty", ex -> respond(ex, 204, Map.of(), ""));
        server.createContext("/throttle", ex -> respond(ex, 429, Map.of("Retry-After", "7"), "slow down"));
        server.createContext("/unavailable", ex -> respond(ex, 503, Map.of(), ""));
        server.createContext("/error-json", ex -> respond(ex, 500, Map.of(), ERROR_JSON));
        server.createContext("/error-plain", ex -> respond(ex, 500, Map.of(), "e".repeat(300)));
        server.createContext("/error-other-json", ex -> respond(ex, 400, Map.of(), "{\"message\":\"no\"}"));
        server.createContext("/slow", ex -> {
            try {
                release.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, Map.of(), "{}");
        });
        server.createContext("/big", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to check up front
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            try (OutputStream out = ex.getResponseBody()) {
                for (int sent = 0; sent <= ErrorPayloads.MAX_RESPONSE_BYTES; sent += chunk.length) out.write(chunk);
            } catch (IOException clientWentAway) {
                // expected once the runtime stops reading
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private CompletionStage<InvocationResult> invoke(String path, String payload) {
        return runtime.invoke(request(url(path), Map.of(), payload, 1));
    }

    @Test
    void twoHundredIsSuccessWithTheBody() {
        var ok = await(invoke("/echo", "{\"hello\":\"world\"}"), InvocationResult.Success.class);
        assertEquals("{\"hello\":\"world\"}", text(ok.payload()));
    }

    @Test
    void theServerReceivesTheEventAndRuntimeApiHeaders() {
        InvocationRequest req = request("req-42", url("/echo"), Map.of(), "{\"a\":1}", 1,
                System.currentTimeMillis() + 1000);
        await(runtime.invoke(req), InvocationResult.Success.class);
        Headers headers = seenHeaders.get();
        assertEquals("POST", seenMethod.get());
        assertEquals("{\"a\":1}", seenBody.get());
        assertEquals("req-42", headers.getFirst("Lambda-Runtime-Aws-Request-Id"));
        assertEquals(Long.toString(req.deadlineEpochMs()), headers.getFirst("Lambda-Runtime-Deadline-Ms"));
        assertEquals(TestRequests.ARN, headers.getFirst("Lambda-Runtime-Invoked-Function-Arn"));
        assertEquals("application/json", headers.getFirst("Content-Type"));
    }

    @Test
    void anEmptyBodyIsNullJson() {
        var ok = await(invoke("/empty", "{}"), InvocationResult.Success.class);
        assertEquals("null", text(ok.payload()));
    }

    @Test
    void fourTwentyNineIsThrottledWithRetryAfter() {
        var throttled = await(invoke("/throttle", "{}"), InvocationResult.Throttled.class);
        assertEquals("HTTP 429", throttled.reason());
        assertEquals(java.time.Duration.ofSeconds(7), throttled.retryAfter());
    }

    @Test
    void fiveOhThreeIsThrottledWithoutRetryAfter() {
        var throttled = await(invoke("/unavailable", "{}"), InvocationResult.Throttled.class);
        assertEquals("HTTP 503", throttled.reason());
        assertNull(throttled.retryAfter());
    }

    @Test
    void anErrorObjectIsPassedThroughVerbatim() {
        var error = await(invoke("/error-json", "{}"), InvocationResult.FunctionError.class);
        assertEquals("MyError", error.errorType());
        assertEquals("it broke", error.errorMessage());
        assertEquals(ERROR_JSON, text(error.payload()));
    }

    @Test
    void aPlainErrorBodyIsWrappedAndCut() {
        var error = await(invoke("/error-plain", "{}"), InvocationResult.FunctionError.class);
        String expected = "HTTP 500 from " + url("/error-plain") + ": " + "e".repeat(256);
        assertEquals("Function.HttpError", error.errorType());
        assertEquals(expected, error.errorMessage());
        assertEquals("{\"errorMessage\":\"" + expected + "\",\"errorType\":\"Function.HttpError\"}",
                text(error.payload()));
    }

    @Test
    void jsonThatIsNotAnErrorObjectIsWrapped() {
        var error = await(invoke("/error-other-json", "{}"), InvocationResult.FunctionError.class);
        assertEquals("Function.HttpError", error.errorType());
        assertEquals("HTTP 400 from " + url("/error-other-json") + ": {\"message\":\"no\"}", error.errorMessage());
    }

    @Test
    void aSlowEndpointTimesOutAtTheDeadline() {
        long start = System.nanoTime();
        InvocationRequest req = request("slow-1", url("/slow"), Map.of(), "{}", 1, System.currentTimeMillis() + 1000);
        CompletionStage<InvocationResult> stage = runtime.invoke(req);
        assertFalse(stage.toCompletableFuture().isDone());
        var error = await(stage, InvocationResult.FunctionError.class);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMs >= 900 && elapsedMs < 1500, "took " + elapsedMs + " ms");
        assertEquals("Sandbox.Timedout", error.errorType());
        assertEquals("RequestId: slow-1 Error: Task timed out after 1.00 seconds", error.errorMessage());
    }

    @Test
    void aPassedDeadlineTimesOutWithoutCalling() {
        InvocationRequest req = request("late", url("/echo"), Map.of(), "{}", 2, System.currentTimeMillis() - 1);
        var error = await(runtime.invoke(req), InvocationResult.FunctionError.class);
        assertEquals("RequestId: late Error: Task timed out after 2.00 seconds", error.errorMessage());
        assertNull(seenMethod.get());
    }

    @Test
    void aTooLargeResponseIsResponseSizeTooLarge() {
        var error = await(invoke("/big", "{}"), InvocationResult.FunctionError.class);
        assertEquals("Function.ResponseSizeTooLarge", error.errorType());
        assertEquals("{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (6291556 bytes).\","
                + "\"errorType\":\"Function.ResponseSizeTooLarge\"}", text(error.payload()));
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        String target = "http://127.0.0.1:" + port + "/fn";
        var error = await(runtime.invoke(request(target, Map.of(), "{}", 1)), InvocationResult.FunctionError.class);
        assertEquals("Runtime.ConnectionError", error.errorType());
        assertEquals("Could not reach " + target + ": connection refused", error.errorMessage());
    }

    @Test
    void aHandlerThatIsNotAnHttpUrlIsInvalidConfiguration() {
        for (String handler : new String[] {"echo", "ftp://example.com/x", "http://", "http:// bad"}) {
            var error = await(runtime.invoke(request(handler, Map.of(), "{}", 1)), InvocationResult.FunctionError.class);
            assertEquals("Runtime.InvalidConfiguration", error.errorType(), handler);
            assertTrue(error.errorMessage().endsWith("got: " + handler), error.errorMessage());
        }
    }

    private String readRequest(HttpExchange ex) throws IOException {
        seenMethod.set(ex.getRequestMethod());
        seenHeaders.set(ex.getRequestHeaders());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seenBody.set(body);
        return body;
    }

    private static void respond(HttpExchange ex, int status, Map<String, String> headers, String body)
            throws IOException {
        ex.getRequestBody().readAllBytes();
        headers.forEach(ex.getResponseHeaders()::set);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
