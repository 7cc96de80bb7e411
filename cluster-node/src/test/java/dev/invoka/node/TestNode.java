package dev.invoka.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Starts a real node in this JVM on a free port with its journal in a given folder, for end-to-end tests. */
public final class TestNode {

    private TestNode() {}

    public static InvokaNode start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    public static InvokaNode start(Path dataDir, Map<String, Object> overrides) throws Exception {
        Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseMap(Map.of(
                "invoka.http-port", 0,
                "invoka.http-host", "127.0.0.1",
                "invoka.data-dir", dataDir.toString(),
                "pekko.coordinated-shutdown.exit-jvm", "off",
                "pekko.loglevel", "WARNING")));
        return InvokaNode.start(config, Wiring.defaults());
    }

    /** The AWS SDK's Lambda client pointed at the node, as a user would configure it. No SDK retries. */
    public static LambdaClient lambda(InvokaNode node) {
        return lambda("http://127.0.0.1:" + node.port());
    }

    /** The same for a node at {@code url}, e.g. a {@link NodeProcess}. */
    public static LambdaClient lambda(String url) {
        return LambdaClient.builder()
                .endpointOverride(URI.create(url))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(60)).build())
                .build();
    }
}
