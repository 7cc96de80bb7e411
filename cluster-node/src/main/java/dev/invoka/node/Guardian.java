package dev.invoka.node;

import dev.invoka.node.api.HttpApi;
import dev.invoka.node.cluster.ClusterSettings;
import dev.invoka.node.cluster.Membership;
import dev.invoka.node.cluster.Readiness;
import dev.invoka.node.destination.Destinations;
import dev.invoka.node.destination.LambdaDestination;
import dev.invoka.node.destination.Router;
import dev.invoka.node.function.FunctionDeps;
import dev.invoka.node.function.FunctionEntity;
import dev.invoka.node.function.FunctionIndex;
import dev.invoka.node.function.JournalPayloads;
import dev.invoka.node.function.ShardedFunctions;
import dev.invoka.node.journal.JournalSchema;
import dev.invoka.node.metrics.LambdaMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;

/**
 * The root actor of a node and the one place that knows every feature: it creates the journal schema,
 * joins the cluster (and starts management), starts this node's {@link FunctionIndex}, sharding of {@link FunctionEntity} with
 * everything an entity needs, and the HTTP server, then reports the bound address (or the failure)
 * through {@code bound}.
 */
public final class Guardian {

    private Guardian() {}

    public static Behavior<Void> create(Settings settings, ClusterSettings cluster, Wiring wiring,
                                       CompletableFuture<InetSocketAddress> bound) {
        return Behaviors.setup(ctx -> {
            var system = ctx.getSystem();
            JournalSchema.createIfMissing(system);
            Membership.start(system, cluster);

            JdbcReadJournal journal = PersistenceQuery.get(system)
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            ActorRef<FunctionIndex.Command> index = ctx.spawn(FunctionIndex.create(journal,
                    settings.indexPollInterval(), settings.indexCommitLag()), "function-index");
            LambdaMetrics metrics = new LambdaMetrics();
            ShardedFunctions functions = new ShardedFunctions(system, index, settings);
            FunctionDeps deps = new FunctionDeps(settings, wiring.runtimes(), index, wiring.clock(),
                    new Router(new LambdaDestination(functions, settings), Destinations.adapters(system, settings.region())), new JournalPayloads(journal, system), metrics);
            ClusterSharding.get(system).init(Entity.of(FunctionEntity.TYPE_KEY,
                    entity -> FunctionEntity.create(entity.getEntityId(), deps, entity.getShard()))
                    .withStopMessage(FunctionEntity.HandOff.INSTANCE));

            HttpApi api = new HttpApi(functions, settings, wiring.clock(), metrics);
            Http.get(system).newServerAt(settings.httpHost(), settings.httpPort()).bind(api.route())
                    .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system))
                    .whenComplete((binding, failure) -> {
                        if (failure != null) {
                            bound.completeExceptionally(failure);
                            system.terminate();
                        } else {
                            Readiness.get(system).serving();
                            bound.complete(binding.localAddress());
                        }
                    });
            return Behaviors.empty();
        });
    }
}
