package dev.invoka.node.destination;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * ElasticMQ, a real SQS-compatible server, embedded on a free port for tests. It gets its own local actor
 * system from the libraries' reference.conf only: left alone, it would build one from ConfigFactory.load(),
 * i.e. Invoka's cluster config (it would join as a cluster node, and exit the JVM when it stops).
 */
final class ElasticMq implements AutoCloseable {

    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";

    private final ActorSystem system;
    private final SQSRestServer server;
    private final int port;
    private final SqsClient client;

    ElasticMq() {
        system = ActorSystem.create("elasticmq", ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.loglevel = WARNING
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.http.server.request-timeout = 21s
                pekko.http.server.parsing.illegal-header-warnings = off
                pekko.http.server.parsing.max-uri-length = 256k
                """).withFallback(ConfigFactory.defaultReference()));
        server = SQSRestServerBuilder.withActorSystem(system).withInterface("127.0.0.1").withDynamicPort()
                .withAWSAccountId(ACCOUNT).withAWSRegion(REGION).start();
        port = server.waitUntilStarted().localAddress().getPort();
        client = SqsClient.builder().endpointOverride(URI.create(url())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .build();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    SqsClient sqs() {
        return client;
    }

    /** Creates a standard queue and returns its ARN. */
    String createQueue(String name) {
        client.createQueue(b -> b.queueName(name));
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    /** Waits up to {@code waitSeconds} for messages (with all attributes) and returns them, not deleted. */
    List<Message> receive(String name, int waitSeconds) {
        String url = client.getQueueUrl(b -> b.queueName(name)).queueUrl();
        return client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
        system.terminate();
    }
}
