package dev.invoka.node.destination;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the destination adapters ({@code invoka.destinations}, see reference.conf).
 *
 * @param sqsEndpoint    SQS endpoint for every queue, or empty for the SDK's (env, profile, AWS)
 * @param snsEndpoint    SNS endpoint for every topic, or empty for the SDK's
 * @param eventsEndpoint EventBridge endpoint for every bus, or empty for the SDK's
 * @param awsCallTimeout longest one AWS call may take (connect, send, answer)
 * @param webhookTimeout longest one webhook POST may take (connect, then the response headers)
 * @param threads        threads that run the blocking AWS SDK calls
 */
public record DestinationSettings(Optional<URI> sqsEndpoint, Optional<URI> snsEndpoint, Optional<URI> eventsEndpoint,
                                  Duration awsCallTimeout, Duration webhookTimeout, int threads) {

    public DestinationSettings {
        if (threads < 1) throw new IllegalArgumentException("invoka.destinations.threads must be >= 1, was " + threads);
    }

    public static DestinationSettings fromConfig(Config root) {
        Config c = root.getConfig("invoka.destinations");
        return new DestinationSettings(endpoint(c, "sqs-endpoint"), endpoint(c, "sns-endpoint"),
                endpoint(c, "events-endpoint"), c.getDuration("aws-call-timeout"), c.getDuration("webhook-timeout"),
                c.getInt("threads"));
    }

    private static Optional<URI> endpoint(Config c, String key) {
        String value = c.getString(key).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(URI.create(value));
    }
}
