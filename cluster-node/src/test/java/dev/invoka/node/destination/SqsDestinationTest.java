package dev.invoka.node.destination;

import static dev.invoka.node.destination.TestAdapters.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** SQS destinations and dead-letter queues against ElasticMQ, compared with AWS's recorded messages. */
class SqsDestinationTest {

    static final String RECORD = "{\"version\":\"1.0\",\"timestamp\":\"2025-11-24T10:00:00.000Z\",\"requestContext\":"
            + "{\"requestId\":\"r1\",\"functionArn\":\"" + FUNCTION_ARN + "\",\"condition\":\"RetriesExhausted\","
            + "\"approximateInvokeCount\":3},\"requestPayload\":{\"message\":\"é ✓\"},\"responseContext\":"
            + "{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
            + "\"responsePayload\":{\"errorMessage\":\"intentional failure\",\"errorType\":\"Exception\"}}";

    static ElasticMq mq;
    static Destinations destinations;
    static DestinationRouter sqs;

    @BeforeAll
    static void start() {
        mq = new ElasticMq();
        destinations = open(mq.url(), null, null);
        sqs = destinations.byService().get("sqs");
    }

    @AfterAll
    static void stop() {
        destinations.close();
        mq.close();
    }

    static String queue() {
        return "q-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theRecordIsTheMessageBodyWithoutAttributes() throws Exception {
        String name = queue();
        delivered(sqs.deliver(record(mq.createQueue(name), RECORD, false)));
        List<Message> messages = mq.receive(name, 5);
        assertEquals(1, messages.size());
        Message m = messages.get(0);
        assertEquals(RECORD, m.body());
        assertEquals(md5(RECORD), m.md5OfBody());
        assertTrue(m.messageAttributes().isEmpty(), "AWS sends no custom attributes with records (spec 4.4)");
    }

    @Test
    void aDeadLetterIsTheOriginalEventWithAwsAttributes() throws Exception {
        String name = queue();
        String requestId = UUID.randomUUID().toString();
        delivered(sqs.deliver(deadLetter(mq.createQueue(name), "{\"raise_error\": 1}", requestId,
                "Test exception (this is intentional)")));
        Message m = mq.receive(name, 5).get(0);
        assertEquals("{\"raise_error\": 1}", m.body());
        assertEquals("ba08269cbd0ce515889bfba6593731e1", m.md5OfBody(), "AWS-recorded MD5OfBody");
        Map<String, MessageAttributeValue> attributes = m.messageAttributes();
        assertEquals(3, attributes.size(), attributes.toString());
        assertEquals("Number", attributes.get("ErrorCode").dataType());
        assertEquals("200", attributes.get("ErrorCode").stringValue());
        assertEquals("String", attributes.get("ErrorMessage").dataType());
        assertEquals("Test exception (this is intentional)", attributes.get("ErrorMessage").stringValue());
        assertEquals("String", attributes.get("RequestID").dataType());
        assertEquals(requestId, attributes.get("RequestID").stringValue());
        assertNotNull(m.md5OfMessageAttributes());
    }

    @Test
    void aQueueThatDoesNotExistIsPermanent() throws Exception {
        DeliveryException e = failure(sqs.deliver(record("arn:aws:sqs:us-east-1:000000000000:" + queue(), RECORD, true)));
        assertTrue(e.permanent(), e.getMessage());
    }

    @Test
    void aDeletedQueueIsPermanentAndItsCachedUrlForgotten() throws Exception {
        String name = queue();
        String arn = mq.createQueue(name);
        delivered(sqs.deliver(record(arn, RECORD, true)));
        mq.sqs().deleteQueue(b -> b.queueUrl(mq.sqs().getQueueUrl(q -> q.queueName(name)).queueUrl()));
        assertTrue(failure(sqs.deliver(record(arn, RECORD, true))).permanent());
        mq.createQueue(name);
        delivered(sqs.deliver(record(arn, RECORD, true)));
        assertEquals(1, mq.receive(name, 5).size());
    }

    @Test
    void fifoQueuesAreRefusedLikeAwsDoes() throws Exception {
        DeliveryException e = failure(sqs.deliver(record("arn:aws:sqs:us-east-1:000000000000:q.fifo", RECORD, true)));
        assertTrue(e.permanent());
        assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
    }

    @Test
    void anUnreachableEndpointIsRetryable() throws Exception {
        try (Destinations down = open("http://127.0.0.1:" + closedPort(), null, null)) {
            DeliveryException e = failure(down.byService().get("sqs").deliver(
                    record("arn:aws:sqs:us-east-1:000000000000:q", RECORD, true)));
            assertFalse(e.permanent(), e.getMessage());
        }
    }

    @Test
    void anEmptyEventGoesToTheDeadLetterQueueAsAnEmptyObject() throws Exception {
        String name = queue();
        delivered(sqs.deliver(deadLetter(mq.createQueue(name), "", "r", "m")));
        assertEquals("{}", mq.receive(name, 5).get(0).body());
    }
}
