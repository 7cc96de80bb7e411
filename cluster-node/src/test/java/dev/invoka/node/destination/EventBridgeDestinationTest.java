package dev.invoka.node.destination;

import static dev.invoka.node.destination.TestAdapters.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EventBridge destinations, decoded from what the SDK sends (AWS JSON 1.1, AWSEvents.PutEvents). */
class EventBridgeDestinationTest {

    static final String BUS = "arn:aws:events:us-west-2:123456789012:event-bus/orders";
    static final ObjectMapper JSON = new ObjectMapper();

    static FakeEndpoint events;
    static Destinations destinations;

    @BeforeAll
    static void start() throws Exception {
        events = new FakeEndpoint();
        destinations = open(null, null, events.url());
    }

    @AfterAll
    static void stop() {
        destinations.close();
        events.close();
    }

    @BeforeEach
    void answerOk() {
        answer("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11710aed-b79e-4468-a20b-bb3c0c3b4860\"}]}");
    }

    static void answer(String body) {
        events.answer(r -> new FakeEndpoint.Response(200, "application/x-amz-json-1.1", body));
    }

    static JsonNode deliver(boolean success, String record) throws Exception {
        delivered(destinations.byService().get("events").deliver(record(BUS, record, success)));
        FakeEndpoint.Request r = events.last();
        assertEquals("AWSEvents.PutEvents", r.header("X-Amz-Target"));
        assertTrue(r.header("Authorization").contains("/us-west-2/events/aws4_request"), r.header("Authorization"));
        JsonNode request = JSON.readTree(r.body());
        assertEquals(1, request.get("Entries").size());
        return request.get("Entries").get(0);
    }

    @Test
    void aSuccessIsOneEntryShapedLikeAws() throws Exception {
        String record = "{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"Success\"},\"responsePayload\":{\"x\":1}}";
        JsonNode entry = deliver(true, record);
        assertEquals("lambda", entry.get("Source").asText());
        assertEquals("Lambda Function Invocation Result - Success", entry.get("DetailType").asText());
        assertEquals(record, entry.get("Detail").asText());
        assertEquals(BUS, entry.get("EventBusName").asText());
        assertEquals(List.of(BUS, FUNCTION_ARN), List.of(entry.get("Resources").get(0).asText(),
                entry.get("Resources").get(1).asText()));
        assertEquals(2, entry.get("Resources").size());
    }

    @Test
    void aFailureHasTheFailureDetailTypeWithAnAsciiHyphen() throws Exception {
        JsonNode entry = deliver(false, "{\"requestContext\":{\"condition\":\"RetriesExhausted\"}}");
        assertEquals("Lambda Function Invocation Result - Failure", entry.get("DetailType").asText());
        assertTrue(entry.get("DetailType").asText().chars().allMatch(c -> c < 128));
    }

    @Test
    void aFailedEntryFailsTheDelivery() throws Exception {
        answer("{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"Rate exceeded\"}]}");
        DeliveryException throttled = failure(destinations.byService().get("events").deliver(record(BUS, "{}", true)));
        assertFalse(throttled.permanent(), throttled.getMessage());
        assertTrue(throttled.getMessage().contains("ThrottlingException"), throttled.getMessage());

        answer("{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"MalformedDetail\",\"ErrorMessage\":\"Detail is malformed.\"}]}");
        assertTrue(failure(destinations.byService().get("events").deliver(record(BUS, "{}", true))).permanent());
    }

    @Test
    void aBusThatDoesNotExistIsPermanent() throws Exception {
        events.answer(r -> new FakeEndpoint.Response(400, "application/x-amz-json-1.1",
                "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Event bus orders does not exist.\"}"));
        DeliveryException e = failure(destinations.byService().get("events").deliver(record(BUS, "{}", true)));
        assertTrue(e.permanent(), e.getMessage());
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
    }

    @Test
    void serverErrorsAreRetryable() throws Exception {
        events.answer(r -> new FakeEndpoint.Response(500, "application/x-amz-json-1.1",
                "{\"__type\":\"InternalException\",\"message\":\"oops\"}"));
        assertFalse(failure(destinations.byService().get("events").deliver(record(BUS, "{}", true))).permanent());
    }

    @Test
    void aBusIsNotADeadLetterQueueNorIsAnotherResource() throws Exception {
        int before = events.requests().size();
        assertTrue(failure(destinations.byService().get("events").deliver(deadLetter(BUS, "{}", "r", "m"))).permanent());
        assertTrue(failure(destinations.byService().get("events").deliver(
                record("arn:aws:events:us-west-2:123456789012:rule/r", "{}", true))).permanent());
        assertEquals(before, events.requests().size(), "nothing was sent");
    }
}
