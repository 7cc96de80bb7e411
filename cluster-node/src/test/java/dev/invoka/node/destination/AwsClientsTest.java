package dev.invoka.node.destination;

import static dev.invoka.node.destination.TestAdapters.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The shared AWS plumbing: which failures are retried, regions, endpoint and credential fallbacks. */
class AwsClientsTest {

    static SqsException sqsError(int status, String code) {
        return (SqsException) SqsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    @Test
    void classification() {
        assertFalse(AwsClients.classify("t", sqsError(500, "InternalError")).permanent());
        assertFalse(AwsClients.classify("t", sqsError(503, "ServiceUnavailable")).permanent());
        assertFalse(AwsClients.classify("t", sqsError(400, "ThrottlingException")).permanent());
        assertFalse(AwsClients.classify("t", sqsError(400, "RequestThrottled")).permanent());
        assertFalse(AwsClients.classify("t", sqsError(403, "ExpiredToken")).permanent());
        assertFalse(AwsClients.classify("t", SdkClientException.create("connection refused")).permanent());
        assertTrue(AwsClients.classify("t", QueueDoesNotExistException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AWS.SimpleQueueService.NonExistentQueue").build())
                .build()).permanent());
        assertTrue(AwsClients.classify("t", sqsError(403, "AccessDenied")).permanent());
        assertTrue(AwsClients.classify("t", sqsError(400, "InvalidParameterValue")).permanent());
        DeliveryException e = AwsClients.classify("arn:q", sqsError(400, "InvalidParameterValue"));
        assertTrue(e.getMessage().startsWith("arn:q: InvalidParameterValue (HTTP 400)"), e.getMessage());
    }

    @Test
    void theRegionIsTheArnsThenAwsRegionThenTheNodes() {
        DestinationSettings s = settings(null, null, null, Duration.ofSeconds(1));
        try (AwsClients none = new AwsClients(s, "us-east-1", n -> null, n -> null);
             AwsClients env = new AwsClients(s, "us-east-1", Map.of("AWS_REGION", "ap-south-1")::get, n -> null)) {
            assertEquals("eu-west-1", env.region(Arn.parse("arn:aws:sqs:eu-west-1:1:q", "sqs")));
            assertEquals("ap-south-1", env.region(Arn.parse("arn:aws:sqs::1:q", "sqs")));
            assertEquals("us-east-1", none.region(Arn.parse("arn:aws:sqs::1:q", "sqs")));
        }
    }

    @Test
    void endpointOverridesAreSeenInTheSdksVariables() {
        DestinationSettings s = settings(null, null, null, Duration.ofSeconds(1));
        try (AwsClients sqsOnly = new AwsClients(s, "us-east-1", Map.of("AWS_ENDPOINT_URL_SQS", "http://x")::get, n -> null);
             AwsClients all = new AwsClients(s, "us-east-1", Map.of("AWS_ENDPOINT_URL", "http://x")::get, n -> null);
             AwsClients ignored = new AwsClients(s, "us-east-1", Map.of("AWS_ENDPOINT_URL", "http://x",
                     "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")::get, n -> null);
             AwsClients property = new AwsClients(s, "us-east-1", n -> null,
                     Map.of("aws.endpointUrlEventBridge", "http://x")::get)) {
            assertTrue(sqsOnly.endpointConfigured(AwsClients.Service.SQS));
            assertFalse(sqsOnly.endpointConfigured(AwsClients.Service.SNS));
            assertTrue(all.endpointConfigured(AwsClients.Service.EVENTBRIDGE));
            assertFalse(ignored.endpointConfigured(AwsClients.Service.SQS));
            assertTrue(property.endpointConfigured(AwsClients.Service.EVENTBRIDGE));
            assertFalse(property.endpointConfigured(AwsClients.Service.SQS));
        }
    }

    @Test
    void withoutCredentialsNorEndpointOverrideADeliveryFailsRetryablyAndSaysWhy() throws Exception {
        Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
                && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
                && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")), "this machine has AWS credentials");
        System.setProperty("aws.disableEc2Metadata", "true");
        try (Destinations d = open(null, null, null)) {
            DeliveryException e = failure(d.byService().get("sqs").deliver(
                    record("arn:aws:sqs:us-east-1:123456789012:q", "{}", true)));
            assertFalse(e.permanent());
            assertTrue(e.getMessage().contains("no AWS credentials for SQS"), e.getMessage());
        } finally {
            System.clearProperty("aws.disableEc2Metadata");
        }
    }
}
