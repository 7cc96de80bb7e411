package dev.invoka.node.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.invoka.node.Collector;
import dev.invoka.node.NodeExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Event invokes end to end at time scale 0.01 (a 60 s retry takes 0.6 s): each outcome reaches a Lambda
 * destination whose function is an http endpoint in this test (the {@link Collector}).
 */
class AsyncInvokeE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final NodeExtension node = new NodeExtension(Map.of("invoka.time-scale", 0.01));
    static LambdaClient lambda;
    static Collector collector;
    static String sink;

    @BeforeAll
    static void start() throws Exception {
        lambda = node.lambda();
        collector = new Collector();
        sink = function("http", collector.url("/records"), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        collector.close();
    }

    static String function(String runtime, String handler, Map<String, String> env) {
        String name = "a-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).handler(handler).role(ROLE).timeout(5)
                .environment(e -> e.variables(env)));
        return name;
    }

    static void destinations(String name, Integer retries, Integer maxAge) {
        lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(retries)
                .maximumEventAgeInSeconds(maxAge)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(ARN + sink)).onFailure(f -> f.destination(ARN + sink))));
    }

    static String invokeEvent(String name, String payload) {
        InvokeResponse r = lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertEquals(202, r.statusCode());
        assertEquals("", r.payload().asUtf8String());
        return r.responseMetadata().requestId();
    }

    static JsonNode recordFor(String requestId) throws InterruptedException {
        List<JsonNode> records = collector.awaitRecords(rs -> rs.stream().anyMatch(r -> isFor(r, requestId)), WAIT);
        return records.stream().filter(r -> isFor(r, requestId)).findFirst().orElseThrow();
    }

    static boolean isFor(JsonNode record, String requestId) {
        return record.path("requestContext").path("requestId").asText().equals(requestId);
    }

    @Test
    void successReachesOnSuccessWithTheAwsRecord() throws Exception {
        String name = function("builtin", "echo", Map.of());
        destinations(name, null, null);
        String requestId = invokeEvent(name, "{\"order\":42}");
        JsonNode record = recordFor(requestId);
        assertEquals("1.0", record.get("version").asText());
        assertTrue(record.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(ARN + name + ":$LATEST", record.at("/requestContext/functionArn").asText());
        assertEquals("Success", record.at("/requestContext/condition").asText());
        assertEquals(1, record.at("/requestContext/approximateInvokeCount").asInt());
        assertEquals(42, record.at("/requestPayload/order").asInt());
        assertEquals(200, record.at("/responseContext/statusCode").asInt());
        assertEquals("$LATEST", record.at("/responseContext/executedVersion").asText());
        assertTrue(record.at("/responseContext/functionError").isMissingNode());
        assertEquals(42, record.at("/responsePayload/order").asInt());
        List<String> keys = iterableToList(record.fieldNames());
        assertEquals(List.of("version", "timestamp", "requestContext", "requestPayload", "responseContext",
                "responsePayload"), keys);
    }

    @Test
    void functionErrorsAreRetriedTwiceWithTheSameRequestIdThenRetriesExhausted() throws Exception {
        String name = function("http", collector.url("/attempts/fail"), Map.of());
        destinations(name, null, null);
        String requestId = invokeEvent(name, "{\"n\":1}");
        JsonNode record = recordFor(requestId);
        assertEquals("RetriesExhausted", record.at("/requestContext/condition").asText());
        assertEquals(3, record.at("/requestContext/approximateInvokeCount").asInt());
        assertEquals("Unhandled", record.at("/responseContext/functionError").asText());
        assertEquals("scripted failure", record.at("/responsePayload/errorMessage").asText());
        List<Collector.Hit> attempts = collector.hits("/attempts/fail").stream()
                .filter(h -> requestId.equals(h.requestId())).toList();
        assertEquals(3, attempts.size(), "one attempt and two retries, all with the invoke's request id");
        long first = attempts.get(1).atMs() - attempts.get(0).atMs();
        long second = attempts.get(2).atMs() - attempts.get(1).atMs();
        assertTrue(first >= 550 && first < 3_000, "retry 1 after ~0.6 s, was " + first);
        assertTrue(second >= 1_150 && second < 4_000, "retry 2 after ~1.2 s, was " + second);
    }

    @Test
    void zeroRetriesMeansOneAttempt() throws Exception {
        String name = function("builtin", "fail", Map.of());
        destinations(name, 0, null);
        JsonNode record = recordFor(invokeEvent(name, "{}"));
        assertEquals("RetriesExhausted", record.at("/requestContext/condition").asText());
        assertEquals(1, record.at("/requestContext/approximateInvokeCount").asInt());
    }

    @Test
    void maximumEventAgeLooksAhead() throws Exception {
        String name = function("builtin", "fail", Map.of());
        destinations(name, 2, 60);
        JsonNode sixty = recordFor(invokeEvent(name, "{}"));
        assertEquals("EventAgeExceeded", sixty.at("/requestContext/condition").asText());
        assertEquals(1, sixty.at("/requestContext/approximateInvokeCount").asInt());

        String ninety = function("builtin", "fail", Map.of());
        destinations(ninety, 2, 90);
        JsonNode record = recordFor(invokeEvent(ninety, "{}"));
        assertEquals("EventAgeExceeded", record.at("/requestContext/condition").asText());
        assertEquals(2, record.at("/requestContext/approximateInvokeCount").asInt());
    }

    @Test
    void failThenSucceedEndsInSuccessOnTheRetry() throws Exception {
        String name = function("builtin", "fail-then-succeed", Map.of("FAIL_TIMES", "1"));
        destinations(name, null, null);
        JsonNode record = recordFor(invokeEvent(name, "{\"x\":true}"));
        assertEquals("Success", record.at("/requestContext/condition").asText());
        assertEquals(2, record.at("/requestContext/approximateInvokeCount").asInt());
    }

    @Test
    void zeroReservedConcurrencyDiscardsWithoutAnAttempt() throws Exception {
        String name = function("builtin", "echo", Map.of());
        destinations(name, null, null);
        lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(0));
        String requestId = invokeEvent(name, "");
        JsonNode record = recordFor(requestId);
        assertEquals("ZeroReservedConcurrency", record.at("/requestContext/condition").asText());
        assertEquals(0, record.at("/requestContext/approximateInvokeCount").asInt());
        assertEquals(JSON.createObjectNode(), record.get("requestPayload"));
        assertFalse(record.has("responseContext"));
        assertFalse(record.has("responsePayload"));
    }

    @Test
    void throttlesBackOffAndDoNotCountAsAttempts() throws Exception {
        String name = function("http", collector.url("/attempts/throttle-2"), Map.of());
        destinations(name, 0, null);
        String requestId = invokeEvent(name, "{}");
        JsonNode record = recordFor(requestId);
        assertEquals("Success", record.at("/requestContext/condition").asText());
        assertEquals(1, record.at("/requestContext/approximateInvokeCount").asInt(),
                "throttles are not invocations (MaximumRetryAttempts 0 still succeeds)");
        long hits = collector.hits("/attempts/throttle-2").stream().filter(h -> requestId.equals(h.requestId())).count();
        assertEquals(3, hits);
    }

    @Test
    void reservedConcurrencyQueuesEventsInsteadOfFailingThem() throws Exception {
        String name = function("builtin", "sleep", Map.of("SLEEP_MS", "200"));
        destinations(name, 0, null);
        lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(1));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(invokeEvent(name, "{\"i\":" + i + "}"));
        for (String id : ids) assertEquals("Success", recordFor(id).at("/requestContext/condition").asText());
    }

    @Test
    void eventPayloadOver1MbIs413() {
        String name = function("builtin", "echo", Map.of());
        String big = "\"" + "x".repeat(1_048_576) + "\"";
        var e = assertThrows(software.amazon.awssdk.services.lambda.model.LambdaException.class,
                () -> lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                        .payload(SdkBytes.fromUtf8String(big))));
        assertEquals(413, e.statusCode());
        assertEquals("RequestEntityTooLargeException", e.awsErrorDetails().errorCode());
    }

    @Test
    void queueAndStatusAreVisible() throws Exception {
        String name = function("builtin", "sleep", Map.of("SLEEP_MS", "1500"));
        lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(1));
        String running = invokeEvent(name, "{}");
        String queued = invokeEvent(name, "{}");
        Thread.sleep(300);
        JsonNode queue = get("/_invoka/functions/" + name + "/queue");
        assertEquals(2, queue.get("depth").asInt());
        assertEquals(1, queue.get("inFlight").asInt());
        assertTrue(queue.get("oldestAgeMs").asLong() >= 300);
        assertEquals("running", get("/_invoka/invocations/" + running).get("status").asText());
        assertEquals("queued", get("/_invoka/invocations/" + queued).get("status").asText());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!get("/_invoka/invocations/" + queued).get("status").asText().equals("succeeded")) {
            assertTrue(System.currentTimeMillis() < deadline, "the queued event finished");
            Thread.sleep(100);
        }
        JsonNode done = get("/_invoka/invocations/" + queued);
        assertEquals("Success", done.get("condition").asText());
        assertEquals(1, done.get("attempts").asInt());
    }

    @Test
    void metricsCountEvents() throws Exception {
        String name = function("builtin", "fail", Map.of());
        destinations(name, 0, null);
        recordFor(invokeEvent(name, "{}"));
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("lambda_AsyncEventsReceived_total{function_name=\"" + name + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("lambda_AsyncEventsDropped_total{function_name=\"" + name + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("lambda_Errors_total{function_name=\"" + name + "\"} 1.0"), metrics);
    }

    @Test
    void metricsCountRequestResponseInvokesToo() throws Exception {
        String ok = function("builtin", "echo", Map.of());
        String failing = function("builtin", "fail", Map.of());
        for (int i = 0; i < 3; i++) lambda.invoke(b -> b.functionName(ok).payload(SdkBytes.fromUtf8String("{}")));
        InvokeResponse failed = lambda.invoke(b -> b.functionName(failing).payload(SdkBytes.fromUtf8String("{}")));
        assertEquals("Unhandled", failed.functionError());
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("lambda_Invocations_total{function_name=\"" + ok + "\"} 3.0"), metrics);
        assertTrue(metrics.contains("lambda_Invocations_total{function_name=\"" + failing + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("lambda_Errors_total{function_name=\"" + failing + "\"} 1.0"), metrics);
        assertFalse(metrics.contains("lambda_Errors_total{function_name=\"" + ok + "\"}"), metrics);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static <T> List<T> iterableToList(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
