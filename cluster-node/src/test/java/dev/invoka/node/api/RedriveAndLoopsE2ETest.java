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
import java.util.ArrayList;
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

/** Beyond AWS: redrive of failed events after a fix, and loops of Lambda destinations stopped at 16 hops. */
class RedriveAndLoopsE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NodeExtension node = new NodeExtension(Map.of("invoka.time-scale", 0.01));
    static LambdaClient lambda;
    static Collector collector;
    static String sink;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        lambda = node.lambda();
        collector = new Collector();
        sink = function("http", collector.url("/records"));
    }

    @AfterAll
    static void stop() throws Exception {
        collector.close();
    }

    static String function(String runtime, String handler) {
        String name = "r-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).handler(handler).role(ROLE));
        return name;
    }

    static String event(String name, String payload) {
        return lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload))).responseMetadata().requestId();
    }

    static JsonNode recordFor(String requestId) throws InterruptedException {
        return collector.awaitRecords(rs -> rs.stream().anyMatch(r -> AsyncInvokeE2ETest.isFor(r, requestId)),
                Duration.ofSeconds(20)).stream().filter(r -> AsyncInvokeE2ETest.isFor(r, requestId)).findFirst().orElseThrow();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void redriveRunsFailedEventsAgainUnderNewLinkedRequestIds() throws Exception {
        String name = function("builtin", "fail");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(ARN + sink)).onFailure(f -> f.destination(ARN + sink))));
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) failed.add(event(name, "{\"order\":" + i + "}"));
        for (String id : failed) assertEquals("RetriesExhausted", recordFor(id).at("/requestContext/condition").asText());

        lambda.updateFunctionConfiguration(b -> b.functionName(name).handler("echo"));
        HttpResponse<String> r = call("POST", "/_invoka/functions/" + name + "/redrive", "{\"condition\":\"RetriesExhausted\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode redriven = JSON.readTree(r.body()).get("redriven");
        assertEquals(3, redriven.size());
        for (JsonNode pair : redriven) {
            String old = pair.get("requestId").asText();
            String fresh = pair.get("newRequestId").asText();
            assertTrue(failed.contains(old));
            assertNotEquals(old, fresh);
            JsonNode record = recordFor(fresh);
            assertEquals("Success", record.at("/requestContext/condition").asText());
            assertEquals(record.at("/requestPayload"), recordFor(old).at("/requestPayload"), "the same event runs again");
            assertEquals(fresh, JSON.readTree(call("GET", "/_invoka/invocations/" + old, "").body()).get("redrivenAs").asText());
            assertEquals(old, JSON.readTree(call("GET", "/_invoka/invocations/" + fresh, "").body()).get("redriveOf").asText());
        }
        HttpResponse<String> again = call("POST", "/_invoka/functions/" + name + "/redrive", "");
        assertEquals(0, JSON.readTree(again.body()).get("redriven").size(), "an event is redriven once");
        assertEquals(400, call("POST", "/_invoka/functions/" + name + "/redrive", "{\"condition\":\"Success\"}").statusCode());
        assertEquals(404, call("POST", "/_invoka/functions/nope-" + name + "/redrive", "").statusCode());
    }

    @Test
    void aLoopOfLambdaDestinationsStopsAfterSixteenHops() throws Exception {
        // Failure records: each hop's record holds the previous one as its request, so they grow linearly.
        String a = function("builtin", "fail");
        String b = function("builtin", "fail");
        lambda.putFunctionEventInvokeConfig(x -> x.functionName(b).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(s -> s.destination(ARN + a))));
        lambda.putFunctionEventInvokeConfig(x -> x.functionName(a).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(s -> s.destination(ARN + b))));
        event(a, "{\"loop\":true}");
        long deadline = System.currentTimeMillis() + 20_000;
        long stopped = 0;
        while (System.currentTimeMillis() < deadline && stopped == 0) {
            Thread.sleep(100);
            stopped = failures(a) + failures(b);
        }
        assertEquals(1, stopped, "the chain is stopped once, and counted");
        long received = received(a) + received(b);
        Thread.sleep(500);
        assertEquals(received, received(a) + received(b), "nothing runs after the stop");
        assertEquals(16, received, "16 hops: the invoke and 15 destinations");

        List<JsonNode> given = new ArrayList<>();
        for (String name : List.of(a, b)) {
            JSON.readTree(call("GET", "/_invoka/functions/" + name + "/undeliverable", "").body())
                    .get("undeliverable").forEach(given::add);
        }
        assertEquals(1, given.size(), "the stopped record stays visible");
        JsonNode entry = given.get(0);
        assertEquals("destination", entry.get("target").asText());
        assertTrue(entry.get("reason").asText().contains("16 hops"), entry.toString());
        JsonNode record = JSON.readTree(entry.get("body").asText());
        assertEquals("RetriesExhausted", record.at("/requestContext/condition").asText());
        assertEquals(entry.get("requestId").asText(), record.at("/requestContext/requestId").asText());
    }

    long failures(String name) throws Exception {
        return metric("lambda_DestinationDeliveryFailures_total", name);
    }

    long received(String name) throws Exception {
        return metric("lambda_AsyncEventsReceived_total", name);
    }

    long metric(String metric, String name) throws Exception {
        String prefix = metric + "{function_name=\"" + name + "\"} ";
        return call("GET", "/metrics", "").body().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
    }
}
