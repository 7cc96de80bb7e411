package dev.invoka.node.destination;

import static dev.invoka.node.destination.TestAdapters.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SNS destinations and dead-letter topics, decoded from what the SDK sends (AWS query protocol). */
class SnsDestinationTest {

    static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:results";
    static final String OK = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
            + "<MessageId>6b6d6a34-0000-4000-8000-000000000001</MessageId></PublishResult><ResponseMetadata>"
            + "<RequestId>f187a3c1-0000-4000-8000-000000000002</RequestId></ResponseMetadata></PublishResponse>";

    static FakeEndpoint sns;
    static Destinations destinations;

    @BeforeAll
    static void start() throws Exception {
        sns = new FakeEndpoint();
        destinations = open(null, sns.url(), null);
    }

    @AfterAll
    static void stop() {
        destinations.close();
        sns.close();
    }

    @BeforeEach
    void answerOk() {
        sns.answer(r -> new FakeEndpoint.Response(200, "text/xml", OK));
    }

    static FakeEndpoint.Response error(int status, String code, String message) {
        return new FakeEndpoint.Response(status, "text/xml", "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                + "<RequestId>e0000000-0000-4000-8000-000000000003</RequestId></ErrorResponse>");
    }

    @Test
    void theRecordIsTheMessage() throws Exception {
        String record = "{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"Success\"},\"requestPayload\":{\"a\":\"&=+ é\"}}";
        delivered(destinations.byService().get("sns").deliver(record(TOPIC, record, true)));
        FakeEndpoint.Request r = sns.last();
        assertTrue(r.header("Content-Type").startsWith("application/x-www-form-urlencoded"), r.header("Content-Type"));
        assertTrue(r.header("Authorization").contains("/eu-west-1/sns/aws4_request"), "signed for the topic's region");
        Map<String, String> form = r.form();
        assertEquals("Publish", form.get("Action"));
        assertEquals(TOPIC, form.get("TopicArn"));
        assertEquals(record, form.get("Message"));
        assertFalse(form.keySet().stream().anyMatch(k -> k.startsWith("MessageAttributes")), form.toString());
    }

    @Test
    void aDeadLetterIsTheOriginalEventWithAwsAttributes() throws Exception {
        String requestId = UUID.randomUUID().toString();
        delivered(destinations.byService().get("sns").deliver(
                deadLetter(TOPIC, "{\"raise_error\": 1}", requestId, "Test exception (this is intentional)")));
        Map<String, String> form = sns.last().form();
        assertEquals("{\"raise_error\": 1}", form.get("Message"));
        Map<String, String[]> attributes = new java.util.HashMap<>();
        for (int n = 1; form.containsKey("MessageAttributes.entry." + n + ".Name"); n++) {
            String prefix = "MessageAttributes.entry." + n;
            attributes.put(form.get(prefix + ".Name"), new String[] {form.get(prefix + ".Value.DataType"),
                    form.get(prefix + ".Value.StringValue")});
        }
        assertEquals(3, attributes.size(), form.toString());
        assertArrayEquals(new String[] {"String", requestId}, attributes.get("RequestID"));
        assertArrayEquals(new String[] {"Number", "200"}, attributes.get("ErrorCode"));
        assertArrayEquals(new String[] {"String", "Test exception (this is intentional)"}, attributes.get("ErrorMessage"));
    }

    @Test
    void aTopicThatDoesNotExistIsPermanent() throws Exception {
        sns.answer(r -> error(404, "NotFound", "Topic does not exist"));
        DeliveryException e = failure(destinations.byService().get("sns").deliver(record(TOPIC, "{}", true)));
        assertTrue(e.permanent(), e.getMessage());
        assertTrue(e.getMessage().contains("NotFound"), e.getMessage());
    }

    @Test
    void throttlingAndServerErrorsAreRetryable() throws Exception {
        sns.answer(r -> error(400, "Throttling", "Rate exceeded"));
        assertFalse(failure(destinations.byService().get("sns").deliver(record(TOPIC, "{}", true))).permanent());
        sns.answer(r -> error(500, "InternalError", "oops"));
        assertFalse(failure(destinations.byService().get("sns").deliver(record(TOPIC, "{}", true))).permanent());
    }

    @Test
    void fifoTopicsAreRefused() throws Exception {
        int before = sns.requests().size();
        assertTrue(failure(destinations.byService().get("sns").deliver(record(TOPIC + ".fifo", "{}", true))).permanent());
        assertEquals(before, sns.requests().size(), "nothing was sent");
    }

    @Test
    void theSdkHonoursItsEndpointSystemPropertyAndDummyCredentialsFollow() throws Exception {
        System.setProperty("aws.endpointUrlSns", sns.url());
        DestinationSettings settings = settings(null, null, null, java.time.Duration.ofSeconds(2));
        try (Destinations viaSdk = Destinations.create(settings,
                new AwsClients(settings, "us-east-1", name -> null, System::getProperty))) {
            int before = sns.requests().size();
            delivered(viaSdk.byService().get("sns").deliver(record(TOPIC, "{\"via\":\"aws.endpointUrlSns\"}", true)));
            assertEquals(before + 1, sns.requests().size());
            assertEquals("{\"via\":\"aws.endpointUrlSns\"}", sns.last().form().get("Message"));
        } finally {
            System.clearProperty("aws.endpointUrlSns");
        }
    }
}
