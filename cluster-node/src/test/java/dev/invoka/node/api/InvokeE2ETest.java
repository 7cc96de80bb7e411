package dev.invoka.node.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.invoka.node.NodeExtension;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.*;

/** Invoke (RequestResponse and DryRun) through the AWS SDK for Java v2 against a started node. */
class InvokeE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    static LambdaClient lambda;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        lambda = node.lambda();
    }


    static String function(String handler, Map<String, String> env) {
        return function("builtin", handler, env, 3);
    }

    static String function(String runtime, String handler, Map<String, String> env, int timeout) {
        String name = "f-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).handler(handler).role(ROLE).timeout(timeout)
                .environment(e -> e.variables(env)));
        return name;
    }

    static InvokeResponse invoke(String functionName, String payload) {
        return lambda.invoke(b -> b.functionName(functionName).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void echoReturnsTheEvent() {
        String name = function("echo", Map.of());
        InvokeResponse r = invoke(name, "{\"hello\":\"world\"}");
        assertEquals(200, r.statusCode());
        assertEquals("$LATEST", r.executedVersion());
        assertNull(r.functionError());
        assertEquals("{\"hello\":\"world\"}", r.payload().asUtf8String());
    }

    @Test
    void everyFunctionNameFormReachesTheFunction() {
        String name = function("echo", Map.of());
        for (String form : new String[] {name, name + ":$LATEST", ARN + name, ARN + name + ":$LATEST",
                "000000000000:function:" + name}) {
            assertEquals("1", invoke(form, "1").payload().asUtf8String(), form);
        }
        assertEquals("2", lambda.invoke(b -> b.functionName(name).qualifier("$LATEST")
                .payload(SdkBytes.fromUtf8String("2"))).payload().asUtf8String());
    }

    @Test
    void functionErrorsAre200WithUnhandled() throws Exception {
        String name = function("fail", Map.of("ERROR_MESSAGE", "boom", "ERROR_TYPE", "BoomError"));
        InvokeResponse r = invoke(name, "{}");
        assertEquals(200, r.statusCode());
        assertEquals("Unhandled", r.functionError());
        JsonNode error = JSON.readTree(r.payload().asUtf8String());
        assertEquals("boom", error.get("errorMessage").asText());
        assertEquals("BoomError", error.get("errorType").asText());
    }

    @Test
    void tailReturnsALog() {
        String name = function("echo", Map.of());
        InvokeResponse r = lambda.invoke(b -> b.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}")));
        String log = new String(java.util.Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("START RequestId:"), log);
    }

    @Test
    void timeoutsAreSandboxTimedout() throws Exception {
        String name = function("builtin", "sleep", Map.of("SLEEP_MS", "5000"), 1);
        InvokeResponse r = invoke(name, "{}");
        assertEquals("Unhandled", r.functionError());
        JsonNode error = JSON.readTree(r.payload().asUtf8String());
        assertEquals("Sandbox.Timedout", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().endsWith("Error: Task timed out after 1.00 seconds"));
    }

    @Test
    void dryRunIs204ForAnExistingFunctionAnd404Otherwise() {
        String name = function("fail", Map.of());
        InvokeResponse r = lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.DRY_RUN));
        assertEquals(204, r.statusCode());
        assertThrows(ResourceNotFoundException.class,
                () -> lambda.invoke(b -> b.functionName("nope-" + name).invocationType(InvocationType.DRY_RUN)));
    }

    @Test
    void missingFunctionIs404WithLatest() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class, () -> invoke("doesnotexist", "{}"));
        assertEquals(ARN + "doesnotexist:$LATEST", e.awsErrorDetails().errorMessage().substring("Function not found: ".length()));
        assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
    }

    @Test
    void unknownQualifierIs404() {
        String name = function("echo", Map.of());
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> lambda.invoke(b -> b.functionName(name).qualifier("prod")));
        assertEquals("Function not found: " + ARN + name + ":prod", e.awsErrorDetails().errorMessage());
    }

    @Test
    void invalidNamesAreValidationErrors() {
        LambdaException e = assertThrows(LambdaException.class, () -> invoke("my-function!", "{}"));
        assertEquals(400, e.statusCode());
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().startsWith(
                "1 validation error detected: Value 'my-function!' at 'functionName' failed to satisfy constraint"));
    }

    @Test
    void payloadThatIsNotJsonIsRejected() {
        String name = function("echo", Map.of());
        InvalidRequestContentException e = assertThrows(InvalidRequestContentException.class,
                () -> invoke(name, "test"));
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().startsWith(
                "Could not parse request body into json: Could not parse payload into json: "));
    }

    @Test
    void payloadOver6MbIs413() throws Exception {
        String name = function("echo", Map.of());
        byte[] big = ("\"" + "x".repeat(6_291_456) + "\"").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = post("/2015-03-31/functions/" + name + "/invocations", big, Map.of());
        assertEquals(413, r.statusCode());
        assertEquals("RequestEntityTooLargeException", r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("Request must be smaller than 6291456 bytes for the InvokeFunction operation",
                JSON.readTree(r.body()).get("Message").asText());
    }

    @Test
    void payloadFarOverTheLimitIsAlso413() throws Exception {
        String name = function("echo", Map.of());
        byte[] huge = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> r = post("/2015-03-31/functions/" + name + "/invocations", huge, Map.of());
        assertEquals(413, r.statusCode());
        assertEquals("RequestEntityTooLargeException", r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }

    @Test
    void reservedConcurrencyZeroThrottlesSyncInvokes() {
        String name = function("echo", Map.of());
        lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(0));
        TooManyRequestsException e = assertThrows(TooManyRequestsException.class, () -> invoke(name, "{}"));
        assertEquals(429, e.statusCode());
        assertEquals(ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED, e.reason());
        assertEquals("Rate Exceeded.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void reservedConcurrencyBoundsParallelInvokes() throws Exception {
        String name = function("sleep", Map.of("SLEEP_MS", "1500"));
        lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(1));
        CompletableFuture<InvokeResponse> first = CompletableFuture.supplyAsync(() -> invoke(name, "1"));
        Thread.sleep(500);
        assertThrows(TooManyRequestsException.class, () -> invoke(name, "2"));
        assertEquals("1", first.get().payload().asUtf8String());
        // the slot is free again as soon as the answer is out
        assertEquals("3", invoke(name, "3").payload().asUtf8String());
    }

    @Test
    void httpRuntimePostsTheEventWithLambdaHeaders() throws Exception {
        AtomicReference<String> requestId = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fn", exchange -> {
            requestId.set(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Aws-Request-Id"));
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/fn";
            String name = function("http", url, Map.of(), 3);
            InvokeResponse r = invoke(name, "{\"n\":1}");
            assertEquals("{\"ok\":true}", r.payload().asUtf8String());
            assertEquals("{\"n\":1}", body.get());
            assertEquals(r.responseMetadata().requestId(), requestId.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unknownRoutesAreClean404s() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/nothing/here")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        assertTrue(r.headers().firstValue("x-amzn-ErrorType").isPresent());
        assertFalse(r.body().contains("Exception:"), r.body());
        HttpResponse<String> wrongMethod = post("/2016-08-19/account-settings", new byte[0], Map.of());
        assertEquals(404, wrongMethod.statusCode());
    }

    @Test
    void malformedManagementBodiesAre400() throws Exception {
        HttpResponse<String> r = post("/2015-03-31/functions", "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, r.statusCode());
        assertEquals("InvalidRequestContentException", r.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        HttpResponse<String> wrongType = post("/2015-03-31/functions",
                "{\"FunctionName\":\"x\",\"Timeout\":\"soon\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, wrongType.statusCode());
    }

    static String base() {
        return "http://127.0.0.1:" + node.port();
    }

    static HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
