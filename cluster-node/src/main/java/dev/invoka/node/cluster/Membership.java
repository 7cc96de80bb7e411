package dev.invoka.node.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Joins this node to its cluster the way {@link ClusterSettings} says, starts Pekko Management when it has a
 * port, and makes a stopping node unready before anything else stops.
 *
 * <p>Shutdown order (SIGTERM, or a downed node): readiness turns false and the node waits {@code drain} so load
 * balancers and Kubernetes endpoints stop sending; then Pekko's own phases run: the HTTP server unbinds and
 * finishes the requests it has, sharding hands this node's functions over to the others (their queues carry
 * on from the journal), the node leaves the cluster, the JVM exits.
 */
public final class Membership {

    private Membership() {}

    public static void start(ActorSystem<?> system, ClusterSettings settings) {
        Cluster cluster = Cluster.get(system);
        boolean seeded = !system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty();
        if (!seeded && !settings.bootstrap()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
        if (settings.managementEnabled()) {
            PekkoManagement.get(classic).start().whenComplete((uri, failure) -> {
                if (failure != null) {
                    system.log().error("Pekko Management did not start: {}", failure.toString());
                    system.terminate();
                }
            });
        }
        if (settings.bootstrap()) ClusterBootstrap.get(classic).start();

        Readiness readiness = Readiness.get(system);
        long drainMs = settings.drain().toMillis();
        CoordinatedShutdown.get(classic).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "invoka-unready", () -> {
            readiness.stopping();
            system.log().info("Stopping: unready, draining for {} ms before the API unbinds", drainMs);
            return CompletableFuture.supplyAsync(Done::getInstance,
                    CompletableFuture.delayedExecutor(drainMs, TimeUnit.MILLISECONDS));
        });
    }
}
