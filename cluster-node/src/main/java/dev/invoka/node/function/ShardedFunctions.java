package dev.invoka.node.function;

import dev.invoka.node.Settings;
import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.LambdaException;
import dev.invoka.protocol.UpdateFunctionConfigurationRequest;
import java.time.Duration;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@link Functions} through Cluster Sharding: each call asks the function's entity, wherever it lives,
 * and turns the entity's replies into results or AWS errors.
 */
public final class ShardedFunctions implements Functions {

    private static final String UNRESERVED_TOO_LOW = "Specified ReservedConcurrentExecutions for function decreases "
            + "account's UnreservedConcurrentExecution below its minimum value of [%d].";

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final ActorRef<FunctionIndex.Command> index;
    private final Settings settings;

    public ShardedFunctions(ActorSystem<?> system, ActorRef<FunctionIndex.Command> index, Settings settings) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.index = index;
        this.settings = settings;
    }

    @Override
    public CompletionStage<FunctionState> create(FunctionRef ref, FunctionConfig config) {
        return ask(ref, replyTo -> new FunctionEntity.Create(config, replyTo), settings.askTimeout())
                .thenApply(reply -> {
                    if (reply instanceof FunctionEntity.AlreadyExists) {
                        throw LambdaException.resourceConflict("Function already exist: " + ref.name());
                    }
                    return found(ref, reply);
                });
    }

    @Override
    public CompletionStage<FunctionState> get(FunctionRef ref) {
        return ask(ref, FunctionEntity.Get::new, settings.askTimeout()).thenApply(reply -> found(ref, reply));
    }

    @Override
    public CompletionStage<FunctionState> update(FunctionRef ref, UpdateFunctionConfigurationRequest change) {
        return ask(ref, replyTo -> new FunctionEntity.Update(change, replyTo), settings.askTimeout())
                .thenApply(reply -> found(ref, reply));
    }

    @Override
    public CompletionStage<FunctionState> delete(FunctionRef ref) {
        return ask(ref, FunctionEntity.Delete::new, settings.askTimeout()).thenApply(reply -> {
            found(ref, reply);
            return FunctionState.EMPTY;
        });
    }

    @Override
    public CompletionStage<FunctionState> putConcurrency(FunctionRef ref, int reserved) {
        return list().thenCompose(all -> {
            int reservedByOthers = all.entrySet().stream()
                    .filter(e -> !e.getKey().equals(ref.name()) && e.getValue().reservedConcurrency() != null)
                    .mapToInt(e -> e.getValue().reservedConcurrency()).sum();
            int min = Settings.MIN_UNRESERVED_CONCURRENCY;
            if (all.containsKey(ref.name()) && settings.accountConcurrency() - reservedByOthers - reserved < min) {
                throw LambdaException.invalidParameterValue(String.format(UNRESERVED_TOO_LOW, min));
            }
            return ask(ref, replyTo -> new FunctionEntity.PutConcurrency(reserved, replyTo), settings.askTimeout());
        }).thenApply(reply -> {
            if (reply instanceof FunctionEntity.Found found) return found.state();
            throw LambdaException.functionNotFound(ref.qualifiedArn());
        });
    }

    @Override
    public CompletionStage<FunctionState> deleteConcurrency(FunctionRef ref) {
        return ask(ref, FunctionEntity.DeleteConcurrency::new, settings.askTimeout()).thenApply(reply -> found(ref, reply));
    }

    @Override
    public CompletionStage<NavigableMap<String, FunctionState>> list() {
        return AskPattern.ask(index, FunctionIndex.Query::new, settings.askTimeout(), system.scheduler());
    }

    @Override
    public CompletionStage<FunctionEntity.Invoked> invokeSync(FunctionRef ref, String requestId, byte[] payload) {
        // The entity answers when the attempt is over; the Invocation child bounds it by the function timeout.
        Duration timeout = Duration.ofSeconds(900).plus(settings.invokeGrace());
        return ask(ref, replyTo -> new FunctionEntity.InvokeSync(requestId, ref.qualifiedArn(), payload, replyTo), timeout)
                .thenApply(reply -> {
                    if (reply instanceof FunctionEntity.Invoked invoked) return invoked;
                    if (reply instanceof FunctionEntity.Throttled throttled) {
                        throw LambdaException.tooManyRequests(throttled.reason(), "Rate Exceeded.", null);
                    }
                    throw LambdaException.functionNotFound(ref.qualifiedArn());
                });
    }

    @Override
    public CompletionStage<Void> enqueue(FunctionRef ref, String requestId, byte[] payload, int hops) {
        return ask(ref, replyTo -> new FunctionEntity.Enqueue(requestId, ref.effectiveQualifier(), ref.qualifiedArn(),
                payload, hops, replyTo), settings.askTimeout()).thenApply(reply -> {
                    if (reply instanceof FunctionEntity.Accepted) return null;
                    throw LambdaException.functionNotFound(ref.qualifiedArn());
                });
    }

    @Override
    public CompletionStage<FunctionState> putInvokeConfig(FunctionRef ref, EventInvokeConfig config, boolean merge,
                                                          boolean onSuccessGiven, boolean onFailureGiven) {
        return ask(ref, replyTo -> new FunctionEntity.PutInvokeConfig(config, merge, onSuccessGiven, onFailureGiven,
                replyTo), settings.askTimeout()).thenApply(reply -> {
                    if (reply instanceof FunctionEntity.Found found) return found.state();
                    if (reply instanceof FunctionEntity.NoInvokeConfig) throw noInvokeConfig(ref);
                    throw LambdaException.resourceNotFound("The function doesn't exist.");
                });
    }

    @Override
    public CompletionStage<FunctionState> deleteInvokeConfig(FunctionRef ref) {
        return ask(ref, replyTo -> new FunctionEntity.DeleteInvokeConfig(ref.effectiveQualifier(), replyTo),
                settings.askTimeout()).thenApply(reply -> {
                    if (reply instanceof FunctionEntity.Found found) return found.state();
                    throw noInvokeConfig(ref);
                });
    }

    /** "The function arn:...:q doesn't have an EventInvokeConfig" (AWS-recorded). */
    public static LambdaException noInvokeConfig(FunctionRef ref) {
        return LambdaException.resourceNotFound("The function " + ref.qualifiedArn() + " doesn't have an EventInvokeConfig");
    }

    @Override
    public CompletionStage<FunctionEntity.QueueView> queue(FunctionRef ref) {
        return ask(ref, FunctionEntity.GetQueue::new, settings.askTimeout()).thenApply(reply -> {
            if (reply instanceof FunctionEntity.QueueView view) return view;
            throw LambdaException.functionNotFound(ref.unqualifiedArn());
        });
    }

    @Override
    public CompletionStage<java.util.List<FunctionEntity.RedrivenEvent>> redrive(FunctionRef ref, String condition,
                                                                                 Long sinceMs, Long untilMs, int max) {
        return ask(ref, replyTo -> new FunctionEntity.Redrive(condition, sinceMs, untilMs, max, replyTo),
                settings.askTimeout()).thenApply(reply -> {
                    if (reply instanceof FunctionEntity.Redriven redriven) return redriven.events();
                    if (reply instanceof FunctionEntity.Failed failed) throw LambdaException.service(failed.message());
                    throw LambdaException.functionNotFound(ref.unqualifiedArn());
                });
    }

    @Override
    public CompletionStage<java.util.List<FunctionEntity.UndeliverableEntry>> undeliverable(FunctionRef ref) {
        return ask(ref, FunctionEntity.GetUndeliverable::new, settings.askTimeout()).thenApply(reply -> {
            if (reply instanceof FunctionEntity.Undeliverable u) return u.entries();
            if (reply instanceof FunctionEntity.Failed failed) throw LambdaException.service(failed.message());
            throw LambdaException.functionNotFound(ref.unqualifiedArn());
        });
    }

    @Override
    public CompletionStage<Optional<FunctionEntity.StatusView>> status(String requestId) {
        // Request ids do not name their function: ask every function this node knows, a few at a time.
        return list().thenCompose(all -> Source.from(all.keySet())
                .mapAsyncUnordered(8, name -> ask(new FunctionRef(settings.region(), settings.account(), name, null),
                        replyTo -> new FunctionEntity.GetStatus(requestId, replyTo), settings.askTimeout()))
                .filter(FunctionEntity.StatusView.class::isInstance)
                .map(FunctionEntity.StatusView.class::cast)
                .runWith(Sink.headOption(), system));
    }

    private CompletionStage<FunctionEntity.Reply> ask(FunctionRef ref,
            Function<ActorRef<FunctionEntity.Reply>, FunctionEntity.Command> command, Duration timeout) {
        EntityRef<FunctionEntity.Command> entity = sharding.entityRefFor(FunctionEntity.TYPE_KEY, ref.name());
        CompletionStage<FunctionEntity.Reply> reply = entity.ask(command::apply, timeout);
        return reply.exceptionally(failure -> {
            if (failure instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null) failure = ce.getCause();
            if (failure instanceof LambdaException le) throw le;
            throw LambdaException.service("The function " + ref.name() + " did not answer in time: " + failure.getMessage());
        });
    }

    /** AWS names the ARN as given: unqualified unless a qualifier was (Invoke and PutConcurrency differ). */
    private static FunctionState found(FunctionRef ref, FunctionEntity.Reply reply) {
        if (reply instanceof FunctionEntity.Found found) return found.state();
        throw LambdaException.functionNotFound(ref.qualifier() == null ? ref.unqualifiedArn() : ref.qualifiedArn());
    }
}
