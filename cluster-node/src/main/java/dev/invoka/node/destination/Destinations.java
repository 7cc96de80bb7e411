package dev.invoka.node.destination;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Builds the adapters that {@link Router} uses for everything but Lambda destinations, by service:
 * {@code sqs} ({@link SqsDestination}), {@code sns} ({@link SnsDestination}), {@code events}
 * ({@link EventBridgeDestination}) and {@code http} ({@link WebhookDestination}, for http and https URLs),
 * from {@code invoka.destinations} ({@link DestinationSettings}). Nothing talks to AWS until a first
 * delivery: SDK clients are created on demand. The AWS adapters share one {@link AwsClients} (its thread
 * pool and clients), which {@link #close()} releases.
 */
public final class Destinations implements AutoCloseable {

    private final AwsClients aws;
    private final Map<String, DestinationRouter> byService;

    private Destinations(AwsClients aws, Map<String, DestinationRouter> byService) {
        this.aws = aws;
        this.byService = byService;
    }

    /** The adapters for {@link Router}, with the process's environment; nothing closes them (daemon threads). */
    public static Map<String, DestinationRouter> adapters(Config config, String defaultRegion) {
        return open(config, defaultRegion).byService();
    }

    /** The adapters of a node, released when {@code system} shuts down. */
    public static Map<String, DestinationRouter> adapters(ActorSystem<?> system, String defaultRegion) {
        Destinations destinations = open(system.settings().config(), defaultRegion);
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "close-destinations", () -> {
                    destinations.close();
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
        return destinations.byService();
    }

    /** Adapters from {@code config} ({@code invoka.destinations}) and the process's environment. */
    public static Destinations open(Config config, String defaultRegion) {
        DestinationSettings settings = DestinationSettings.fromConfig(config);
        return create(settings, new AwsClients(settings, defaultRegion, System::getenv, System::getProperty));
    }

    static Destinations create(DestinationSettings settings, AwsClients aws) {
        return new Destinations(aws, Map.of(
                "sqs", new SqsDestination(aws, settings.sqsEndpoint()),
                "sns", new SnsDestination(aws, settings.snsEndpoint()),
                "events", new EventBridgeDestination(aws, settings.eventsEndpoint()),
                "http", new WebhookDestination(settings.webhookTimeout())));
    }

    /** Adapters by service name: {@code sqs}, {@code sns}, {@code events}, {@code http}. */
    public Map<String, DestinationRouter> byService() {
        return byService;
    }

    @Override
    public void close() {
        aws.close();
    }
}
