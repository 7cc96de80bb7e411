package dev.invoka.node.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Pekko Management readiness check {@code invoka} ({@code pekko.management.health-checks.readiness-checks}):
 * true while the node serves its API and is not stopping. Management instantiates it with the classic system.
 */
public final class ReadinessCheck implements Supplier<CompletionStage<Boolean>> {

    private final Readiness readiness;

    public ReadinessCheck(ActorSystem system) {
        this.readiness = Readiness.get(Adapter.toTyped(system));
    }

    @Override
    public CompletionStage<Boolean> get() {
        return CompletableFuture.completedFuture(readiness.isReady());
    }
}
