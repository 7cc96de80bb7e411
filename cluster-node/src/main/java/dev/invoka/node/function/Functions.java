package dev.invoka.node.function;

import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.UpdateFunctionConfigurationRequest;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The port the API talks to for managing and running functions. Stages fail with
 * {@link dev.invoka.protocol.LambdaException} for every answer that is an AWS error (not found, conflict,
 * throttled, limits), so the API maps errors in one place.
 */
public interface Functions {

    CompletionStage<FunctionState> create(FunctionRef ref, FunctionConfig config);

    CompletionStage<FunctionState> get(FunctionRef ref);

    CompletionStage<FunctionState> update(FunctionRef ref, UpdateFunctionConfigurationRequest change);

    CompletionStage<FunctionState> delete(FunctionRef ref);

    CompletionStage<FunctionState> putConcurrency(FunctionRef ref, int reservedConcurrentExecutions);

    CompletionStage<FunctionState> deleteConcurrency(FunctionRef ref);

    /** Every function, sorted by name, as this node's index knows them. */
    CompletionStage<NavigableMap<String, FunctionState>> list();

    /** Runs the function and waits for its result (RequestResponse). */
    CompletionStage<FunctionEntity.Invoked> invokeSync(FunctionRef ref, String requestId, byte[] payload);

    /** Accepts an event for asynchronous invocation; completes once it is durable. */
    CompletionStage<Void> enqueue(FunctionRef ref, String requestId, byte[] payload, int hops);

    /**
     * Puts (or, with {@code merge}, updates) the event invoke config of {@code config.qualifier()}.
     * Validation of the config's values and destinations is the caller's.
     */
    CompletionStage<FunctionState> putInvokeConfig(FunctionRef ref, EventInvokeConfig config, boolean merge,
                                                   boolean onSuccessGiven, boolean onFailureGiven);

    CompletionStage<FunctionState> deleteInvokeConfig(FunctionRef ref);

    CompletionStage<FunctionEntity.QueueView> queue(FunctionRef ref);

    /** Enqueues again the failed events the function still holds (beyond AWS); see {@link FunctionEntity.Redrive}. */
    CompletionStage<java.util.List<FunctionEntity.RedrivenEvent>> redrive(FunctionRef ref, String condition, Long sinceMs,
                                                                          Long untilMs, int max);

    /** The records and dead letters the function gave up delivering (beyond AWS). */
    CompletionStage<java.util.List<FunctionEntity.UndeliverableEntry>> undeliverable(FunctionRef ref);

    /** The status of an invocation, found among the functions this node knows of. */
    CompletionStage<Optional<FunctionEntity.StatusView>> status(String requestId);
}
