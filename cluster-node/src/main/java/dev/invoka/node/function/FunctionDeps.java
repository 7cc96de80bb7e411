package dev.invoka.node.function;

import dev.invoka.node.Settings;
import dev.invoka.node.destination.DestinationRouter;
import dev.invoka.node.metrics.LambdaMetrics;
import dev.invoka.node.runtime.FunctionRuntimes;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every {@link FunctionEntity} of a node needs from the node. Built once by the Guardian; tests
 * pass fakes.
 */
public record FunctionDeps(
        Settings settings,
        FunctionRuntimes runtimes,
        ActorRef<FunctionIndex.Command> index,
        Clock clock,
        DestinationRouter destinations,
        PayloadStore payloads,
        LambdaMetrics metrics) {

    /** Reads an accepted event's payload back from the journal (when it was kept out of memory). */
    public interface PayloadStore {
        CompletionStage<byte[]> load(String persistenceId, long sequenceNr);
    }
}
