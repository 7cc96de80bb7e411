package dev.invoka.node.destination;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.invoka.node.InvokaNode;
import dev.invoka.node.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Destinations end to end through a started node at time scale 0.01: an SQS OnFailure destination and an
 * SQS dead-letter queue on ElasticMQ (through {@code invoka.destinations.sqs-endpoint}), and a webhook
 * that fails before it accepts.
 */
class DestinationsE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static ElasticMq mq;
    static InvokaNode node;
    static LambdaClient lambda;
    static FakeEndpoint hook;

    @BeforeAll
    static void start() throws Exception {
        mq = new ElasticMq();
        hook = new FakeEndpoint();
        node = TestNode.start(data, Map.of("invoka.time-scale", 0.01, "invoka.region", ElasticMq.REGION,
                "invoka.destinations.sqs-endpoint", mq.url()));
        lambda = TestNode.lambda(node);
    }

    @AfterAll
    static void stop() throws Exception {
        lambda.close();
        node.close();
        hook.close();
        mq.close();
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String invokeEvent(String function, String payload) {
        var r = lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertEquals(202, r.statusCode());
        return r.responseMetadata().requestId();
    }

    /** Receives from {@code queue} until one message arrived (20 s at most), then checks nothing else came. */
    static Message onlyMessage(String queue) {
        List<Message> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (got.isEmpty() && System.currentTimeMillis() < deadline) got.addAll(mq.receive(queue, 1));
        assertEquals(1, got.size(), "one message in " + queue);
        return got.get(0);
    }

    static JsonNode status(String requestId, Predicate<JsonNode> until) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.port() + "/_invoka/invocations/" + requestId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode status = JSON.readTree(r.body());
            if (until.test(status)) return status;
            assertTrue(System.currentTimeMillis() < deadline, "status did not settle: " + status);
            Thread.sleep(50);
        }
    }

    @Test
    void aFailedEventReachesItsOnFailureQueueAndItsDeadLetterQueue() throws Exception {
        String onFailure = name("on-failure");
        String dlq = name("dlq");
        String onFailureArn = mq.createQueue(onFailure);
        String dlqArn = mq.createQueue(dlq);
        String function = name("fails");
        lambda.createFunction(b -> b.functionName(function).runtime("builtin").handler("fail").role(ROLE)
                .environment(e -> e.variables(Map.of("ERROR_MESSAGE", "Test exception (this is intentional)")))
                .deadLetterConfig(d -> d.targetArn(dlqArn)));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName(function).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(onFailureArn))));
        String requestId = invokeEvent(function, "{\"raise_error\": 1}");

        Message record = onlyMessage(onFailure);
        JsonNode body = JSON.readTree(record.body());
        assertEquals(requestId, body.at("/requestContext/requestId").asText());
        assertEquals("RetriesExhausted", body.at("/requestContext/condition").asText());
        assertEquals(1, body.at("/requestContext/approximateInvokeCount").asInt());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:" + function + ":$LATEST",
                body.at("/requestContext/functionArn").asText());
        assertEquals(1, body.at("/requestPayload/raise_error").asInt());
        assertEquals("Test exception (this is intentional)", body.at("/responsePayload/errorMessage").asText());
        assertEquals(JSON.writeValueAsString(body), record.body(), "compact JSON, as AWS sends it");
        assertTrue(record.messageAttributes().isEmpty());

        Message dead = onlyMessage(dlq);
        assertEquals("{\"raise_error\": 1}", dead.body());
        assertEquals("ba08269cbd0ce515889bfba6593731e1", dead.md5OfBody());
        Map<String, MessageAttributeValue> attributes = dead.messageAttributes();
        assertEquals(3, attributes.size(), attributes.toString());
        assertEquals(requestId, attributes.get("RequestID").stringValue());
        assertEquals("String", attributes.get("RequestID").dataType());
        assertEquals("200", attributes.get("ErrorCode").stringValue());
        assertEquals("Number", attributes.get("ErrorCode").dataType());
        assertEquals("Test exception (this is intentional)", attributes.get("ErrorMessage").stringValue());
        assertEquals("String", attributes.get("ErrorMessage").dataType());

        JsonNode status = status(requestId, s -> s.path("delivery").asText().equals("delivered")
                && s.path("deadLetterDelivery").asText().equals("delivered"));
        assertEquals(onFailureArn, status.get("destination").asText());
        assertEquals(dlqArn, status.get("deadLetter").asText());
    }

    @Test
    void aWebhookThatFailsTwiceGetsTheRecordOnceAfterRetries() throws Exception {
        String path = "/" + name("hook");
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        hook.answer(r -> new FakeEndpoint.Response(
                calls.computeIfAbsent(r.path(), p -> new AtomicInteger()).incrementAndGet() <= 2 ? 500 : 200, "text/plain", ""));
        String function = name("echo");
        lambda.createFunction(b -> b.functionName(function).runtime("builtin").handler("echo").role(ROLE));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName(function)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(hook.url() + path))));
        String requestId = invokeEvent(function, "{\"order\":7}");

        JsonNode status = status(requestId, s -> s.path("delivery").asText().equals("delivered"));
        assertEquals("Success", status.get("condition").asText());
        Thread.sleep(300);
        List<FakeEndpoint.Request> posts = hook.requests().stream().filter(r -> r.path().equals(path)).toList();
        assertEquals(3, posts.size(), "two failures, then the delivery, then nothing more");
        for (FakeEndpoint.Request post : posts) {
            assertEquals(requestId, post.header("X-Invoka-Request-Id"));
            assertEquals("application/json", post.header("Content-Type"));
            JsonNode record = JSON.readTree(post.body());
            assertEquals(requestId, record.at("/requestContext/requestId").asText());
            assertEquals(7, record.at("/responsePayload/order").asInt());
        }
    }
}
